"""The applicant's Evaluation Summary Report, on a page and as a PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from ai4media_portal.core.permissions import can

from ... import selectors as call_selectors
from .. import selectors


def _esr_or_404(request, pk: int):
    proposal = get_object_or_404(
        call_selectors.proposals_visible(user=request.user).select_related(
            "current_version__track"
        ),
        pk=pk,
    )
    if not can(request.user, "opencalls.view_esr", proposal):
        raise Http404
    report = selectors.summary_report(proposal)
    if report is None:
        raise Http404
    return report


@login_required
def esr(request, pk: int):
    """The Evaluation Summary Report: for the applicant once the results are published (call
    managers may preview it). Consensus scores and comments; never an evaluator's name."""
    report = _esr_or_404(request, pk)
    return render(request, "opencalls/evaluation/esr.html", {"report": report})


@login_required
def esr_pdf(request, pk: int):
    from ..pdf import summary_report_pdf

    report = _esr_or_404(request, pk)
    response = HttpResponse(summary_report_pdf(report), content_type="application/pdf")
    name = f"{report.proposal.reference}-evaluation-summary.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
