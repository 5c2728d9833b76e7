"""``manage.py restore ARCHIVE``: an archive of ``manage.py backup`` into an empty database."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ai4media_portal.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore an archive of `manage.py backup` into the (empty) database and the uploads."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup_restore(
                archive=archive,
                database=settings.DATABASES["default"],
                media_root=settings.MEDIA_ROOT,
                private_root=settings.PRIVATE_MEDIA_ROOT,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(len(files) for files in manifest["files"].values())
        self.stdout.write(f"Restored the backup of {manifest['created_at']} ({files} files).")
