"""The assignment matrix and the notification of evaluators."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.web import paginate

from ...models import Proposal
from .. import selectors, services
from ..models import Assignment
from ..wording import issue_text
from .common import _int, _managed_call, _manager_context
from .runs import _progress_text


@login_required
@require_GET
def manage_assignments(request, number: int):
    """The assignment matrix: proposals × evaluators with affinity, current assignments (locked
    or not, review state), conflict marks and loads; assign, unassign and lock by hand; run the
    automatic assignment; notify evaluators of their new assignments. Each action posts to its
    own view below."""
    call = _managed_call(request, number)
    page = paginate(request, selectors.matrix_proposals(call), 40)
    matrix = selectors.assignment_matrix(call, page.object_list)
    run = selectors.latest_run(call)
    return render(
        request,
        "opencalls/evaluation/manage/assignments.html",
        _manager_context(
            request,
            call,
            "assignments",
            page=page,
            matrix=matrix,
            run=run,
            run_issues=[issue_text(i) for i in (run.issues if run else [])],
            progress_text=_progress_text(run),
        ),
    )


def _back_to_matrix(request, call, proposal_id: int):
    """The matrix page the action came from (``page`` posted back), at the proposal's row."""
    target = reverse("opencalls:evaluation:manage_assignments", args=[call.number])
    page = request.POST.get("page", "")
    if page.isdigit():
        target += f"?page={page}"
    return redirect(f"{target}#p{proposal_id}")


@login_required
@require_POST
def assignment_add(request, number: int):
    """Assign the posted evaluator to the posted proposal; ``locked=1`` locks the assignment
    so that automatic runs keep it."""
    call = _managed_call(request, number)
    proposal = get_object_or_404(Proposal, pk=_int(request.POST.get("proposal")), call=call)
    evaluator = get_object_or_404(get_user_model(), pk=_int(request.POST.get("evaluator")))
    try:
        services.assignment_add(
            proposal=proposal,
            evaluator=evaluator,
            actor=request.user,
            locked=request.POST.get("locked") == "1",
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s assigned to %(ref)s.")
            % {"name": evaluator.display_name, "ref": proposal.reference},
        )
    return _back_to_matrix(request, call, proposal.pk)


def _matrix_assignment(request, number: int, pk: int):
    call = _managed_call(request, number)
    assignment = get_object_or_404(
        Assignment.objects.select_related("proposal", "evaluator", "call"), pk=pk, call=call
    )
    return call, assignment


@login_required
@require_POST
def assignment_remove(request, number: int, pk: int):
    call, assignment = _matrix_assignment(request, number, pk)
    try:
        services.assignment_remove(assignment=assignment, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Assignment removed."))
    return _back_to_matrix(request, call, assignment.proposal_id)


def _set_lock(request, number: int, pk: int, *, locked: bool):
    call, assignment = _matrix_assignment(request, number, pk)
    try:
        services.assignment_lock(assignment=assignment, actor=request.user, locked=locked)
    except PortalError as error:
        messages.error(request, error.message)
    return _back_to_matrix(request, call, assignment.proposal_id)


@login_required
@require_POST
def assignment_lock(request, number: int, pk: int):
    return _set_lock(request, number, pk, locked=True)


@login_required
@require_POST
def assignment_unlock(request, number: int, pk: int):
    return _set_lock(request, number, pk, locked=False)


@login_required
@require_POST
def notify(request, number: int):
    call = _managed_call(request, number)
    try:
        told = services.assignments_notify(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)s evaluators were told of their new assignments.") % {"count": told}
        )
    return redirect("opencalls:evaluation:manage_assignments", number=number)
