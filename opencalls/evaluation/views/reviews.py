"""An evaluator's queue, proposals, reviews and documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.web import form_error

from ...enums import CallStage
from ...models import Call
from .. import selectors, services
from ..forms import DeclareConflictForm, DeclareOrganisationForm, ReviewForm
from ..models import Assignment, EvaluatorProfile


@login_required
@private_page
def home(request):
    """The evaluator's page: invitations to answer, the queue with deadlines, their pools
    (with a form to declare a conflict with an applicant organisation) and their profile."""
    user = request.user
    return render(
        request,
        "opencalls/evaluation/home.html",
        {
            "invitations": selectors.evaluator_invitations(user=user),
            "queue": selectors.evaluator_queue(user=user),
            "pools": selectors.evaluator_pools(user=user),
            "is_evaluator": selectors.is_evaluator(user),
            "declare_form": DeclareOrganisationForm(),
            "has_profile": EvaluatorProfile.objects.filter(user=user).exists(),
        },
    )


def _assignment_or_404(request, pk: int) -> Assignment:
    assignment = selectors.evaluator_assignment(user=request.user, proposal_id=pk)
    if assignment is None:
        raise Http404
    return assignment


def _review_page(request, assignment, *, form=None, conflict_form=None, status=200):
    call = assignment.call
    proposal = assignment.proposal
    version = proposal.current_version
    settings = selectors.settings_for(call)
    criteria = selectors.criteria_of(call)
    review = selectors.review_of(assignment)
    values = selectors.review_values(review)
    submitted = review is not None and review.is_submitted
    rules = selectors.scoring_rules(call, criteria=criteria, settings=settings)
    outcome = reasons = None
    if submitted:
        from ..wording import reason_text

        outcome = selectors.score_outcome(values, criteria, rules)
        reasons = [reason_text(r, selectors.criterion_names(criteria)) for r in outcome.reasons]
    deadline = assignment.deadline(settings.review_deadline)
    report = getattr(proposal, "consensus", None)
    return render(
        request,
        "opencalls/evaluation/proposal.html",
        {
            "assignment": assignment,
            "proposal": proposal,
            "call": call,
            "version": version,
            "data": selectors.redacted_version_data(
                version, hide_identity=settings.hide_applicant_identity
            ),
            "blind": settings.hide_applicant_identity,
            "criteria": criteria,
            "overall_threshold": call.overall_threshold,
            "max_total": rules.max_total,
            "review": review,
            "submitted": submitted,
            "form": form or ReviewForm(criteria=criteria, values=values, review=review),
            "conflict_form": conflict_form or DeclareConflictForm(),
            "outcome": outcome,
            "reasons": reasons,
            "peers": selectors.peer_reviews(assignment=assignment, criteria=criteria),
            "deadline": deadline,
            "overdue": deadline is not None and timezone.now() >= deadline and not submitted,
            "is_rapporteur": report is not None and report.rapporteur_id == request.user.pk,
        },
        status=status,
    )


@login_required
def proposal(request, pk: int):
    """An assigned proposal as the evaluator reads it (redacted in a blind call), with the
    review form (saving as a draft; submitting locks it) and, once submitted, the outcome and
    the other evaluators' submitted reviews without their names."""
    assignment = _assignment_or_404(request, pk)
    if request.method != "POST":
        return _review_page(request, assignment)
    _form, problem = _save_review_draft(request, assignment)
    if problem is not None:
        return problem
    messages.success(request, _("Draft saved."))
    return redirect("opencalls:evaluation:proposal", pk=pk)


def _save_review_draft(request, assignment):
    """Save the posted review as a draft: (the bound form, None), or (form, the page again
    with the refused inputs beside their fields, 422)."""
    criteria = selectors.criteria_of(assignment.call)
    review = selectors.review_of(assignment)
    form = ReviewForm(
        request.POST, criteria=criteria, values=selectors.review_values(review), review=review
    )
    form.is_valid()
    try:
        outcome = services.review_save_draft(
            assignment=assignment,
            actor=request.user,
            scores=form.scores(),
            comments=form.comments(),
            overall_comment=request.POST.get("overall_comment", ""),
        )
    except PortalError as error:
        form_error(form, error)
        return form, _review_page(request, assignment, form=form, status=422)
    if outcome.errors:
        form.add_errors(outcome.errors)
        return form, _review_page(request, assignment, form=form, status=422)
    return form, None


@login_required
@require_POST
def review_submit(request, pk: int):
    """Submit from the review form: save the draft as it stands first, then submit (which
    locks the review)."""
    assignment = _assignment_or_404(request, pk)
    form, problem = _save_review_draft(request, assignment)
    if problem is not None:
        if getattr(selectors.review_of(_assignment_or_404(request, pk)), "is_submitted", False):
            # Sent twice: the first one submitted it.
            messages.info(request, _("Your review is already submitted."))
            return redirect("opencalls:evaluation:proposal", pk=pk)
        return problem
    try:
        services.review_submit(assignment=assignment, actor=request.user)
    except ValidationError as error:
        form.add_errors(error.message_dict)
        return _review_page(request, assignment, form=form, status=422)
    except PortalError as error:
        form_error(form, error)
        return _review_page(request, assignment, form=form, status=422)
    messages.success(request, _("Your review is submitted."))
    return redirect("opencalls:evaluation:proposal", pk=pk)


@login_required
@require_POST
def review_autosave(request, pk: int):
    """htmx: save the review draft in the background and say what was not saved."""
    assignment = _assignment_or_404(request, pk)
    criteria = selectors.criteria_of(assignment.call)
    form = ReviewForm(request.POST, criteria=criteria)
    errors = []
    saved = False
    try:
        outcome = services.review_save_draft(
            assignment=assignment,
            actor=request.user,
            scores=form.scores(),
            comments=form.comments(),
            overall_comment=request.POST.get("overall_comment", ""),
        )
    except PortalError as error:
        errors = [error.message]
    else:
        saved = True
        for name, field_errors in outcome.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors.extend(f"{label}: {e}" for e in field_errors)
    return render(
        request,
        "opencalls/_autosave_status.html",
        {"saved": saved and not errors, "partly": saved and errors, "errors": errors},
    )


@login_required
def document(request, pk: int):
    """The submitted version's PDF, for its assigned, non-conflicted evaluators."""
    assignment = _assignment_or_404(request, pk)
    version = assignment.proposal.current_version
    return private_file_response(version.document, download_name=f"{version.reference}.pdf")


@login_required
def my_reviews_export(request):
    """The evaluator's own submitted reviews (CSV or Excel) in a call under evaluation."""
    number = request.GET.get("call", "")
    fmt = request.GET.get("format", "csv")
    if not number.isdigit() or fmt not in {"csv", "xlsx"}:
        raise Http404
    call = get_object_or_404(Call, number=int(number), stage=CallStage.UNDER_EVALUATION)
    if not selectors.evaluator_assignments(user=request.user).filter(call=call).exists():
        raise Http404
    headers, rows = selectors.score_export_rows(call, evaluator=request.user)
    return tabular_response(
        fmt, headers, rows, filename=f"{call.reference_prefix}-my-reviews", title="My reviews"
    )
