"""Every URL the pillars give the web benchmark answers 200 to the account it names: a page
that moved or a renamed account would otherwise only show up as errors in a benchmark run."""

import pytest
from django.core.management import call_command
from django.test import Client

from ai4media_portal.accounts.models import User
from ai4media_portal.core.pillars import BenchmarkKind, collect_benchmark_urls
from tests.factories import give_authenticator

pytestmark = pytest.mark.django_db


def test_every_benchmark_url_answers_200():
    call_command("seed_demo", "--quiet-accounts")
    urls = collect_benchmark_urls()
    statuses = {}
    for url in urls:
        client = Client()
        if url.user:
            user = User.objects.get(email=url.user)
            give_authenticator(user)
            client.force_login(user)
        statuses[url.label] = client.get(url.path).status_code

    assert statuses == {url.label: 200 for url in urls}
    kinds = {url.kind for url in urls}
    assert kinds == {
        BenchmarkKind.PAGE,
        BenchmarkKind.SEARCH,
        BenchmarkKind.API,
        BenchmarkKind.SIGNED_IN,
    }
    assert all(url.kind == BenchmarkKind.SIGNED_IN for url in urls if url.user)
