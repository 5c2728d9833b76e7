import json

from django.conf import settings
from django.core.management.base import BaseCommand

from outputs import selectors
from outputs.formats.aiod import aiod_export


class Command(BaseCommand):
    help = (
        "Write every published output as JSON shaped like the AI-on-demand metadata "
        "catalogue (datasets, publications, software, educational resources)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="A file to write; standard output by default.")
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The portal's address, for each record's same_as (default: SITE_URL).",
        )

    def handle(self, *args, output=None, base_url, **options):
        base_url = base_url.rstrip("/")
        outputs = selectors.with_relations(selectors.published_outputs()).order_by("pk")
        data = aiod_export(
            outputs.iterator(chunk_size=500),
            page_url=lambda record: base_url + record.get_absolute_url(),
        )
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            counts = ", ".join(f"{len(data[key])} {key}" for key in data if key != "platform")
            self.stdout.write(f"Wrote {counts} to {output}.")
        else:
            self.stdout.write(text)
