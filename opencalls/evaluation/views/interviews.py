"""Interviews: the applicant's booking and the managers' slots, invitations and scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.forms import add_portal_error

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
    if interview is None or not request.user.has_perm("opencalls.book_interview", interview):
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
            add_portal_error(form, error)
        else:
            messages.success(request, _("Your interview is booked; the details are on their way."))
            return redirect("opencalls:evaluation:interview_book", pk=pk)
    return render(
        request,
        "opencalls/evaluation/interview_book.html",
        {"proposal": proposal, "interview": interview, "form": form, "can_book": can_book},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def interviews(request, number: int):
    """Interviews: invite the top proposals of each track, offer slots, record the panel's
    score and notes."""
    call = _managed_call(request, number)
    slot_form = SlotForm(request.POST if request.POST.get("action") == "slot" else None)
    record_forms = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite":
                invited = services.interviews_invite(call=call, actor=request.user)
                messages.success(
                    request,
                    _("%(count)s applicants were invited to an interview.")
                    % {"count": len(invited)},
                )
                return redirect("opencalls:evaluation:interviews", number=number)
            if action == "slot" and slot_form.is_valid():
                services.interview_slot_add(
                    call=call,
                    actor=request.user,
                    starts_at=in_call_timezone(slot_form.cleaned_data["starts_at"], call),
                    duration_minutes=slot_form.cleaned_data["duration_minutes"],
                    location=slot_form.cleaned_data["location"],
                )
                messages.success(request, _("Slot added."))
                return redirect("opencalls:evaluation:interviews", number=number)
            if action == "record":
                interview = get_object_or_404(
                    Interview, pk=_int(request.POST.get("interview")), call=call
                )
                form = InterviewRecordForm(request.POST, prefix=f"i{interview.pk}")
                record_forms[interview.pk] = form
                if form.is_valid():
                    try:
                        services.interview_record(
                            interview=interview,
                            actor=request.user,
                            score=form.cleaned_data["score"],
                            notes=form.cleaned_data["notes"],
                        )
                    except PortalError as error:
                        add_portal_error(form, error)
                    else:
                        messages.success(request, _("Interview recorded."))
                        return redirect(
                            reverse("opencalls:evaluation:interviews", args=[number])
                            + f"#i{interview.pk}"
                        )
            if action == "book":
                interview = get_object_or_404(
                    Interview, pk=_int(request.POST.get("interview")), call=call
                )
                slot = get_object_or_404(
                    InterviewSlot, pk=_int(request.POST.get("slot")), call=call
                )
                services.interview_book(interview=interview, actor=request.user, slot=slot)
                messages.success(request, _("Slot booked; the applicant has been told."))
                return redirect("opencalls:evaluation:interviews", number=number)
        except PortalError as error:
            if action == "slot":
                add_portal_error(slot_form, error)
            else:
                messages.error(request, error.message)
        status = 422
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
            call,
            "interviews",
            interviews=all_interviews,
            slots=slots,
            free_slots=[s for s in slots if s.pk in free],
            slot_form=slot_form,
            evaluating=call.stage == CallStage.UNDER_EVALUATION,
            InterviewStatus=InterviewStatus,
        ),
        status=status,
    )
