"""Form plumbing shared by every pillar."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.forms.renderers import TemplatesSetting

from .exceptions import PortalError


class PortalFormRenderer(TemplatesSetting):
    """Render every form, allauth's included, with labels, help and errors beside each field."""

    form_template_name = "forms/portal_form.html"
    field_template_name = "forms/portal_field.html"


def widget_css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    if isinstance(widget, forms.FileInput):
        return "form-control"
    return "form-control"


def add_portal_error(form: forms.BaseForm, error: PortalError) -> None:
    """Show a service's refusal beside the field it concerns (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@dataclass(frozen=True)
class ErrorItem:
    """One line of an error summary: ``text`` (the field's label and the message), and
    ``anchor`` (``#id`` of the field or section to jump to; empty when there is none)."""

    text: str
    anchor: str = ""


def _form_items(form: forms.BaseForm) -> list[ErrorItem]:
    items = [ErrorItem(str(error)) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        bound = form[name] if name in form.fields else None
        label = (bound.label or "") if bound is not None else ""
        # A hidden field has nothing to jump to.
        anchor = f"#{bound.auto_id}" if bound is not None and not bound.is_hidden else ""
        for error in errors:
            items.append(ErrorItem(f"{label}: {error}" if label else str(error), anchor))
    return items


def error_summary(
    *forms_: forms.BaseForm | forms.BaseFormSet | None,
    sections: Mapping[str, Iterable[str]] | None = None,
) -> list[ErrorItem]:
    """Every error of ``forms_`` (forms or formsets; anything else, such as ``None``, is
    skipped), in page order, each with the anchor of its field, then the messages of
    ``sections`` ({element id: [messages]} for errors that concern a part of the page rather
    than one field: a table of rows, an upload). ``templates/forms/error_summary.html``
    renders them at the top of a refused form
    (``{% error_summary form other_form sections=... %}``)."""
    items: list[ErrorItem] = []
    for form in forms_:
        # A missing form (None, or "" from a template variable that does not resolve) has
        # no errors.
        if not isinstance(form, forms.BaseForm | forms.BaseFormSet):
            continue
        if isinstance(form, forms.BaseFormSet):
            if not form.is_bound:
                continue
            items.extend(ErrorItem(str(error)) for error in form.non_form_errors())
            for member in form.forms:
                items.extend(_form_items(member))
        elif form.is_bound or form.errors:
            items.extend(_form_items(form))
    for anchor, messages in (sections or {}).items():
        items.extend(ErrorItem(str(message), f"#{anchor}") for message in messages)
    return items
