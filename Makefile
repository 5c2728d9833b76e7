# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test test-faults install lint format lock bench bench-web bench-tools clean-data backup restore

run: $(STAMP)
	$(BIN)/python -m ai4media_portal.localenv run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m ai4media_portal.localenv exec pytest -n auto --dist loadfile -m "not slow"
	$(MAKE) test-faults

# The real faults (Redis stopped, workers killed, database connections ended, 50-request
# races, the backup round trip), one after another: they start and stop servers and workers
# of their own. Part of `make test`; alone here.
test-faults: $(STAMP)
	$(BIN)/python -m ai4media_portal.localenv exec pytest -m slow tests/reliability

# The database (pg_dump) and every upload in one dated archive under .data/backups
# (BACKUP_DIR); `make restore ARCHIVE=...` loads one into an empty database (README,
# "When things fail").
backup: $(STAMP)
	$(BIN)/python -m ai4media_portal.localenv exec python manage.py backup

restore: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=.data/backups/ai4media-....tar"; exit 2; }
	$(BIN)/python -m ai4media_portal.localenv exec python manage.py restore "$(ARCHIVE)"

install: $(STAMP)

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-resolve every dependency after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-header --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

bench: $(STAMP) bench-tools
	$(BIN)/python -m ai4media_portal.localenv exec python -m benchmarks

# Every page under load against the cheapest view (benchmarks/web_bench.py); a few minutes.
bench-web: $(STAMP) bench-tools
	$(BIN)/python -m ai4media_portal.localenv exec python -m benchmarks web

# wrk, the load generator of bench-web: a C program light enough not to steal the server's
# CPU on a small machine. Debian/Ubuntu package; elsewhere install it by hand (brew install wrk).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
bench-tools:
	@command -v wrk >/dev/null || $(SUDO) apt-get install -y -qq wrk \
		|| { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }

clean-data:
	rm -rf .data
