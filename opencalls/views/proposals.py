"""The applicant portal: starting, editing, submitting and withdrawing proposals."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.audit import audit_trail
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.forms import ErrorItem, add_error_beside, error_summary
from ai4media_portal.core.idempotency import posted_form_token
from ai4media_portal.core.permissions import can
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.web import form_error, paginate, require

from .. import selectors, services
from ..enums import DECIDABLE_STATES, EDITABLE_STATES, ProposalStatus
from ..forms import (
    BudgetForm,
    ClarificationAnswerForm,
    DocumentForm,
    ProposalForm,
    WithdrawForm,
    milestone_formset,
    milestone_rows,
    team_formset,
    team_rows,
)
from ..models import Proposal
from .common import PAGE_SIZE
from .public import _call_or_404


@login_required
@require_POST
def proposal_start(request, number: int):
    """Start a draft (once per form token: a double click opens the same draft)."""
    call = _call_or_404(request, number)
    try:
        proposal = services.proposal_start(
            call=call, actor=request.user, form_token=posted_form_token(request)
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("opencalls:call", number=call.number)
    if proposal.already_started:
        messages.info(request, _("This draft was already started: here it is."))
    else:
        messages.success(request, _("Your draft is ready. It saves as you type."))
    return redirect("opencalls:proposal_edit", pk=proposal.pk)


@login_required
@private_page
def my_proposals(request):
    proposals = selectors.proposals_of_applicant(user=request.user)
    return render(
        request,
        "opencalls/my_proposals.html",
        {
            "page": paginate(request, proposals, PAGE_SIZE),
            "open_calls": selectors.open_calls(),
            "projects": selectors.projects_of_team(user=request.user),
        },
    )


def _proposal_or_404(request, pk: int) -> Proposal:
    return get_object_or_404(selectors.proposals_visible(user=request.user), pk=pk)


@login_required
def proposal_detail(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.view_proposal", proposal)
    return _proposal_page(request, proposal)


def _proposal_page(request, proposal, *, answer_form=None, withdraw_form=None, status=200):
    proposal = selectors.proposal_with_details(Proposal.objects.filter(pk=proposal.pk)).get()
    version = proposal.current_version
    is_owner = proposal.applicant_id == request.user.pk
    is_manager = can(request.user, "opencalls.screen_proposal", proposal)
    screening = getattr(proposal, "screening", None)
    now = timezone.now()
    return render(
        request,
        "opencalls/proposal_detail.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "version": version,
            "version_data": selectors.version_for_display(version) if version else None,
            "versions": proposal.versions.all(),
            "screening": screening,
            "is_owner": is_owner,
            "is_manager": is_manager,
            "can_edit": is_owner
            and proposal.status in EDITABLE_STATES
            and proposal.call.accepts_submissions_at(now),
            "can_withdraw": is_owner
            and proposal.status in {ProposalStatus.DRAFT, ProposalStatus.SUBMITTED}
            and now < proposal.call.closes_at,
            "changed_since_submission": bool(
                version and proposal.updated_at > version.submitted_at and is_owner
            ),
            "answer_form": answer_form or ClarificationAnswerForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "can_decide": is_manager and proposal.status in DECIDABLE_STATES,
            "audit": audit_trail(proposal)[:20] if is_manager else [],
            # Applicants see every step and its message, but not which call manager took it.
            "history": selectors.proposal_history(proposal),
            "history_names": is_manager,
            "ProposalStatus": ProposalStatus,
        },
        status=status,
    )


@dataclass
class DraftForms:
    form: ProposalForm
    budget: BudgetForm
    team: object
    milestones: object
    document: DocumentForm
    sections: dict


def _draft_forms(proposal, data=None) -> DraftForms:
    return DraftForms(
        form=ProposalForm(data, proposal=proposal),
        budget=BudgetForm(data, proposal=proposal),
        team=team_formset(proposal, data),
        milestones=milestone_formset(proposal, data),
        document=DocumentForm(call=proposal.call),
        sections={},
    )


def _answers_posted(request) -> bool:
    # The proposal form always carries its tables' management fields; a request without them
    # (a bare upload) has no answers to save and must not blank the saved ones.
    return "team-TOTAL_FORMS" in request.POST


def _save_draft(request, proposal, *, require_document=False) -> tuple[DraftForms, bool]:
    """Save whatever is valid in the posted proposal form; report the rest. A document chosen
    in the form (every button of the form sends it) is uploaded too, after the answers, so
    neither a button nor a refused file ever drops what was typed."""
    if not _answers_posted(request):
        forms = _draft_forms(proposal)
        if not (require_document or request.FILES.get("document")):
            # Nothing to save, but the same refusals (closed call, decided proposal) apply.
            try:
                services.proposal_save_draft(proposal=proposal, actor=request.user)
            except PortalError as error:
                forms.form = ProposalForm(request.POST, proposal=proposal)
                forms.form.is_valid()
                form_error(forms.form, error)
                return forms, False
    else:
        forms = _draft_forms(proposal, request.POST)
        forms.form.is_valid()
        forms.budget.is_valid()
        team = milestones = None
        if forms.team.management_form.is_valid():
            forms.team.is_valid()
            team = team_rows(forms.team)
        if forms.milestones.management_form.is_valid():
            forms.milestones.is_valid()
            milestones = milestone_rows(forms.milestones)
        try:
            services.proposal_save_draft(
                proposal=proposal,
                actor=request.user,
                fields=forms.form.draft_fields(),
                team=team,
                budget=forms.budget.lines(),
                milestones=milestones,
            )
        except PortalError as error:
            form_error(forms.form, error)
            return forms, False
    if require_document or request.FILES.get("document"):
        forms.document = DocumentForm(request.POST, request.FILES, call=proposal.call)
        if forms.document.is_valid():
            try:
                services.proposal_save_draft(
                    proposal=proposal,
                    actor=request.user,
                    document=forms.document.cleaned_data["document"],
                )
            except PortalError as error:
                form_error(forms.document, error)
    return forms, True


def _has_input_errors(forms: DraftForms) -> bool:
    return bool(
        forms.form.errors
        or forms.document.errors
        or forms.budget.errors
        or any(f.errors for f in forms.team.forms)
        or any(f.errors for f in forms.milestones.forms)
    )


def _show_problems(forms: DraftForms, problems: dict) -> None:
    """Put the submission's problems beside the fields (or sections) they concern."""
    for field, messages_ in problems.items():
        for message in messages_:
            if field in forms.form.fields:
                forms.form.add_error(field, message)
            elif field == "document":
                add_error_beside(forms.document, "document", message)
            else:
                forms.sections.setdefault(field, []).append(message)


# The parts of the proposal form that problems about several rows point to.
SECTION_ANCHORS = {"team": "team", "budget": "budget", "milestones": "workplan"}


def _anchor(forms: DraftForms, field: str) -> str:
    if field in forms.form.fields:
        return f"#{forms.form[field].auto_id}"
    if field == "document":
        return f"#{forms.document['document'].auto_id}"
    return f"#{SECTION_ANCHORS.get(field, field)}"


def _edit_page(request, proposal, forms: DraftForms, *, status=200, summary_title=None):
    """The proposal form. A refused save, upload or submit (``status`` 422) opens with the
    error summary: every problem, each a link to its field; the "Before you submit" checklist
    runs ``proposal_problems``, the very check of ``proposal_submit``."""
    proposal.refresh_from_db()
    checklist = services.proposal_problems(proposal)
    return render(
        request,
        "opencalls/proposal_edit.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "forms": forms,
            "summary": error_summary(
                forms.form,
                forms.budget,
                forms.team,
                forms.milestones,
                forms.document,
                sections={SECTION_ANCHORS.get(k, k): v for k, v in forms.sections.items()},
            )
            if status >= 400
            else [],
            "summary_title": summary_title,
            "checklist": [
                ErrorItem(message, _anchor(forms, field))
                for field, messages_ in checklist.items()
                for message in messages_
            ],
        },
        status=status,
    )


def _owned_editable(request, pk) -> Proposal:
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.change_proposal", proposal)
    return proposal


@login_required
def proposal_edit(request, pk: int):
    """The proposal form: sections that save as a draft (automatically with JavaScript, with
    the Save button without); its Submit button posts to ``proposal_submit``."""
    proposal = _owned_editable(request, pk)
    if request.method != "POST":
        if proposal.status not in EDITABLE_STATES:
            return redirect("opencalls:proposal", pk=proposal.pk)
        if not proposal.call.accepts_submissions_at(timezone.now()):
            messages.info(request, _("The call is closed: the proposal can no longer change."))
            return redirect("opencalls:proposal", pk=proposal.pk)
        return _edit_page(request, proposal, _draft_forms(proposal))
    forms, saved = _save_draft(request, proposal)
    if not saved or _has_input_errors(forms):
        return _edit_page(
            request,
            proposal,
            forms,
            status=422,
            summary_title=_("Some answers were not saved. Please fix:"),
        )
    messages.success(request, _("Draft saved."))
    return redirect(reverse("opencalls:proposal_edit", args=[proposal.pk]))


@login_required
@require_POST
def proposal_submit(request, pk: int):
    """Submit from the proposal form: save the draft as it stands first, then submit it."""
    proposal = _owned_editable(request, pk)
    refused = _("Your proposal was not submitted. Please fix:")
    forms, saved = _save_draft(request, proposal)
    if not saved or _has_input_errors(forms):
        return _edit_page(request, proposal, forms, status=422, summary_title=refused)
    try:
        version = services.proposal_submit(proposal=proposal, actor=request.user)
    except ValidationError as error:
        _show_problems(forms, error.message_dict)
        return _edit_page(request, proposal, forms, status=422, summary_title=refused)
    except PortalError as error:
        form_error(forms.form, error)
        return _edit_page(request, proposal, forms, status=422, summary_title=refused)
    if not version.unchanged:
        messages.success(
            request,
            _(
                "Your proposal has been submitted as %(reference)s. A receipt is on its way by "
                "email."
            )
            % {"reference": version.reference},
        )
    else:
        messages.info(
            request,
            _(
                "Nothing has changed since you submitted %(reference)s: it stands, and no new "
                "version was made."
            )
            % {"reference": version.reference},
        )
    return redirect("opencalls:proposal", pk=proposal.pk)


@login_required
@require_POST
def proposal_autosave(request, pk: int):
    """htmx: save the draft in the background and say what was saved and what was not."""
    proposal = _owned_editable(request, pk)
    forms, saved = _save_draft(request, proposal)
    errors = []
    for form in [forms.form, forms.budget, *forms.team.forms, *forms.milestones.forms]:
        for name, field_errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors.extend(f"{label}: {e}" if label else e for e in field_errors)
    return render(
        request,
        "opencalls/_autosave_status.html",
        {"saved": saved and not errors, "partly": saved and errors, "errors": errors},
    )


@login_required
@require_POST
def proposal_document_upload(request, pk: int):
    """The form's "Upload document" button: the whole proposal form comes with the file, so
    the answers typed since the last autosave are saved with it, not lost."""
    proposal = _owned_editable(request, pk)
    forms, saved = _save_draft(request, proposal, require_document=True)
    if saved and not _has_input_errors(forms):
        messages.success(request, _("Document uploaded; your answers are saved too."))
        return redirect(reverse("opencalls:proposal_edit", args=[proposal.pk]) + "#document")
    return _edit_page(
        request,
        proposal,
        forms,
        status=422,
        summary_title=_("The document was not uploaded. Please fix:"),
    )


@login_required
@require_POST
def proposal_withdraw(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.withdraw_proposal", proposal)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_withdraw(
                proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your proposal has been withdrawn."))
            return redirect("opencalls:proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, withdraw_form=form, status=422)


@login_required
@require_POST
def clarification_answer(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.answer_clarification", proposal)
    form = ClarificationAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.clarification_answer(
                proposal=proposal, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Thank you: your answer has been sent to the screener."))
            return redirect("opencalls:proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, answer_form=form, status=422)


@login_required
def proposal_document(request, pk: int):
    """The working copy's document: its applicant and call managers only."""
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.download_proposal_document", proposal)
    if not proposal.document:
        raise Http404
    name = f"{proposal.reference or 'draft-' + str(proposal.pk)}.pdf"
    return private_file_response(proposal.document, download_name=name)


@login_required
def version_document(request, pk: int, number: int):
    """A submitted version's document: its applicant and call managers only."""
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.download_proposal_document", proposal)
    version = get_object_or_404(proposal.versions, number=number)
    return private_file_response(version.document, download_name=f"{version.reference}.pdf")
