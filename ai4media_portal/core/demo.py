"""Demo data: `manage.py seed_demo` runs every app's ``demo.seed(ctx)``.

Each app that has demo data defines ``<app>/demo.py`` with ``DEMO_VERSION`` and
``seed(ctx: DemoContext)``. Seeding is idempotent (natural keys, ``get_or_create``,
``bulk_create(ignore_conflicts=True)``), and ``--once`` skips apps whose current version is
already loaded, so a second `make run` starts in seconds.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import DemoDataset
from .pillars import PILLAR_APPS, pillar_modules
from .public_cache import SCOPES, public_data_changed

DEMO_DOMAIN = "demo.ai4media.eu"
DEMO_PASSWORD = "ai4media-demo"
# Core accounts first, then the pillars in the order their data depends on each other.
DEMO_APPS = ("accounts", "network", "outputs", "observatory", "aida", "opencalls", "fellows")
assert set(PILLAR_APPS) <= set(DEMO_APPS)


@dataclass
class DemoContext:
    scale: int = 1
    log: callable = print
    rng: random.Random = field(default_factory=lambda: random.Random(951911))
    now: object = field(default_factory=timezone.now)

    def demo_user(self, local_part: str, full_name: str, *, roles=(), staff=False):
        """A verified demo account ``<local_part>@demo.ai4media.eu`` holding ``roles``."""
        from allauth.account.models import EmailAddress
        from django.contrib.auth.models import Group

        from ai4media_portal.accounts.models import User

        email = f"{local_part}@{DEMO_DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": full_name, "is_staff": staff, "is_superuser": staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if roles:
            user.groups.add(*Group.objects.filter(name__in=[str(r) for r in roles]))
        return user


def demo_modules():
    return pillar_modules("demo", DEMO_APPS)


def seed_all(*, scale: int = 1, once: bool = False, log=print) -> list[str]:
    """Load every app's demo data; return the labels of the apps that were seeded."""
    ctx = DemoContext(scale=scale, log=log)
    seeded = []
    for label, module in demo_modules():
        version = getattr(module, "DEMO_VERSION", 1)
        if once and DemoDataset.objects.filter(app_label=label, version__gte=version).exists():
            continue
        log(f"Seeding {label} demo data (scale {scale})…")
        with transaction.atomic():
            module.seed(ctx)
            DemoDataset.objects.update_or_create(
                app_label=label, defaults={"version": version, "loaded_at": timezone.now()}
            )
        seeded.append(label)
    if seeded:
        # Bulk inserts skip the model signals that invalidate the public pages.
        public_data_changed(*SCOPES)
    return seeded


def demo_accounts():
    """(email, full name, roles) of the demo accounts, for `make run` to print."""
    from ai4media_portal.accounts.models import User

    users = (
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        .prefetch_related("groups")
        .order_by("email")
    )
    rows = []
    for user in users:
        roles = sorted(group.name for group in user.groups.all())
        if user.is_superuser:
            roles.insert(0, "staff (admin)")
        rows.append((user.email, user.full_name, roles))
    return rows
