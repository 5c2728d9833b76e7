"""``manage.py backup``: the database and every upload in one dated archive (core.backup)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ai4media_portal.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write the database (pg_dump) and the public and private uploads into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=os.environ.get("BACKUP_DIR") or str(settings.DATA_DIR / "backups"),
            help="Folder of the archives (BACKUP_DIR; default .data/backups).",
        )

    def handle(self, *args, output_dir, **options):
        try:
            archive = backup_create(
                database=settings.DATABASES["default"],
                media_root=settings.MEDIA_ROOT,
                private_root=settings.PRIVATE_MEDIA_ROOT,
                output_dir=output_dir,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
