"""Form plumbing shared by every pillar."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape

from .exceptions import PortalError

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class PortalFormRenderer(TemplatesSetting):
    """Render every form, allauth's included, with labels, help and errors beside each field.

    Select boxes are written by ``render_select`` rather than Django's templates, which
    include one template per option: a list of 250 countries cost 25 ms a page that way."""

    form_template_name = "forms/portal_form.html"
    field_template_name = "forms/portal_field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


def _attrs_html(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name.
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict) -> str | None:
    """The HTML Django's select templates give for a widget's context, character for
    character (a test compares them); None for options with a template of their own."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


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
