"""AIDA's forms and API build without Django's or DRF's warnings: links typed without a
scheme are read as https, and the ECTS bound is a Decimal."""

import warnings
from decimal import Decimal

from ai4media_portal.core.forms import PortalModelForm
from aida.api.serializers import CourseSerializer
from aida.forms import LectureForm, OfferingForm
from aida.models import Lecture


def test_model_forms_read_a_link_without_a_scheme_as_https():
    assert OfferingForm.base_fields["materials_url"].assume_scheme == "https"
    assert LectureForm.base_fields["online_url"].assume_scheme == "https"
    assert LectureForm.base_fields["online_url"].clean("meet.example.org/ai") == (
        "https://meet.example.org/ai"
    )


def test_a_new_model_form_with_a_link_warns_about_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        meta = type("Meta", (), {"model": Lecture, "fields": ["online_url", "recording_url"]})
        form = type("LinksForm", (PortalModelForm,), {"Meta": meta})
    assert form.base_fields["recording_url"].assume_scheme == "https"


def test_the_course_serializer_warns_about_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fields = CourseSerializer().fields
    assert fields["ects"].min_value == Decimal("0.5")
