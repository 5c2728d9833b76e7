"""What the evaluation's pages share: the managed call and its context, posted ids."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ai4media_portal.core.web import require

from ...models import Call
from .. import selectors


def _managed_call(request, number: int) -> Call:
    require(request, "opencalls.manage_evaluation")
    return get_object_or_404(Call.objects.with_status(), number=number)


def _manager_context(call, active: str, **extra) -> dict:
    return {"call": call, "active": active, "settings": selectors.settings_for(call), **extra}


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error
