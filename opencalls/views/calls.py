"""The call managers' calls: list, editor, copies, stages and a call's proposals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.idempotency import new_form_token, posted_form_token
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.web import form_error, listing_query, paginate, require

from .. import selectors, services
from ..enums import CallStage
from ..forms import CallForm, ProposalFilterForm, formset_rows, structure_formsets
from ..models import Call


@login_required
def manage_calls(request):
    require(request, "opencalls.manage_calls")
    return render(
        request,
        "opencalls/manage/calls.html",
        {"calls": selectors.calls_for_managers(), "todo": {"counts": selectors.manager_counts()}},
    )


@login_required
def call_create(request):
    require(request, "opencalls.manage_calls")
    form = CallForm(request.POST or None, request.FILES or None)
    form_token = posted_form_token(request) or new_form_token()
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                actor=request.user,
                data=form.call_data(),
                guide=form.cleaned_data.get("guide"),
                form_token=form_token,
            )
        except (PortalError, ValidationError) as error:
            form_error(form, error)
        else:
            if call.already_created:
                messages.info(request, _("This call was already created: here it is."))
            else:
                messages.success(request, _("Draft call created: now add its tracks and criteria."))
            return redirect("opencalls:call_edit", number=call.number)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "opencalls/manage/call_form.html",
        {"form": form, "form_token": form_token},
        status=status,
    )


def _save_editor(request, call: Call):
    """Save the call editor as posted: the call's fields and its tracks, challenges,
    criteria, checklist and FAQ. Returns (form, formsets, saved); nothing is saved unless
    everything is valid."""
    form = CallForm(request.POST, request.FILES or None, instance=call)
    formsets = structure_formsets(call, request.POST)
    # Validate everything (no short circuit) so every error shows at once.
    form_valid = form.is_valid()
    formsets_valid = [formset.is_valid() for formset in formsets.values()]
    if not (form_valid and all(formsets_valid)):
        return form, formsets, False
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
        form_error(form, error)
        return form, formsets, False
    return form, formsets, True


def _editor_page(request, call: Call, form, formsets, *, status=200):
    call = Call.objects.with_status().get(pk=call.pk)
    return render(
        request,
        "opencalls/manage/call_form.html",
        {
            "form": form,
            "call": call,
            "formsets": formsets,
            "problems": services.call_publication_problems(call),
            "history": selectors.call_history(call),
            "CallStage": CallStage,
            # The copy button sends the editor's form: one copy per page drawn.
            "form_token": posted_form_token(request) or new_form_token(),
        },
        status=status,
    )


def _editor_posted(request) -> bool:
    """Whether the request carries the call editor's fields (its buttons for the stage and
    the copy belong to the editor's form, so that pending edits are saved, not dropped)."""
    return "tracks-TOTAL_FORMS" in request.POST


@login_required
def call_edit(request, number: int):
    """The call editor: its own fields and, on the same page, tracks, challenges, criteria,
    eligibility checklist and FAQ. Its stage and copy buttons submit the same form to
    ``call_stage`` and ``call_copy``, which save the edits first."""
    require(request, "opencalls.manage_calls")
    call = get_object_or_404(Call.objects.with_status(), number=number)
    if request.method != "POST":
        return _editor_page(request, call, CallForm(instance=call), structure_formsets(call))
    form, formsets, saved = _save_editor(request, call)
    if not saved:
        return _editor_page(request, call, form, formsets, status=422)
    messages.success(request, _("Call saved."))
    return redirect("opencalls:call_edit", number=form.call_data().get("number", number))


@login_required
@require_POST
def call_copy(request, number: int):
    """Copy the call into a new draft, after saving the editor's pending edits."""
    require(request, "opencalls.manage_calls")
    call = get_object_or_404(Call, number=number)
    if _editor_posted(request):
        form, formsets, saved = _save_editor(request, call)
        if not saved:
            return _editor_page(request, call, form, formsets, status=422)
        call.refresh_from_db()
    copy = services.call_copy(call=call, actor=request.user, form_token=posted_form_token(request))
    if copy.already_created:
        message = _("Open Call #%(number)s was already copied from this page: here it is.")
    else:
        message = _("Open Call #%(number)s created as a draft copy. Check its dates.")
    messages.success(request, message % {"number": copy.number})
    return redirect("opencalls:call_edit", number=copy.number)


@login_required
@require_POST
def call_stage(request, number: int):
    """Move the call to another stage, after saving the editor's pending edits (nothing
    moves if they are refused: the editor shows why)."""
    require(request, "opencalls.manage_calls")
    call = get_object_or_404(Call, number=number)
    stage = request.POST.get("stage", "")
    if stage not in CallStage.values:
        raise Http404
    if _editor_posted(request):
        form, formsets, saved = _save_editor(request, call)
        if not saved:
            return _editor_page(request, call, form, formsets, status=422)
        call.refresh_from_db()
    try:
        services.call_set_stage(call=call, actor=request.user, stage=CallStage(stage))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The call is now %(stage)s.") % {"stage": CallStage(stage).label}
        )
    return redirect("opencalls:call_edit", number=call.number)


@login_required
@private_page
def manage_proposals(request, number: int):
    """A call's submitted proposals, filtered and sorted, with CSV and Excel exports."""
    require(request, "opencalls.manage_calls")
    call = get_object_or_404(Call, number=number)
    form = ProposalFilterForm(request.GET or None, call=call)
    filters = form.filters()
    sort = filters.get("sort", "") if filters else ""
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        require(request, "opencalls.export_proposals")
        headers, rows = selectors.proposal_export_rows(call=call, filters=filters, sort=sort)
        return tabular_response(
            fmt,
            headers,
            rows,
            filename=f"{call.reference_prefix}-proposals",
            title=f"Open Call {call.number}",
        )
    proposals = selectors.call_proposals(call=call, filters=filters, sort=sort)
    query = listing_query(request.GET)
    return render(
        request,
        "opencalls/manage/proposals.html",
        {
            "call": call,
            "form": form,
            "page": paginate(request, proposals, 50),
            "query": query,
            "export_query": "&".join(filter(None, [query])),
        },
    )
