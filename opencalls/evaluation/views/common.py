"""What the evaluation's pages share: the managed call and its context, posted ids."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ai4media_portal.core.web import require

from ...models import Call
from .. import selectors


def _managed_call(request, number: int) -> Call:
    require(request, "opencalls.manage_evaluation")
    return get_object_or_404(Call.objects.with_status(), number=number)


def _manager_context(request, call, active: str, **extra) -> dict:
    """What every call manager's page of the evaluation shows: the call, the active tab, the
    settings, and ``hidden``, the proposals the viewer is a party to (``own_cases``, unless
    given), which call-wide lists show as a conflict of interest, without scores."""
    if "hidden" not in extra:
        extra["hidden"] = selectors.own_cases(user=request.user, call=call)
    return {"call": call, "active": active, "settings": selectors.settings_for(call), **extra}


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error
