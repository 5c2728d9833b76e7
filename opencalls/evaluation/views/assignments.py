"""The assignment matrix and the notification of evaluators."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError

from ...models import Proposal
from .. import selectors, services
from ..models import Assignment
from ..wording import issue_text
from .common import _int, _managed_call, _manager_context
from .runs import _progress_text


@login_required
def manage_assignments(request, number: int):
    """The assignment matrix: proposals × evaluators with affinity, current assignments (locked
    or not, review state), conflict marks and loads; assign, unassign and lock by hand; run the
    automatic assignment; notify evaluators of their new assignments."""
    call = _managed_call(request, number)
    if request.method == "POST":
        return _matrix_action(request, call)
    page = Paginator(selectors.matrix_proposals(call), 40).get_page(request.GET.get("page"))
    matrix = selectors.assignment_matrix(call, page.object_list)
    run = selectors.latest_run(call)
    return render(
        request,
        "opencalls/evaluation/manage/assignments.html",
        _manager_context(
            call,
            "assignments",
            page=page,
            matrix=matrix,
            run=run,
            run_issues=[issue_text(i) for i in (run.issues if run else [])],
            progress_text=_progress_text(run),
        ),
    )


def _matrix_action(request, call):
    action = request.POST.get("action")
    page = request.POST.get("page", "")
    target = reverse("opencalls:evaluation:manage_assignments", args=[call.number])
    if page.isdigit():
        target += f"?page={page}"
    try:
        if action in {"assign", "assign-lock"}:
            proposal = get_object_or_404(Proposal, pk=_int(request.POST.get("proposal")), call=call)
            evaluator = get_object_or_404(get_user_model(), pk=_int(request.POST.get("evaluator")))
            services.assignment_add(
                proposal=proposal,
                evaluator=evaluator,
                actor=request.user,
                locked=action == "assign-lock",
            )
            messages.success(
                request,
                _("%(name)s assigned to %(ref)s.")
                % {"name": evaluator.display_name, "ref": proposal.reference},
            )
            target += f"#p{proposal.pk}"
        elif action in {"unassign", "lock", "unlock"}:
            assignment = get_object_or_404(
                Assignment.objects.select_related("proposal", "evaluator", "call"),
                pk=_int(request.POST.get("assignment")),
                call=call,
            )
            if action == "unassign":
                services.assignment_remove(assignment=assignment, actor=request.user)
                messages.success(request, _("Assignment removed."))
            else:
                services.assignment_lock(
                    assignment=assignment, actor=request.user, locked=action == "lock"
                )
            target += f"#p{assignment.proposal_id}"
        else:
            raise Http404
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(target)


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
