# The production image: gunicorn serves the portal, the same image runs Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORTAL_DATA_DIR=/data

WORKDIR /app
# pg_dump / pg_restore of the database server's major version (docker-compose: postgres:16), for
# `manage.py backup` and `restore`, from the PostgreSQL project's Debian repository.
ARG PG_MAJOR=16
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
    && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc \
       | gpg --dearmor -o /usr/share/keyrings/pgdg.gpg \
    && echo "deb [signed-by=/usr/share/keyrings/pgdg.gpg] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
       > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
    && apt-get purge -y curl gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal && mkdir -p /data /backups && chown portal /data /backups

COPY pyproject.toml requirements.lock README.md ./
COPY ai4media_portal ai4media_portal
COPY network network
COPY observatory observatory
COPY aida aida
COPY opencalls opencalls
COPY fellows fellows
COPY outputs outputs
RUN pip install --no-cache-dir -c requirements.lock .

COPY . .
# Static files are collected into the image; whitenoise serves them compressed and hashed.
RUN DATABASE_URL=postgres://build@localhost/build SECRET_KEY=build ALLOWED_HOSTS=build \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input -v 0

ENV STATIC_ROOT=/app/staticfiles
USER portal
EXPOSE 8000
CMD ["gunicorn", "ai4media_portal.wsgi:application", "--config", "gunicorn.conf.py"]
