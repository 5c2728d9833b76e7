"""The ranking, the decisions it suggests and the publication of results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.web import form_error

from ...enums import CallStage
from .. import selectors, services
from ..forms import DecisionsForm
from .common import _managed_call, _manager_context


@login_required
def ranking(request, number: int):
    """The ranking per track (or of the whole call): the budget line, the reserve list,
    proposals below a threshold with their reasons, how ties were broken."""
    call = _managed_call(request, number)
    whole = request.GET.get("view") == "call"
    hidden = selectors.own_cases(user=request.user, call=call)
    rankings = selectors.call_ranking(
        call,
        whole_call=whole,
        hidden=hidden,
        withheld=selectors.blind_proposal_ids(request.user, call),
    )
    return render(
        request,
        "opencalls/evaluation/manage/ranking.html",
        _manager_context(request, call, "ranking", rankings=rankings, whole=whole, hidden=hidden),
    )


@login_required
def decisions(request, number: int):
    """Apply the final ranking (selected / reserve / rejected, each emailed with the link to
    the Evaluation Summary Report), then publish the results."""
    call = _managed_call(request, number)
    form = DecisionsForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.decisions_apply(
                call=call, actor=request.user, message=form.cleaned_data["message"]
            )
        except PortalError as error:
            form_error(form, error)
            status = 422
        else:
            messages.success(
                request,
                _(
                    "Decisions recorded and emailed: %(selected)s selected, %(reserve)s on the "
                    "reserve list, %(rejected)s not selected."
                )
                % counts,
            )
            return redirect("opencalls:evaluation:decisions", number=number)
    evaluating = call.stage == CallStage.UNDER_EVALUATION
    withheld = selectors.blind_proposal_ids(request.user, call)
    plan = selectors.decision_plan(call, withheld=withheld) if evaluating else []
    blockers = selectors.decision_blockers(call, actor=request.user) if evaluating else []
    decided = selectors.decided_proposals(call)
    return render(
        request,
        "opencalls/evaluation/manage/decisions.html",
        _manager_context(
            request, call, "decisions", form=form, plan=plan, decided=decided, blockers=blockers
        ),
        status=status,
    )


@login_required
@require_POST
def results_publish(request, number: int):
    call = _managed_call(request, number)
    try:
        with transaction.atomic():
            services.results_publish(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("opencalls:evaluation:decisions", number=number)
    messages.success(
        request, _("Results published; applicants can read their Evaluation Summary Report.")
    )
    return redirect("opencalls:evaluation:decisions", number=number)
