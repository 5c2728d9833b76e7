"""The OpenAPI schema tells the truth about errors: every operation lists the error responses
it can give, in the API's one error format (``core.api.exceptions``).

drf-standardized-errors documents them, but only for views whose exception handler is its
own; the portal's handler wraps it (services' ``PortalError`` becomes a 400), so the schema
class says so. A 400 names the offending field in ``attr`` (a body field, ``field.0`` inside
a list, or a query parameter); its codes are open-ended (a validator, a service or the
control-character guard may refuse), so they are documented as strings.
"""

from django.db import models
from drf_standardized_errors.openapi import AutoSchema
from rest_framework import serializers

from .exceptions import portal_exception_handler
from .fields import is_multiline

# What ``core.text`` lets through, as JSON Schema patterns (ECMA 262 regular expressions).
SINGLE_LINE_PATTERN = "^[^\\u0000-\\u001F]*$"
MULTI_LINE_PATTERN = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$"


def _constrain(schema: dict, pattern: str) -> None:
    free_text = "enum" not in schema and "pattern" not in schema
    if schema.get("type") == "string" and free_text and schema.get("format") != "binary":
        schema["pattern"] = pattern


class ErrorTypeEnum(models.TextChoices):
    VALIDATION_ERROR = "validation_error"
    CLIENT_ERROR = "client_error"


class Error400Serializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. `required`, `invalid`, `control_characters`.")
    detail = serializers.CharField()
    attr = serializers.CharField(
        allow_null=True, help_text="The field or parameter, e.g. `benefits.0`; null for the body."
    )


class ErrorResponse400Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ErrorTypeEnum.choices)
    errors = Error400Serializer(many=True)


class ErrorCode403Enum(models.TextChoices):
    PERMISSION_DENIED = "permission_denied"
    MFA_REQUIRED = "mfa_required"


class Error403Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode403Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse403Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[("client_error", "client_error")])
    errors = Error403Serializer(many=True)


def parameter_rules(result, generator, request, public):
    """Postprocessing hook: what holds for every parameter, said once.

    - A string path or query parameter refuses control characters (``core.request_guard``).
    - An optional query parameter given empty (``?status=``) is the same as one left out:
      filters, ordering, ``cursor`` and ``page_size`` all read it so (``allowEmptyValue``).
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in {"path", "query"}:
                    _constrain(parameter.get("schema", {}), SINGLE_LINE_PATTERN)
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result


class PortalAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # What is written refuses control characters (``core.api.parsers`` and
        # ``PortalSerializerMixin``): single-line text all of them, multi-line text all but
        # tab, newline and carriage return.
        if direction == "request" and isinstance(schema, dict):
            multiline = isinstance(field, serializers.CharField) and is_multiline(field)
            _constrain(schema, MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        meta = getattr(serializer, "Meta", None)
        optional = set(getattr(meta, "optional_fields", ()))
        if optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if self.view.get_exception_handler() is portal_exception_handler:
            if status_code in responses:
                return False
            return self._error_applies(status_code)
        return super()._should_add_error_response(responses, status_code)

    def _error_applies(self, status_code: str) -> bool:
        checks = {
            # Any request may carry a malformed query string or body.
            "400": lambda: True,
            "401": self._should_add_http401_error_response,
            # The second-factor gate refuses privileged users without one anywhere.
            "403": lambda: True,
            "404": self._should_add_http404_error_response,
            "405": self._should_add_http405_error_response,
            "406": self._should_add_http406_error_response,
            "415": self._should_add_http415_error_response,
            "429": self._should_add_http429_error_response,
            "500": self._should_add_http500_error_response,
        }
        check = checks.get(status_code)
        return True if check is None else check()
