"""Form plumbing shared by every pillar."""

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
