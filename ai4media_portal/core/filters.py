"""Query-string parameters shared by pages and the API. A yes/no parameter is read one way
everywhere: ``1``, ``true``, ``yes``, ``on`` (any case) are yes; ``0``, ``false``, ``no``,
``off`` are no; anything else is an error (a 400 in the API, a form error on a page), never
silently "absent"."""

import decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def parse_bool(value) -> bool:
    """``True``/``False`` for the words above (or a bool); ValueError for anything else."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


class YesNoParameterField(forms.Field):
    """A yes/no query parameter: None when absent or empty, else ``parse_bool``."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Use true or false (or 1 / 0, yes / no, on / off)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_bool(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class WholeNumberParameterField(forms.IntegerField):
    """A whole-number query parameter. Any spelling of an integer is one (``2``, ``2.0``,
    ``2e3``, as JSON Schema's ``integer`` allows); a fraction or a word is an error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)
