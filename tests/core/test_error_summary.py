"""The error summary every refused form opens with (``core.forms.error_summary`` and
``templates/forms/error_summary.html``): each error, a link to its field, announced and
focused."""

from django import forms
from django.template import Context, Template

from ai4media_portal.core.forms import ErrorItem, error_summary


class _Form(forms.Form):
    title = forms.CharField(label="Title")
    amount = forms.DecimalField(label="Amount", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


_Rows = forms.formset_factory(_Form, extra=0)


def test_every_error_is_listed_in_page_order_with_the_anchor_of_its_field():
    form = _Form({"amount": "lots"})
    rows = _Rows(
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-title": "x"}, prefix="form"
    )

    items = error_summary(form, None, "", rows, sections={"team": ["Name one member."]})

    assert items == [
        ErrorItem("Something about the whole form."),
        ErrorItem("Title: This field is required.", "#id_title"),
        ErrorItem("Amount: Enter a number.", "#id_amount"),
        ErrorItem("Token: This field is required."),
        ErrorItem("Something about the whole form."),
        ErrorItem("Token: This field is required."),
        ErrorItem("Name one member.", "#team"),
    ]


def test_an_unbound_form_has_nothing_to_summarise():
    assert error_summary(_Form(), _Rows(prefix="form")) == []


def test_the_component_is_an_alert_that_takes_the_focus_and_links_each_field():
    html = Template("{% error_summary form title=title %}").render(
        Context({"form": _Form({"amount": "lots", "token": "t"}), "title": "Not sent. Fix:"})
    )

    assert 'role="alert"' in html
    assert 'tabindex="-1" autofocus data-error-summary' in html
    assert '<h2 class="h5" id="error-summary-title">Not sent. Fix:</h2>' in html
    assert '<li><a href="#id_title">Title: This field is required.</a></li>' in html
    assert "<li>Something about the whole form.</li>" in html


def test_the_component_renders_nothing_without_errors():
    assert Template("{% error_summary form %}").render(Context({"form": _Form()})).strip() == ""


def test_every_form_rendered_whole_opens_with_its_summary():
    html = str(_Form({"amount": "lots", "token": "t"}))
    assert html.index("data-error-summary") < html.index('id="id_title"')
    assert '<a href="#id_amount">Amount: Enter a number.</a>' in html
