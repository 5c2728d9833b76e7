"""Backups: the database and every uploaded file (public and confidential) in one archive.

``backup_create`` writes ``ai4media-<YYYYmmdd-HHMMSS>Z.tar`` (UTC) holding

* ``database.dump``: ``pg_dump --format=custom``, one consistent snapshot of the database
  (a single repeatable-read transaction: rows written during the dump are not half in it);
* ``media/`` and ``private/``: the public uploads (``MEDIA_ROOT``) and the confidential ones
  (``PRIVATE_MEDIA_ROOT``), copied *after* the dump, so that every file a row of the dump
  names is in the archive (uploads are never changed in place, only added or deleted);
* ``manifest.json``: when, from which server version, and the SHA-256 of every file.

``backup_restore`` loads an archive into an *empty* database (refused otherwise: a restore
never mixes with live data) with ``pg_restore``, puts the files back and checks them against
the manifest.

The client programs must match the server's major version: the server is asked its version,
and the binaries are taken from ``PG_BIN_DIR`` if set, else ``/usr/lib/postgresql/<major>/bin``
(Debian, Ubuntu, the official image), else those the embedded server (``pgserver``, used when
``DATABASE_URL`` is unset) ships, else ``PATH``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILE_ROOTS = ("media", "private")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _connect(database: dict) -> psycopg.Connection:
    return psycopg.connect(**_libpq(database), autocommit=True)


def _libpq(database: dict) -> dict:
    params = {"dbname": database["NAME"], "user": database.get("USER") or None}
    if database.get("HOST"):
        params["host"] = database["HOST"]
    if database.get("PORT"):
        params["port"] = str(database["PORT"])
    if database.get("PASSWORD"):
        params["password"] = database["PASSWORD"]
    return params


def _client_env(database: dict) -> dict:
    """libpq's environment for pg_dump / pg_restore (the password never on a command line)."""
    env = dict(os.environ)
    mapping = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    for key, variable in mapping.items():
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = database["NAME"]
    return env


def server_major_version(database: dict) -> int:
    with _connect(database) as conn:
        return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000


def client_binary(name: str, major: int) -> str:
    """The path of ``pg_dump`` or ``pg_restore`` for a server of version ``major``."""
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin") / name)
    try:
        import warnings

        # pgserver asks platformdirs for a runtime directory it does not use here.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import pgserver

        candidates.append(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.exists() and _major_of(candidate) == major:
            return str(candidate)
    found = shutil.which(name)
    if found and _major_of(Path(found)) == major:
        return found
    raise BackupError(
        f"No {name} for PostgreSQL {major} found: install its client programs or set PG_BIN_DIR."
    )


def _major_of(binary: Path) -> int | None:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    return int(out.stdout.split(")")[1].split()[0].split(".")[0])


def _checksums(root: Path) -> dict[str, str]:
    sums = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            sums[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def backup_create(
    *, database: dict, media_root: str | Path, private_root: str | Path, output_dir: str | Path
) -> Path:
    """Write one dated archive of the database and the uploads into ``output_dir``; return its
    path. Raises ``BackupError`` when pg_dump is missing or fails."""
    major = server_major_version(database)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"ai4media-{stamp}Z.tar"
    roots = {"media": Path(media_root), "private": Path(private_root)}
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP
        result = subprocess.run(
            [client_binary("pg_dump", major), "--format=custom", "--no-owner", "--file", str(dump)],
            env=_client_env(database),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        manifest = {
            "created_at": datetime.now(UTC).isoformat(),
            "postgresql": major,
            "database_sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
            "files": {name: _checksums(root) for name, root in roots.items()},
        }
        partial = archive.with_suffix(".tar.part")
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=DUMP)
            for name, root in roots.items():
                for relative in manifest["files"][name]:
                    tar.add(root / relative, arcname=f"{name}/{relative}")
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        partial.rename(archive)  # never a half-written archive under the final name
    return archive


def _database_is_empty(database: dict) -> bool:
    with _connect(database) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    return tables == 0


def backup_restore(
    *, archive: str | Path, database: dict, media_root: str | Path, private_root: str | Path
) -> dict:
    """Load ``archive`` into the empty database ``database`` and put the files back; return
    the manifest. Raises ``BackupError`` if the database has tables, a file does not match its
    checksum, or pg_restore fails."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No archive at {archive}.")
    if not _database_is_empty(database):
        raise BackupError(
            f"The database {database['NAME']} is not empty: restore into a new, empty database."
        )
    roots = {"media": Path(media_root), "private": Path(private_root)}
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
        work = Path(work)
        manifest = json.loads((work / MANIFEST).read_text())
        dump = work / DUMP
        if hashlib.sha256(dump.read_bytes()).hexdigest() != manifest["database_sha256"]:
            raise BackupError("The database dump does not match its checksum.")
        major = server_major_version(database)
        result = subprocess.run(
            [
                client_binary("pg_restore", major),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                database["NAME"],
                str(dump),
            ],
            env=_client_env(database),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        for name, root in roots.items():
            source = work / name
            if source.is_dir():
                shutil.copytree(source, root, dirs_exist_ok=True)
            restored = _checksums(root)
            wrong = [f for f, sha in manifest["files"][name].items() if restored.get(f) != sha]
            if wrong:
                raise BackupError(f"Restored {name} files differ from the manifest: {wrong[:5]}")
    return manifest
