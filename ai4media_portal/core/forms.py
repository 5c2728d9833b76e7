"""Form plumbing shared by every pillar."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape
from django.utils.translation import gettext as _

from .exceptions import PortalError
from .text import control_character_error, first_forbidden_in

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


def add_error_beside(form: forms.BaseForm, field: str | None, message) -> None:
    """``form.add_error(field, message)`` that also works on a form nobody filled in (a file
    form left empty when the page was submitted): Django's would fail there, having no
    ``cleaned_data`` to remove the field from."""
    if not hasattr(form, "cleaned_data"):
        form.errors  # noqa: B018 — makes the (empty) error list of an unbound form
        form.cleaned_data = {}
    form.add_error(field, message)


def add_portal_error(form: forms.BaseForm, error: PortalError) -> None:
    """Show a service's refusals beside the fields they concern (or above the form)."""
    for refusal in error.errors:
        field = refusal.field if refusal.field in form.fields else None
        add_error_beside(form, field, refusal.message)


def file_to_choose_again(field: forms.BoundField) -> str:
    """The message shown beside a file input when the form comes back with errors elsewhere:
    browsers never keep a chosen file across a page load, so the person must choose it again.
    Empty when no file was chosen, the form is fine, or the file itself was refused (its own
    error says what to do)."""
    form = field.form
    if not isinstance(field.field.widget, forms.FileInput) or not form.is_bound:
        return ""
    upload = form.files.get(field.html_name)
    if not upload or field.errors or not form.errors:
        return ""
    return _(
        "Choose “%(name)s” again before you send the form: a chosen file is not kept when "
        "the form comes back with an error."
    ) % {"name": upload.name}


class CurrentFile:
    """What a file input's "Currently:" link shows: a name and where to read the file."""

    def __init__(self, url: str, label: str):
        self.url = url
        self.label = label

    def __str__(self) -> str:
        return self.label


class StoredFileInput(forms.ClearableFileInput):
    """A clearable file input whose "Currently:" link goes to ``current_url`` (a
    permission-checked view for a private file) and says ``current_label`` instead of the
    stored name."""

    current_url = ""
    current_label = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.current_url:
            context["widget"]["value"] = CurrentFile(
                self.current_url, self.current_label or _("current file")
            )
        return context


def is_multiline(field: forms.Field) -> bool:
    """Multi-line text is what is typed in a textarea (or carried by a ``HiddenTextField``);
    everything else is one line."""
    return isinstance(field, forms.CharField) and (
        isinstance(field.widget, forms.Textarea) or getattr(field, "multiline", False)
    )


class HiddenTextField(forms.CharField):
    """Multi-line text carried in a hidden input from one step of a form to the next (the
    source of a preview): tab, newline and carriage return are kept, other control characters
    refused as in a textarea."""

    widget = forms.HiddenInput
    multiline = True


def _guard_field(field: forms.Field) -> None:
    if isinstance(field, forms.FileField) or getattr(field, "_guarded", False):
        return
    multiline = is_multiline(field)
    parse = field.clean

    def clean(value, *args, **kwargs):
        # Checked before the field parses the value: a choice or model choice would send a
        # NUL to the database and fail there.
        found = first_forbidden_in(value, multiline=multiline)
        if found:
            raise control_character_error(found)
        return parse(value, *args, **kwargs)

    field.clean = clean
    field._guarded = True


class PortalFormMixin:
    """Every form of the portal: no field accepts a control character (tab, newline and
    carriage return stay allowed in textareas). The refusal is a form error on that field,
    never a database error. Fields added in a subclass's ``__init__`` are covered too: the
    guard is put in place when the form is cleaned. A test checks that every form of every
    pillar uses this."""

    def full_clean(self):
        for field in self.fields.values():
            _guard_field(field)
        super().full_clean()


class PortalForm(PortalFormMixin, forms.Form):
    """Base of the portal's plain forms."""


def model_form_field(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field of a model field in the portal's model forms: Django's, except that a
    link typed without a scheme is read as ``https://`` (Django 6's default, and what the
    portal's own URL fields say), so that no model form relies on the deprecated ``http``."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class PortalModelFormMetaclass(ModelFormMetaclass):
    """Gives every ``Meta`` without a ``formfield_callback`` of its own ``model_form_field``."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = model_form_field
        return super().__new__(mcs, name, bases, attrs)


class PortalModelForm(PortalFormMixin, forms.ModelForm, metaclass=PortalModelFormMetaclass):
    """Base of the portal's model forms."""


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
