"""The eligibility screen of a submitted proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.web import form_error, require

from .. import selectors, services
from ..enums import ProposalStatus
from ..forms import ScreeningForm
from ..models import Proposal
from .proposals import _proposal_or_404


@login_required
def screening(request, pk: int):
    """The eligibility screen: each checklist item passed or failed with a reason, then an
    outcome (eligible, ineligible, clarification requested)."""
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.screen_proposal", proposal)
    items = proposal.call.checklist.all()
    form = ScreeningForm(
        request.POST or None, items=items, checks=selectors.screening_checks(proposal)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_screen(
                proposal=proposal,
                actor=request.user,
                checks=list(form.checks()),
                outcome=form.cleaned_data["outcome"] or None,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form_error(form, error)
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Eligibility check saved."))
            return redirect("opencalls:screening", pk=proposal.pk)
    proposal = selectors.proposal_with_details(Proposal.objects.filter(pk=proposal.pk)).get()
    version = proposal.current_version
    return render(
        request,
        "opencalls/manage/screening.html",
        {
            "proposal": proposal,
            "version": version,
            "version_data": selectors.version_for_display(version) if version else None,
            "screening": getattr(proposal, "screening", None),
            "form": form,
            "open": proposal.status
            in {
                ProposalStatus.SUBMITTED,
                ProposalStatus.SCREENING,
                ProposalStatus.CLARIFICATION_REQUESTED,
            },
        },
        status=422 if request.method == "POST" else 200,
    )
