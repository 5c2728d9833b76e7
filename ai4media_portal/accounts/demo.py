"""Demo accounts for every role, and (with --scale) many ordinary members."""

from ai4media_portal.core.roles import Role

DEMO_VERSION = 1


def seed(ctx) -> None:
    ctx.demo_user("admin", "Ada Admin", staff=True)
    ctx.demo_user("network.manager", "Nikos Network", roles=[Role.NETWORK_MANAGER])
    ctx.demo_user("editor", "Elena Editor", roles=[Role.OBSERVATORY_EDITOR])
    ctx.demo_user("chief", "Carla Chief", roles=[Role.EDITOR_IN_CHIEF, Role.OBSERVATORY_EDITOR])
    ctx.demo_user("aida.coordinator", "Andreas AIDA", roles=[Role.AIDA_COORDINATOR])
    ctx.demo_user("call.manager", "Marta Calls", roles=[Role.CALL_MANAGER])
    ctx.demo_user("evaluator", "Erik Evaluator", roles=[Role.EVALUATOR])
    ctx.demo_user("fellows.coordinator", "Fiona Fellows", roles=[Role.FELLOWS_COORDINATOR])
    ctx.demo_user("partner", "AI-on-demand platform", roles=[Role.PARTNER])
    ctx.demo_user("member", "Maria Member")
    _bulk_members(ctx)


def _bulk_members(ctx) -> None:
    """``scale - 1`` thousand extra members, inserted in bulk (the first thousand come with
    ``--scale 2``), so benchmarks can fill the database quickly."""
    from django.contrib.auth.hashers import make_password

    from ai4media_portal.accounts.models import User

    extra = (ctx.scale - 1) * 1000
    if extra <= 0:
        return
    password = make_password(None)  # unusable: bulk members never sign in
    batch = [
        User(email=f"member{i:06d}@members.example.org", full_name=f"Member {i}", password=password)
        for i in range(extra)
    ]
    User.objects.bulk_create(batch, batch_size=2000, ignore_conflicts=True)
