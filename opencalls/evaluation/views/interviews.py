"""Interviews: the applicant's booking and the managers' slots, invitations and scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.permissions import can
from ai4media_portal.core.web import form_error

from ... import selectors as call_selectors
from ...enums import CallStage
from .. import selectors, services
from ..enums import InterviewStatus
from ..forms import BookForm, InterviewRecordForm, SlotForm, in_call_timezone
from ..models import Interview, InterviewSlot
from ..predicates import interview_open_for_booking
from .common import _int, _managed_call, _manager_context


@login_required
def interview_book(request, pk: int):
    """The applicant books a free slot for their interview (or changes it)."""
    proposal = get_object_or_404(call_selectors.proposals_visible(user=request.user), pk=pk)
    interview = selectors.interview_of(proposal)
    if interview is None or not can(request.user, "opencalls.book_interview", interview):
        raise Http404
    call = proposal.call
    form = BookForm(request.POST or None, slots=selectors.bookable_slots(interview), call=call)
    can_book = interview_open_for_booking(interview)
    if request.method == "POST" and can_book and form.is_valid():
        try:
            services.interview_book(
                interview=interview, actor=request.user, slot=form.cleaned_data["slot"]
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your interview is booked; the details are on their way."))
            return redirect("opencalls:evaluation:interview_book", pk=pk)
    return render(
        request,
        "opencalls/evaluation/interview_book.html",
        {"proposal": proposal, "interview": interview, "form": form, "can_book": can_book},
        status=422 if request.method == "POST" else 200,
    )


def _interviews_page(request, call, *, slot_form=None, record_forms=None, status=200):
    record_forms = record_forms or {}
    all_interviews = selectors.call_interviews(call)
    for interview in all_interviews:
        interview.form = record_forms.get(interview.pk) or InterviewRecordForm(
            prefix=f"i{interview.pk}",
            initial={
                "score": interview.score.normalize() if interview.score is not None else "",
                "notes": interview.panel_notes,
            },
        )
    slots = selectors.call_slots(call)
    free = set(selectors.free_slots(call).values_list("pk", flat=True))
    return render(
        request,
        "opencalls/evaluation/manage/interviews.html",
        _manager_context(
            request,
            call,
            "interviews",
            interviews=all_interviews,
            slots=slots,
            free_slots=[s for s in slots if s.pk in free],
            slot_form=SlotForm() if slot_form is None else slot_form,
            evaluating=call.stage == CallStage.UNDER_EVALUATION,
            InterviewStatus=InterviewStatus,
        ),
        status=status,
    )


@login_required
@require_GET
def interviews(request, number: int):
    """Interviews: invite the top proposals of each track, offer slots, record the panel's
    score and notes. Each of these posts to its own view below."""
    return _interviews_page(request, _managed_call(request, number))


@login_required
@require_POST
def interviews_invite(request, number: int):
    call = _managed_call(request, number)
    try:
        invited = services.interviews_invite(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return _interviews_page(request, call, status=422)
    messages.success(
        request,
        _("%(count)s applicants were invited to an interview.") % {"count": len(invited)},
    )
    return redirect("opencalls:evaluation:interviews", number=number)


@login_required
@require_POST
def interview_slot_add(request, number: int):
    call = _managed_call(request, number)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            services.interview_slot_add(
                call=call,
                actor=request.user,
                starts_at=in_call_timezone(form.cleaned_data["starts_at"], call),
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Slot added."))
            return redirect("opencalls:evaluation:interviews", number=number)
    return _interviews_page(request, call, slot_form=form, status=422)


@login_required
@require_POST
def interview_record(request, number: int, pk: int):
    call = _managed_call(request, number)
    interview = get_object_or_404(Interview, pk=pk, call=call)
    form = InterviewRecordForm(request.POST, prefix=f"i{interview.pk}")
    if form.is_valid():
        try:
            services.interview_record(
                interview=interview,
                actor=request.user,
                score=form.cleaned_data["score"],
                notes=form.cleaned_data["notes"],
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Interview recorded."))
            return redirect(
                reverse("opencalls:evaluation:interviews", args=[number]) + f"#i{interview.pk}"
            )
    return _interviews_page(request, call, record_forms={interview.pk: form}, status=422)


@login_required
@require_POST
def interview_book_for_applicant(request, number: int, pk: int):
    call = _managed_call(request, number)
    interview = get_object_or_404(Interview, pk=pk, call=call)
    slot = get_object_or_404(InterviewSlot, pk=_int(request.POST.get("slot")), call=call)
    try:
        services.interview_book(interview=interview, actor=request.user, slot=slot)
    except PortalError as error:
        messages.error(request, error.message)
        return _interviews_page(request, call, status=422)
    messages.success(request, _("Slot booked; the applicant has been told."))
    return redirect("opencalls:evaluation:interviews", number=number)
