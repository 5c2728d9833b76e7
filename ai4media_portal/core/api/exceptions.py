"""The API's one error format (drf-standardized-errors):

{"type": "validation_error", "errors": [{"code": "...", "detail": "...", "attr": "field"}]}
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.handler import exception_handler as standard_exception_handler
from rest_framework import exceptions
from rest_framework.settings import api_settings

from ..exceptions import PortalError


def portal_exception_handler(exc, context):
    if isinstance(exc, PortalError):
        exc = exceptions.ValidationError(detail=_detail(exc), code=exc.code)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    return standard_exception_handler(exc, context)


def _detail(error: PortalError) -> dict | list:
    """A refusal as DRF's ``ValidationError`` detail: each message under its field (those of
    no field under ``non_field_errors``); a lone refusal of no field as a list."""
    if len(error.errors) == 1 and not error.field:
        return [error.message]
    detail: dict[str, list] = {}
    for refusal in error.errors:
        key = refusal.field or api_settings.NON_FIELD_ERRORS_KEY
        detail.setdefault(key, []).append(refusal.message)
    return detail
