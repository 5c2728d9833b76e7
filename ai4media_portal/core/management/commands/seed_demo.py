from django.core.management.base import BaseCommand

from ai4media_portal.core.demo import DEMO_PASSWORD, demo_accounts, seed_all


class Command(BaseCommand):
    help = "Load realistic demo data for every pillar. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the bulk data (members, proposals, outputs…); 100 gives 100,000+ rows.",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Skip apps whose demo data (at its current version) is already loaded.",
        )
        parser.add_argument("--quiet-accounts", action="store_true")

    def handle(self, *args, scale, once, quiet_accounts, **options):
        if scale < 1:
            self.stderr.write("--scale must be at least 1")
            raise SystemExit(2)
        seeded = seed_all(scale=scale, once=once, log=lambda msg: self.stdout.write(msg))
        if seeded:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {', '.join(seeded)}"))
        else:
            self.stdout.write("Demo data already loaded.")
        if not quiet_accounts:
            self.stdout.write("")
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
            for email, name, roles in demo_accounts():
                self.stdout.write(f"  {email:<42} {name:<24} {', '.join(roles) or 'member'}")
