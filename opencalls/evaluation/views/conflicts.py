"""Conflicts of interest: an evaluator's declaration and the managers' list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.web import form_error

from .. import selectors, services
from ..enums import ConflictSource
from ..forms import DeclareConflictForm, DismissForm
from ..models import Conflict
from .common import _managed_call, _manager_context
from .reviews import _assignment_or_404, _review_page


@login_required
@require_POST
def declare_conflict(request, pk: int):
    assignment = _assignment_or_404(request, pk)
    form = DeclareConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(
                proposal=assignment.proposal,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Conflict of interest recorded: the proposal is no longer assigned to you."),
            )
            return redirect("opencalls:evaluation:home")
    return _review_page(request, assignment, conflict_form=form, status=422)


@login_required
def manage_conflicts(request, number: int):
    """Every conflict of the call: detected ones to confirm or dismiss (with a reason, audited),
    declared ones; and a button to detect again."""
    call = _managed_call(request, number)
    if request.method == "POST":
        counts = services.conflicts_detect(call=call, actor=request.user)
        messages.success(
            request,
            _("Conflicts checked: %(new)s new, %(removed)s no longer detected.") % counts,
        )
        return redirect("opencalls:evaluation:manage_conflicts", number=number)
    conflicts = list(selectors.call_conflicts(call))
    return render(
        request,
        "opencalls/evaluation/manage/conflicts.html",
        _manager_context(
            request,
            call,
            "conflicts",
            conflicts=conflicts,
            dismiss_form=DismissForm(),
            ConflictSource=ConflictSource,
        ),
    )


def _back_to_conflict(number: int, pk: int):
    return redirect(reverse("opencalls:evaluation:manage_conflicts", args=[number]) + f"#c{pk}")


@login_required
@require_POST
def conflict_confirm(request, number: int, pk: int):
    call = _managed_call(request, number)
    conflict = get_object_or_404(Conflict, pk=pk, call=call)
    try:
        services.conflict_confirm(conflict=conflict, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Conflict confirmed."))
    return _back_to_conflict(number, pk)


@login_required
@require_POST
def conflict_dismiss(request, number: int, pk: int):
    call = _managed_call(request, number)
    conflict = get_object_or_404(Conflict, pk=pk, call=call)
    form = DismissForm(request.POST)
    form.is_valid()
    try:
        services.conflict_dismiss(
            conflict=conflict, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Conflict dismissed."))
    return _back_to_conflict(number, pk)
