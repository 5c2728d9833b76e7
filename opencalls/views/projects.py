"""Funded projects: creation from a proposal, the project page and its follow-up actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.permissions import can
from ai4media_portal.core.public_cache import public_page
from ai4media_portal.core.web import form_error, paginate, require

from .. import selectors, services
from ..enums import DeliverableStatus, TrancheStatus
from ..forms import (
    DeliverableForm,
    DeliverableReviewForm,
    DeliverableUploadForm,
    DemoDayForm,
    FundedProjectForm,
    OutputLinkForm,
    ProjectUpdateForm,
    SupportSessionForm,
)
from ..models import Deliverable, DeliverableSubmission, FundedProject, OutputLink, Tranche
from .proposals import _proposal_or_404


@login_required
def fund(request, pk: int):
    """Create the funded project of a selected proposal."""
    proposal = _proposal_or_404(request, pk)
    require(request, "opencalls.manage_project")
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
            form_error(form, error)
        else:
            messages.success(request, _("Funded project created; the beneficiary has been told."))
            return redirect("opencalls:project", pk=project.pk)
    return render(
        request,
        "opencalls/manage/fund.html",
        {"proposal": proposal, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def manage_projects(request):
    require(request, "opencalls.manage_project")
    return render(
        request,
        "opencalls/manage/projects.html",
        {"page": paginate(request, selectors.projects_for_managers(), 50)},
    )


def _project_or_404(pk: int) -> FundedProject:
    queryset = selectors.project_with_public_details(FundedProject.objects.all())
    return get_object_or_404(queryset, pk=pk)


@public_page("opencalls", "network")
def project_detail(request, pk: int):
    return _project_page(request, _project_or_404(pk))


def _project_page(request, project, *, bound: dict | None = None, status=200):
    """The public project page; its team and call managers also see the follow-up (tranches,
    deliverables, support) with the forms they may use. ``bound`` holds a form that failed."""
    bound = bound or {}
    user = request.user
    follows = can(user, "opencalls.follow_project", project)
    manages = can(user, "opencalls.manage_project", project)
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
    require(request, perm, project)
    form = form_class(
        request.POST,
        auto_id=f"id_{key}_%s",
        **(form_kwargs or {}),
    )
    if form.is_valid():
        try:
            action(project, form.cleaned_data)
        except (PortalError, ValidationError) as error:
            form_error(form, error)
        else:
            anchor = anchor or key
            return redirect(reverse("opencalls:project", args=[project.pk]) + f"#{anchor}")
    return _project_page(request, project, bound={key: form}, status=422)


@login_required
@require_POST
def project_update(request, pk: int):
    project = _project_or_404(pk)
    team_only = not can(request.user, "opencalls.manage_project", project)
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
    require(request, "opencalls.add_output", project)
    output = get_object_or_404(OutputLink, pk=link, project=project)
    services.output_link_remove(link=output, actor=request.user)
    return redirect(reverse("opencalls:project", args=[project.pk]) + "#outputs")


def _deliverable_or_404(request, pk: int, perm: str) -> Deliverable:
    """A deliverable of a project the user follows; others get 404, not a hint."""
    deliverable = get_object_or_404(Deliverable.objects.select_related("project"), pk=pk)
    if not can(request.user, "opencalls.follow_project", deliverable.project):
        raise Http404
    require(request, perm, deliverable)
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
            form_error(form, error)
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
            form_error(form, error)
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
    require(request, "opencalls.manage_project")
    try:
        services.tranche_release(tranche=tranche, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Tranche released; the team has been told."))
    return redirect(reverse("opencalls:project", args=[tranche.project_id]) + "#payments")
