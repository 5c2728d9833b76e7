"""Automatic assignment runs: starting one and following its progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError

from .. import services
from ..enums import RunStatus
from ..models import AssignmentRun
from ..wording import issue_text
from .common import _managed_call, _manager_context


@login_required
@require_POST
def run_start(request, number: int):
    call = _managed_call(request, number)
    try:
        run = services.assignment_run_start(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("opencalls:evaluation:manage_assignments", number=number)
    return redirect("opencalls:evaluation:run", number=number, pk=run.pk)


def _progress_text(run) -> str:
    """The run's step (a ``RunProgress`` code) in the reader's language."""
    return run.get_step_display() if run is not None else ""


@login_required
def run(request, number: int, pk: int):
    """A run's progress: the page polls it every second with htmx (and refreshes itself
    without JavaScript) until the run is done, then shows the outcome."""
    call = _managed_call(request, number)
    run = get_object_or_404(AssignmentRun.objects.select_related("actor"), pk=pk, call=call)
    context = _manager_context(
        request,
        call,
        "assignments",
        run=run,
        issues=[issue_text(i) for i in run.issues],
        progress_text=_progress_text(run),
        RunStatus=RunStatus,
    )
    if request.htmx:
        return render(request, "opencalls/evaluation/manage/_run_status.html", context)
    return render(request, "opencalls/evaluation/manage/run.html", context)
