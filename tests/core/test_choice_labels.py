"""get_FOO_display() of the portal's models gives what Django's own gives, for every choice,
an unknown value and an empty one, in any language — only faster (core/models.py)."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from ai4media_portal.core.models import TimeStampedModel


def _choice_fields():
    for model in apps.get_models():
        if issubclass(model, TimeStampedModel):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield pytest.param(model, field, id=f"{model._meta.label}.{field.name}")


@pytest.mark.parametrize(("model", "field"), list(_choice_fields()))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_choice_labels_are_the_ones_django_gives(model, field, language):
    instance = model()
    values = [choice for choice, _label in field.flatchoices] + ["not-a-choice", "", None]
    with translation.override(language):
        for value in values:
            setattr(instance, field.attname, value)
            display = getattr(instance, f"get_{field.name}_display")()
            assert display == models.Model._get_FIELD_display(instance, field)
            assert type(display) is type(models.Model._get_FIELD_display(instance, field))


def test_there_are_choice_fields_to_compare():
    assert len(list(_choice_fields())) >= 10
