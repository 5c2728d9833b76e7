"""``make backup`` / ``make restore``: the demo data and every upload make the round trip
through one archive into an empty database, rows and files alike."""

import hashlib
import re
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ai4media_portal.core.backup import (
    BackupError,
    _libpq,
    backup_restore,
    client_binary,
    server_major_version,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _table_counts(database: dict) -> dict[str, int]:
    with psycopg.connect(**_libpq(database)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _checksums(root) -> dict[str, str]:
    root = Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def empty_database():
    source = connection.settings_dict
    target = {**source, "NAME": f"{source['NAME']}_restored"}
    with psycopg.connect(**_libpq(source), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{target["NAME"]}"')
    yield target
    with psycopg.connect(**_libpq(source), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')


def test_the_client_programs_match_the_server():
    major = server_major_version(connection.settings_dict)
    assert f"/{major}/" in client_binary("pg_dump", major) or "pginstall" in client_binary(
        "pg_dump", major
    )


def test_backup_and_restore_round_trip_the_demo_data_and_uploads(empty_database, tmp_path, capsys):
    call_command("seed_demo", "--quiet-accounts")
    # Uploads of both kinds, beside whatever the demo stored.
    for root, name in [
        (settings.MEDIA_ROOT, "logos/demo.png"),
        (settings.PRIVATE_MEDIA_ROOT, "proposals/1/annex.pdf"),
    ]:
        path = Path(root, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(hashlib.sha256(name.encode()).digest() * 100)
    capsys.readouterr()

    call_command("backup", output_dir=str(tmp_path / "backups"))
    archive = Path(capsys.readouterr().out.strip())
    assert archive.parent == tmp_path / "backups"
    assert re.fullmatch(r"ai4media-\d{8}-\d{6}Z\.tar", archive.name)

    restored_media, restored_private = tmp_path / "r-media", tmp_path / "r-private"
    manifest = backup_restore(
        archive=archive,
        database=empty_database,
        media_root=restored_media,
        private_root=restored_private,
    )

    before = _table_counts(connection.settings_dict)
    assert before["accounts_user"] > 10  # the demo is there to compare
    assert _table_counts(empty_database) == before
    assert _checksums(restored_media) == _checksums(settings.MEDIA_ROOT)
    assert _checksums(restored_private) == _checksums(settings.PRIVATE_MEDIA_ROOT)
    assert "proposals/1/annex.pdf" in manifest["files"]["private"]

    # A restore never lands on live data.
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(
            archive=archive,
            database=empty_database,
            media_root=restored_media,
            private_root=restored_private,
        )
