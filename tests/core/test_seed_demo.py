import pytest
from django.core.management import call_command

from ai4media_portal.accounts.models import User
from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.models import DemoDataset
from ai4media_portal.core.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_an_account_for_every_role(capsys):
    call_command("seed_demo")
    demo_users = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    held = set(demo_users.values_list("groups__name", flat=True))
    assert set(Role.values) <= held
    assert demo_users.filter(is_superuser=True).count() == 1
    out = capsys.readouterr().out
    assert "call.manager@demo.ai4media.eu" in out
    assert "password for all: ai4media-demo" in out


def test_seed_demo_is_idempotent():
    call_command("seed_demo", "--quiet-accounts")
    counts = User.objects.count()
    call_command("seed_demo", "--quiet-accounts")
    assert User.objects.count() == counts


def test_seed_demo_once_skips_what_is_loaded(capsys):
    call_command("seed_demo", "--once", "--quiet-accounts")
    loaded = set(DemoDataset.objects.values_list("app_label", flat=True))
    assert "accounts" in loaded
    capsys.readouterr()
    call_command("seed_demo", "--once", "--quiet-accounts")
    assert "Demo data already loaded." in capsys.readouterr().out


def test_seed_demo_scale_adds_members_in_bulk():
    call_command("seed_demo", "--scale", "2", "--quiet-accounts")
    assert User.objects.filter(email__endswith="@members.example.org").count() == 1000


@pytest.mark.django_db(transaction=True)
def test_reference_rows_survive_a_database_flush():
    from django.contrib.auth.models import Group

    from ai4media_portal.core.models import Topic

    call_command("flush", "--no-input")
    assert set(Role.values) <= set(Group.objects.values_list("name", flat=True))
    assert Topic.objects.filter(slug="ai-act").exists()
