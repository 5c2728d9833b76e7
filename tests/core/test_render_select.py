"""Select boxes are written in Python, not through one template per option: the HTML must be
the one Django's templates give, character for character."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django_countries import countries

from ai4media_portal.core.forms import PortalFormRenderer


class SelectsForm(forms.Form):
    country = forms.ChoiceField(choices=[("", "Any"), *countries], required=False)
    grouped = forms.MultipleChoiceField(
        choices=[("Group <1>", [("x", "X & <y>"), ("y", mark_safe("<b>y</b>"))]), ("z", "Z")]
    )
    number = forms.TypedChoiceField(
        choices=[(1, "one"), (2, 'two "2"')],
        coerce=int,
        widget=forms.Select(attrs={"disabled": True, "data-note": 'say "hi"', "hidden": False}),
    )
    answer = forms.NullBooleanField()


@pytest.mark.parametrize("name", ["country", "grouped", "number", "answer"])
@pytest.mark.parametrize("data", [{}, {"country": "FR", "grouped": ["x", "z"], "number": "2"}])
def test_select_html_is_the_one_of_djangos_templates(name, data):
    form = SelectsForm(data)
    widget, value = form.fields[name].widget, form[name].value()
    attrs = {"id": f"id_{name}", "aria-describedby": "id_help"}

    fast = widget.render(name, value, attrs=attrs, renderer=PortalFormRenderer())
    templated = widget.render(name, value, attrs=attrs, renderer=TemplatesSetting())

    assert fast == templated


def test_select_options_with_their_own_template_are_rendered_by_it():
    class FlaggedSelect(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = FlaggedSelect(choices=[("a", "A")])

    assert widget.render("f", "a", renderer=PortalFormRenderer()) == widget.render(
        "f", "a", renderer=TemplatesSetting()
    )
