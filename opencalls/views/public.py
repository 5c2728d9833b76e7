"""Public pages: the calls, a call's page and the catalogue of funded projects."""

from django.shortcuts import get_object_or_404, render

from ai4media_portal.core.idempotency import new_form_token
from ai4media_portal.core.public_cache import public_page
from ai4media_portal.core.web import listing_query, paginate

from .. import selectors
from ..enums import CallStatus
from ..evaluation import selectors as evaluation_selectors
from ..forms import ProjectFilterForm
from ..models import Call
from .common import PAGE_SIZE


@public_page("opencalls")
def index(request):
    """Open, upcoming and past calls with their key dates and a countdown to each deadline."""
    return render(
        request,
        "opencalls/index.html",
        {
            "groups": selectors.calls_grouped(),
            "is_manager": selectors.user_is_manager(request.user),
            "has_evaluations": evaluation_selectors.has_assignments(user=request.user),
        },
    )


def _call_or_404(request, number: int) -> Call:
    calls = selectors.calls_with_structure(selectors.calls_visible(user=request.user))
    return get_object_or_404(calls, number=number)


@public_page("opencalls")
def call_detail(request, number: int):
    call = _call_or_404(request, number)
    own = selectors.applicant_proposals_in_call(call=call, user=request.user)
    return render(
        request,
        "opencalls/call_detail.html",
        {
            "call": call,
            "own_proposals": own,
            # The start form's token: the same start sent twice makes one draft.
            "start_token": new_form_token(),
            "is_manager": selectors.user_is_manager(request.user),
            "CallStatus": CallStatus,
        },
    )


@public_page("opencalls")
def projects(request):
    """The catalogue of funded projects, filtered by call, track and country."""
    calls = selectors.calls_with_funded_projects()
    form = ProjectFilterForm(request.GET or None, calls=calls)
    queryset = selectors.funded_projects_public(filters=form.filters())
    return render(
        request,
        "opencalls/projects.html",
        {
            "form": form,
            "page": paginate(request, queryset, PAGE_SIZE),
            "query": listing_query(request.GET),
        },
    )
