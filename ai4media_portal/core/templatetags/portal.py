from django import template
from django.forms import BoundField

from ..forms import error_summary as summarise_errors
from ..forms import file_to_choose_again, widget_css_class
from ..status import ICONS, Tone, tone_of

register = template.Library()


@register.simple_tag
def portal_widget(field: BoundField):
    """Render a field's widget with the CSS class and ARIA attributes that tie it to its help
    text and errors, so screen readers announce them with the field."""
    css = widget_css_class(field.field.widget)
    existing = field.field.widget.attrs.get("class", "")
    attrs = {}
    classes = " ".join(filter(None, [existing, css, "is-invalid" if field.errors else ""]))
    if classes:
        attrs["class"] = classes
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if file_to_choose_again(field):
        described.append(f"{field.auto_id}_again")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return field.widget_type == "checkbox"


@register.filter
def is_choice_list(field: BoundField) -> bool:
    return field.widget_type in {"radioselect", "checkboxselectmultiple"}


@register.simple_tag
def status_tone(value) -> str:
    """The tone of a workflow state for ``components/status_badge.html``."""
    return tone_of(value).value


@register.filter
def tone_icon(tone: str) -> str:
    return ICONS[Tone(tone)]


@register.filter
def choose_again(field: BoundField) -> str:
    """See ``core.forms.file_to_choose_again``."""
    return file_to_choose_again(field)


@register.inclusion_tag("forms/error_summary.html")
def error_summary(*forms, sections=None, title=None, items=None):
    """The error summary of a refused form: at its top, announced (``role="alert"``), focused
    on load, each error a link to its field. Give the forms and formsets of the page (and
    ``sections``, {element id: [messages]}), or ready ``items`` (``core.forms.ErrorItem``).
    Renders nothing when there is no error."""
    return {
        "items": items if items is not None else summarise_errors(*forms, sections=sections),
        "title": title,
    }
