"""A call manager's decision on a proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.web import form_error, require

from .. import services
from ..enums import ProposalStatus
from ..forms import DecisionForm
from .proposals import _proposal_or_404


@login_required
def decision(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.decide_proposal", proposal)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_decide(
                proposal=proposal,
                actor=request.user,
                outcome=ProposalStatus(form.cleaned_data["outcome"]),
                message=form.cleaned_data["message"],
            )
        except PortalError as error:
            form_error(form, error)
        else:
            if form.cleaned_data["outcome"] == ProposalStatus.SELECTED:
                messages.success(request, _("Selected for funding. Set up the funded project now."))
                return redirect("opencalls:fund", pk=proposal.pk)
            messages.success(request, _("Decision recorded; the applicant has been told."))
            return redirect("opencalls:proposal", pk=proposal.pk)
    return render(
        request,
        "opencalls/manage/decision.html",
        {"proposal": proposal, "form": form},
        status=422 if request.method == "POST" else 200,
    )
