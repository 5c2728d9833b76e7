"""The outputs' demo data: realistic, valid metadata, idempotent."""

import pytest
from django.db.models import Count

from ai4media_portal.core.demo import DemoContext
from network import demo as network_demo
from outputs import demo
from outputs.enums import Access, OutputStatus
from outputs.models import Creator, Output
from outputs.selectors import published_outputs
from outputs.validators import normalise_licence, normalise_orcid

pytestmark = pytest.mark.django_db


def _seed():
    ctx = DemoContext(log=lambda message: None)
    network_demo.seed(ctx)
    demo.seed(ctx)


def test_demo_outputs_have_every_kind_and_valid_metadata():
    _seed()
    kinds = dict(Output.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {"publication": 420, "dataset": 42, "software": 100, "result-in-brief": 12}
    assert Output.objects.filter(status=OutputStatus.DELETED).count() == 8
    assert published_outputs().filter(access=Access.EMBARGOED).count() > 0
    orcids = set(Creator.objects.exclude(orcid="").values_list("orcid", flat=True))
    assert len(orcids) == 39
    assert all(normalise_orcid(orcid) == orcid for orcid in orcids)
    licences = set(Output.objects.values_list("licence", flat=True))
    assert all(normalise_licence(licence) == licence for licence in licences)
    assert Creator.affiliations.through.objects.count() > 500


def test_demo_is_idempotent():
    _seed()
    before = (Output.objects.count(), Creator.objects.count())
    _seed()
    assert (Output.objects.count(), Creator.objects.count()) == before
