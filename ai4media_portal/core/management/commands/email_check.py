from django.core.management.base import BaseCommand
from django.db import transaction

from ai4media_portal.core.outbox import email_queue


class Command(BaseCommand):
    help = "Queue a message through the outbox, to check the worker and the mail server."

    def add_arguments(self, parser):
        parser.add_argument("address")
        parser.add_argument("--name", default="administrator")

    def handle(self, *args, address, name, **options):
        with transaction.atomic():
            email = email_queue(to=address, template="core/email_check", context={"name": name})
        self.stdout.write(f"Queued email {email.pk} to {address}.")
