"""Form plumbing shared by every pillar."""

import base64
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    """Multi-line text is what is typed in a textarea; everything else is one line."""
    return isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)


class CarriedFileField(forms.Field):
    """The bytes of a file chosen at one step of a form (a preview), carried in a hidden input
    to the next (the commit), which must read exactly the bytes the first step read. They
    travel compressed and base64-encoded, never as text: browsers rewrite the line ends of
    form values, a text field refuses the control characters a file may hold (its reader
    judges them, entry by entry), and a form body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is
    refused before any view runs, so ``fits`` tells the first step whether the second can
    carry the file at all.

    The cleaned value is ``bytes`` (empty when nothing was sent); a value that does not decode,
    or decodes to more than ``max_bytes``, is refused."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": gettext_lazy("The previewed file could not be read back: choose it again."),
    }
    # Room left in the request for the form's other fields (the CSRF token, a choice or two).
    OTHER_FIELDS_BYTES = 4096

    def __init__(self, *, max_bytes: int, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, bytes):
            return base64.urlsafe_b64encode(zlib.compress(value)).decode("ascii")
        return value

    def to_python(self, value) -> bytes:
        if value in self.empty_values:
            return b""
        inflater = zlib.decompressobj()
        try:
            # At most one byte more than allowed is inflated: a small value cannot unpack
            # into gigabytes.
            content = inflater.decompress(base64.urlsafe_b64decode(value), self.max_bytes + 1)
        except (ValueError, zlib.error):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not inflater.eof or len(content) > self.max_bytes:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return content

    def fits(self, content: bytes) -> bool:
        """Whether a form that carries ``content`` in this field can be sent back."""
        carried = len(self.prepare_value(content))
        return carried + self.OTHER_FIELDS_BYTES <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


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
    pillar uses this. Files are bytes, not text (an upload, or one a ``CarriedFileField``
    brings back): their readers judge what they hold."""

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
