"""Pages of open calls: the public calls and funded projects, the applicant portal, and the
call managers' tools. Every write goes through ``services``; every lookup of a confidential
object goes through a selector filtered for the user, so a guessed id gives 404."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.audit import audit_trail
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.forms import add_portal_error

from . import selectors, services
from .enums import (
    DECIDABLE_STATES,
    EDITABLE_STATES,
    CallStage,
    CallStatus,
    DeliverableStatus,
    ProposalStatus,
    TrancheStatus,
)
from .forms import (
    BudgetForm,
    CallForm,
    ClarificationAnswerForm,
    DecisionForm,
    DeliverableForm,
    DeliverableReviewForm,
    DeliverableUploadForm,
    DemoDayForm,
    DocumentForm,
    FundedProjectForm,
    OutputLinkForm,
    ProjectFilterForm,
    ProjectUpdateForm,
    ProposalFilterForm,
    ProposalForm,
    ScreeningForm,
    SupportSessionForm,
    WithdrawForm,
    formset_rows,
    milestone_formset,
    milestone_rows,
    structure_formsets,
    team_formset,
    team_rows,
)
from .models import (
    Call,
    Deliverable,
    DeliverableSubmission,
    FundedProject,
    OutputLink,
    Proposal,
    Tranche,
)

PAGE_SIZE = 25


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Public pages -----------------------------------------------------------------------------


def index(request):
    """Open, upcoming and past calls with their key dates and a countdown to each deadline."""
    return render(
        request,
        "opencalls/index.html",
        {
            "groups": selectors.calls_grouped(),
            "is_manager": selectors.user_is_manager(request.user),
        },
    )


def _call_or_404(request, number: int) -> Call:
    calls = selectors.calls_with_structure(selectors.calls_visible(user=request.user))
    return get_object_or_404(calls, number=number)


def call_detail(request, number: int):
    call = _call_or_404(request, number)
    own = []
    if request.user.is_authenticated:
        own = list(
            Proposal.objects.filter(call=call, applicant=request.user).order_by("-updated_at")
        )
    return render(
        request,
        "opencalls/call_detail.html",
        {
            "call": call,
            "own_proposals": own,
            "is_manager": selectors.user_is_manager(request.user),
            "CallStatus": CallStatus,
        },
    )


@login_required
@require_POST
def proposal_start(request, number: int):
    call = _call_or_404(request, number)
    try:
        proposal = services.proposal_start(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("opencalls:call", number=call.number)
    messages.success(request, _("Your draft is ready. It saves as you type."))
    return redirect("opencalls:proposal_edit", pk=proposal.pk)


def projects(request):
    """The catalogue of funded projects, filtered by call, track and country."""
    calls = list(Call.objects.published().filter(funded_projects__isnull=False).distinct())
    form = ProjectFilterForm(request.GET or None, calls=calls)
    queryset = selectors.funded_projects_public(filters=form.filters())
    return render(
        request,
        "opencalls/projects.html",
        {"form": form, "page": _page(request, queryset), "query": _query_without_page(request)},
    )


# --- Applicants -------------------------------------------------------------------------------


@login_required
def my_proposals(request):
    proposals = selectors.proposals_of_applicant(user=request.user)
    return render(
        request,
        "opencalls/my_proposals.html",
        {
            "page": _page(request, proposals),
            "open_calls": selectors.open_calls(),
            "projects": selectors.projects_of_team(user=request.user),
        },
    )


def _proposal_or_404(request, pk: int) -> Proposal:
    return get_object_or_404(selectors.proposals_visible(user=request.user), pk=pk)


@login_required
def proposal_detail(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.view_proposal", proposal)
    return _proposal_page(request, proposal)


def _proposal_page(request, proposal, *, answer_form=None, withdraw_form=None, status=200):
    proposal = selectors.proposal_with_details(Proposal.objects.filter(pk=proposal.pk)).get()
    version = proposal.current_version
    is_owner = proposal.applicant_id == request.user.pk
    is_manager = request.user.has_perm("opencalls.screen_proposal", proposal)
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


def _save_draft(request, proposal) -> tuple[DraftForms, bool]:
    """Save whatever is valid in the posted proposal form; report the rest."""
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
        add_portal_error(forms.form, error)
        return forms, False
    return forms, True


def _has_input_errors(forms: DraftForms) -> bool:
    return bool(
        forms.form.errors
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
                forms.document.add_error(None, message)
            else:
                forms.sections.setdefault(field, []).append(message)


def _edit_page(request, proposal, forms: DraftForms, *, status=200, problems=None):
    proposal.refresh_from_db()
    return render(
        request,
        "opencalls/proposal_edit.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "forms": forms,
            "problems": problems,
            "checklist": services.proposal_problems(proposal),
        },
        status=status,
    )


def _owned_editable(request, pk) -> Proposal:
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.change_proposal", proposal)
    return proposal


@login_required
def proposal_edit(request, pk: int):
    """The proposal form: sections that save as a draft (automatically with JavaScript, with
    the Save button without), and Submit, which saves first and then submits."""
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
        return _edit_page(request, proposal, forms, status=422)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved."))
        return redirect(reverse("opencalls:proposal_edit", args=[proposal.pk]))
    try:
        version = services.proposal_submit(proposal=proposal, actor=request.user)
    except ValidationError as error:
        _show_problems(forms, error.message_dict)
        return _edit_page(request, proposal, forms, status=422, problems=error.message_dict)
    except PortalError as error:
        add_portal_error(forms.form, error)
        return _edit_page(request, proposal, forms, status=422)
    messages.success(
        request,
        _("Your proposal has been submitted as %(reference)s. A receipt is on its way by email.")
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
    proposal = _owned_editable(request, pk)
    forms = _draft_forms(proposal)
    forms.document = DocumentForm(request.POST, request.FILES, call=proposal.call)
    if forms.document.is_valid():
        try:
            services.proposal_save_draft(
                proposal=proposal,
                actor=request.user,
                document=forms.document.cleaned_data["document"],
            )
        except PortalError as error:
            add_portal_error(forms.document, error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect(reverse("opencalls:proposal_edit", args=[proposal.pk]) + "#document")
    return _edit_page(request, proposal, forms, status=422)


@login_required
@require_POST
def proposal_withdraw(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.withdraw_proposal", proposal)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_withdraw(
                proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("Your proposal has been withdrawn."))
            return redirect("opencalls:proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, withdraw_form=form, status=422)


@login_required
@require_POST
def clarification_answer(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.answer_clarification", proposal)
    form = ClarificationAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.clarification_answer(
                proposal=proposal, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("Thank you: your answer has been sent to the screener."))
            return redirect("opencalls:proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, answer_form=form, status=422)


@login_required
def proposal_document(request, pk: int):
    """The working copy's document: its applicant and call managers only."""
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.download_proposal_document", proposal)
    if not proposal.document:
        raise Http404
    name = f"{proposal.reference or 'draft-' + str(proposal.pk)}.pdf"
    return private_file_response(proposal.document, download_name=name)


@login_required
def version_document(request, pk: int, number: int):
    """A submitted version's document: its applicant and call managers only."""
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.download_proposal_document", proposal)
    version = get_object_or_404(proposal.versions, number=number)
    return private_file_response(version.document, download_name=f"{version.reference}.pdf")


# --- Call managers: calls ---------------------------------------------------------------------


def _manager(request) -> None:
    if not request.user.has_perm("opencalls.manage_calls"):
        raise PermissionDenied


@login_required
def manage_calls(request):
    _manager(request)
    return render(
        request,
        "opencalls/manage/calls.html",
        {"calls": selectors.calls_for_managers(), "todo": {"counts": selectors.manager_counts()}},
    )


@login_required
def call_create(request):
    _manager(request)
    form = CallForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                actor=request.user, data=form.call_data(), guide=form.cleaned_data.get("guide")
            )
        except (PortalError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Draft call created: now add its tracks and criteria."))
            return redirect("opencalls:call_edit", number=call.number)
    status = 422 if request.method == "POST" else 200
    return render(request, "opencalls/manage/call_form.html", {"form": form}, status=status)


def _form_error(form, error) -> None:
    if isinstance(error, PortalError):
        add_portal_error(form, error)
        return
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


@login_required
def call_edit(request, number: int):
    """The call editor: its own fields and, on the same page, tracks, challenges, criteria,
    eligibility checklist and FAQ."""
    _manager(request)
    call = get_object_or_404(Call.objects.with_status(), number=number)
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, request.FILES or None, instance=call)
    formsets = structure_formsets(call, data)
    if request.method == "POST":
        # Validate everything (no short circuit) so every error shows at once.
        form_valid = form.is_valid()
        formsets_valid = [formset.is_valid() for formset in formsets.values()]
        if form_valid and all(formsets_valid):
            try:
                with transaction.atomic():
                    services.call_update(
                        call=call,
                        actor=request.user,
                        data=form.call_data(),
                        guide=form.cleaned_data.get("guide"),
                        clear_guide=bool(request.POST.get("clear_guide")),
                    )
                    services.call_save_structure(
                        call=call,
                        actor=request.user,
                        **{name: formset_rows(fs) for name, fs in formsets.items()},
                    )
            except (PortalError, ValidationError) as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Call saved."))
                return redirect(
                    "opencalls:call_edit", number=form.call_data().get("number", number)
                )
    return render(
        request,
        "opencalls/manage/call_form.html",
        {
            "form": form,
            "call": call,
            "formsets": formsets,
            "problems": services.call_publication_problems(call),
            "CallStage": CallStage,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def call_copy(request, number: int):
    _manager(request)
    call = get_object_or_404(Call, number=number)
    copy = services.call_copy(call=call, actor=request.user)
    messages.success(
        request,
        _("Open Call #%(number)s created as a draft copy. Check its dates.")
        % {"number": copy.number},
    )
    return redirect("opencalls:call_edit", number=copy.number)


@login_required
@require_POST
def call_stage(request, number: int):
    _manager(request)
    call = get_object_or_404(Call, number=number)
    stage = request.POST.get("stage", "")
    if stage not in CallStage.values:
        raise Http404
    try:
        services.call_set_stage(call=call, actor=request.user, stage=CallStage(stage))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The call is now %(stage)s.") % {"stage": CallStage(stage).label}
        )
    return redirect("opencalls:call_edit", number=call.number)


# --- Call managers: proposals -----------------------------------------------------------------


@login_required
def manage_proposals(request, number: int):
    """A call's submitted proposals, filtered and sorted, with CSV and Excel exports."""
    _manager(request)
    call = get_object_or_404(Call, number=number)
    form = ProposalFilterForm(request.GET or None, call=call)
    filters = form.filters()
    sort = filters.get("sort", "") if filters else ""
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        _require(request, "opencalls.export_proposals")
        headers, rows = selectors.proposal_export_rows(call=call, filters=filters, sort=sort)
        return tabular_response(
            fmt,
            headers,
            rows,
            filename=f"{call.reference_prefix}-proposals",
            title=f"Open Call {call.number}",
        )
    proposals = selectors.call_proposals(call=call, filters=filters, sort=sort)
    query = _query_without_page(request)
    return render(
        request,
        "opencalls/manage/proposals.html",
        {
            "call": call,
            "form": form,
            "page": _page(request, proposals, 50),
            "query": query,
            "export_query": "&".join(filter(None, [query])),
        },
    )


@login_required
def screening(request, pk: int):
    """The eligibility screen: each checklist item passed or failed with a reason, then an
    outcome (eligible, ineligible, clarification requested)."""
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.screen_proposal", proposal)
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
            _form_error(form, error)
        except PortalError as error:
            add_portal_error(form, error)
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


@login_required
def decision(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.decide_proposal", proposal)
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
            add_portal_error(form, error)
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


@login_required
def fund(request, pk: int):
    """Create the funded project of a selected proposal."""
    proposal = _proposal_or_404(request, pk)
    _require(request, "opencalls.manage_project")
    existing = FundedProject.objects.filter(proposal=proposal).first()
    if existing is not None:
        return redirect("opencalls:project", pk=existing.pk)
    version = proposal.current_version
    initial = {}
    if version is not None:
        initial = {
            "agreement_reference": f"{proposal.reference}-GA",
            "funding_amount": version.requested_funding,
            "summary": version.data.get("abstract", ""),
            "start_date": timezone.localdate(),
        }
    form = FundedProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.funded_project_create(
                proposal=proposal, actor=request.user, **form.cleaned_data
            )
        except (PortalError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Funded project created; the beneficiary has been told."))
            return redirect("opencalls:project", pk=project.pk)
    return render(
        request,
        "opencalls/manage/fund.html",
        {"proposal": proposal, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- Funded projects --------------------------------------------------------------------------


@login_required
def manage_projects(request):
    _require(request, "opencalls.manage_project")
    return render(
        request,
        "opencalls/manage/projects.html",
        {"page": _page(request, selectors.projects_for_managers(), 50)},
    )


def _project_or_404(pk: int) -> FundedProject:
    queryset = selectors.project_with_public_details(FundedProject.objects.all())
    return get_object_or_404(queryset, pk=pk)


def project_detail(request, pk: int):
    return _project_page(request, _project_or_404(pk))


def _project_page(request, project, *, bound: dict | None = None, status=200):
    """The public project page; its team and call managers also see the follow-up (tranches,
    deliverables, support) with the forms they may use. ``bound`` holds a form that failed."""
    bound = bound or {}
    user = request.user
    follows = user.has_perm("opencalls.follow_project", project)
    manages = user.has_perm("opencalls.manage_project", project)
    context = {
        "project": project,
        "follows": follows,
        "manages": manages,
        "is_team": project.is_team_member(user),
        "output_form": bound.get("output") or OutputLinkForm(auto_id="id_output_%s"),
        "DeliverableStatus": DeliverableStatus,
        "TrancheStatus": TrancheStatus,
    }
    if follows:
        context.update(selectors.project_follow_up(project))
        context["update_form"] = bound.get("update") or ProjectUpdateForm(
            initial={
                "status": project.status,
                "end_date": project.end_date,
                "outcomes": project.outcomes,
                "website": project.website,
            },
            team_only=not manages,
            auto_id="id_update_%s",
        )
        # One form per deliverable, with ids of its own; the one that failed stays bound.
        for deliverable in context["deliverables"]:
            auto_id = f"id_d{deliverable.pk}_%s"
            deliverable.upload_form = (
                bound["upload"]
                if bound.get("target") == deliverable.pk and "upload" in bound
                else DeliverableUploadForm(auto_id=auto_id)
            )
            deliverable.review_form = (
                bound["review"]
                if bound.get("target") == deliverable.pk and "review" in bound
                else DeliverableReviewForm(auto_id=auto_id)
            )
    if manages:
        context["deliverable_form"] = bound.get("deliverable") or DeliverableForm(
            project=project, auto_id="id_deliverable_%s"
        )
        context["support_form"] = bound.get("support") or SupportSessionForm(
            auto_id="id_support_%s"
        )
        context["demoday_form"] = bound.get("demoday") or DemoDayForm(auto_id="id_demoday_%s")
    return render(request, "opencalls/project_detail.html", context, status=status)


def _project_action(request, pk, perm, form_class, key, action, *, form_kwargs=None, anchor=""):
    """Run ``action(project, cleaned_data)`` for a valid form; otherwise show the page with
    the form's errors."""
    project = _project_or_404(pk)
    _require(request, perm, project)
    form = form_class(
        request.POST,
        auto_id=f"id_{key}_%s",
        **(form_kwargs or {}),
    )
    if form.is_valid():
        try:
            action(project, form.cleaned_data)
        except (PortalError, ValidationError) as error:
            _form_error(form, error)
        else:
            anchor = anchor or key
            return redirect(reverse("opencalls:project", args=[project.pk]) + f"#{anchor}")
    return _project_page(request, project, bound={key: form}, status=422)


@login_required
@require_POST
def project_update(request, pk: int):
    project = _project_or_404(pk)
    team_only = not request.user.has_perm("opencalls.manage_project", project)
    return _project_action(
        request,
        pk,
        "opencalls.follow_project",
        ProjectUpdateForm,
        "update",
        lambda p, data: services.funded_project_update(project=p, actor=request.user, data=data),
        form_kwargs={"team_only": team_only},
    )


@login_required
@require_POST
def deliverable_add(request, pk: int):
    project = _project_or_404(pk)
    return _project_action(
        request,
        pk,
        "opencalls.manage_project",
        DeliverableForm,
        "deliverable",
        lambda p, data: services.deliverable_add(project=p, actor=request.user, **data),
        form_kwargs={"project": project},
    )


@login_required
@require_POST
def support_log(request, pk: int):
    return _project_action(
        request,
        pk,
        "opencalls.manage_project",
        SupportSessionForm,
        "support",
        lambda p, d: services.support_session_log(
            project=p,
            actor=request.user,
            kind=d["kind"],
            day=d["date"],
            coach=d["coach"],
            topic=d["topic"],
            notes=d["notes"],
        ),
    )


@login_required
@require_POST
def demoday_record(request, pk: int):
    return _project_action(
        request,
        pk,
        "opencalls.manage_project",
        DemoDayForm,
        "demoday",
        lambda p, d: services.demo_day_record(
            project=p,
            actor=request.user,
            event=d["event"],
            day=d["date"],
            pitch_title=d["pitch_title"],
            outcome=d["outcome"],
        ),
    )


@login_required
@require_POST
def output_add(request, pk: int):
    return _project_action(
        request,
        pk,
        "opencalls.add_output",
        OutputLinkForm,
        "output",
        lambda p, d: services.output_link_add(project=p, actor=request.user, **d),
        anchor="outputs",
    )


@login_required
@require_POST
def output_remove(request, pk: int, link: int):
    project = _project_or_404(pk)
    _require(request, "opencalls.add_output", project)
    output = get_object_or_404(OutputLink, pk=link, project=project)
    services.output_link_remove(link=output, actor=request.user)
    return redirect(reverse("opencalls:project", args=[project.pk]) + "#outputs")


def _deliverable_or_404(request, pk: int, perm: str) -> Deliverable:
    """A deliverable of a project the user follows; others get 404, not a hint."""
    deliverable = get_object_or_404(Deliverable.objects.select_related("project"), pk=pk)
    if not request.user.has_perm("opencalls.follow_project", deliverable.project):
        raise Http404
    _require(request, perm, deliverable)
    return deliverable


@login_required
@require_POST
def deliverable_upload(request, pk: int):
    deliverable = _deliverable_or_404(request, pk, "opencalls.upload_deliverable")
    form = DeliverableUploadForm(request.POST, request.FILES, auto_id=f"id_d{deliverable.pk}_%s")
    if form.is_valid():
        try:
            services.deliverable_submit(
                deliverable=deliverable,
                actor=request.user,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("Uploaded: the call team will review it."))
            return redirect(reverse("opencalls:project", args=[deliverable.project_id]) + "#due")
    project = _project_or_404(deliverable.project_id)
    return _project_page(
        request, project, bound={"upload": form, "target": deliverable.pk}, status=422
    )


@login_required
@require_POST
def deliverable_review(request, pk: int):
    deliverable = _deliverable_or_404(request, pk, "opencalls.review_deliverable")
    form = DeliverableReviewForm(request.POST, auto_id=f"id_d{deliverable.pk}_%s")
    if form.is_valid():
        try:
            services.deliverable_review(
                deliverable=deliverable,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                message=form.cleaned_data["message"],
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("Review saved; the team has been told."))
            return redirect(reverse("opencalls:project", args=[deliverable.project_id]) + "#due")
    project = _project_or_404(deliverable.project_id)
    return _project_page(
        request, project, bound={"review": form, "target": deliverable.pk}, status=422
    )


@login_required
def deliverable_file(request, pk: int, submission: int):
    deliverable = _deliverable_or_404(request, pk, "opencalls.download_deliverable")
    upload = get_object_or_404(DeliverableSubmission, pk=submission, deliverable=deliverable)
    return private_file_response(upload.file, download_name=upload.file_name)


@login_required
@require_POST
def tranche_release(request, pk: int):
    tranche = get_object_or_404(Tranche.objects.select_related("project"), pk=pk)
    _require(request, "opencalls.manage_project")
    try:
        services.tranche_release(tranche=tranche, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Tranche released; the team has been told."))
    return redirect(reverse("opencalls:project", args=[tranche.project_id]) + "#payments")
