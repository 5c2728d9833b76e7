"""What the evaluation's pages share: permission checks, form errors, the managed call."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.forms import add_portal_error

from ...models import Call
from .. import selectors


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _form_error(form, error) -> None:
    if isinstance(error, PortalError):
        add_portal_error(form, error)
    elif hasattr(error, "error_dict"):
        for name, field_errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _managed_call(request, number: int) -> Call:
    _require(request, "opencalls.manage_evaluation")
    return get_object_or_404(Call.objects.with_status(), number=number)


def _manager_context(call, active: str, **extra) -> dict:
    return {"call": call, "active": active, "settings": selectors.settings_for(call), **extra}


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error
