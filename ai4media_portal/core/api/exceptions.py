"""The API's one error format (drf-standardized-errors):

{"type": "validation_error", "errors": [{"code": "...", "detail": "...", "attr": "field"}]}
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.handler import exception_handler as standard_exception_handler
from rest_framework import exceptions

from ..exceptions import PortalError


def portal_exception_handler(exc, context):
    if isinstance(exc, PortalError):
        detail = {exc.field: [exc.message]} if exc.field else [exc.message]
        exc = exceptions.ValidationError(detail=detail, code=exc.code)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    return standard_exception_handler(exc, context)
