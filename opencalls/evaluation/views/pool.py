"""The evaluator pool: an evaluator's profile, invitations and joining; the managers' pool page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.web import form_error

from ...models import Call
from .. import selectors, services
from ..enums import PoolStatus
from ..forms import (
    DeclareOrganisationForm,
    DeclineForm,
    InviteForm,
    JoinForm,
    PoolMemberForm,
    ProfileForm,
)
from ..models import EvaluatorProfile, Invitation, PoolMember
from ..terms import TERMS_VERSION
from .common import _managed_call, _manager_context


@login_required
def profile(request):
    instance = EvaluatorProfile.objects.filter(user=request.user).first()
    form = ProfileForm(
        request.POST or None, instance=instance or EvaluatorProfile(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_profile_save(
                user=request.user,
                actor=request.user,
                data=form.profile_data(),
                expertise=form.cleaned_data["expertise"],
            )
        except (PortalError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your evaluator profile is saved."))
            return redirect("opencalls:evaluation:home")
    return render(
        request,
        "opencalls/evaluation/profile.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def invitation(request, token: str):
    """An invitation link: anyone may open it; signing up or in comes first, then the link
    joins the account to the call's pool and leads to the terms."""
    found = services.invitation_for_token(token)
    problem = services.invitation_problem(
        found, request.user if request.user.is_authenticated else None
    )
    if problem:
        return render(
            request, "opencalls/evaluation/invitation.html", {"problem": problem}, status=404
        )
    if not request.user.is_authenticated:
        return render(
            request,
            "opencalls/evaluation/invitation.html",
            {"invitation": found, "next": request.get_full_path()},
        )
    try:
        member = services.invitation_claim(token=token, user=request.user)
    except PortalError as error:
        return render(
            request, "opencalls/evaluation/invitation.html", {"problem": error.message}, status=404
        )
    if member.status == PoolStatus.ACCEPTED:
        messages.info(request, _("You are already in this call's pool."))
        return redirect("opencalls:evaluation:home")
    return redirect("opencalls:evaluation:join", number=member.call.number)


def _invited_membership(request, number: int) -> PoolMember:
    member = selectors.pool_membership(user=request.user, number=number)
    if member is None:
        raise Http404
    return member


def _join_forms(request, member, data=None) -> tuple[JoinForm, ProfileForm]:
    profile_instance = EvaluatorProfile.objects.filter(user=request.user).first()
    join_form = JoinForm(
        data,
        initial={
            "max_proposals": member.max_proposals,
            "availability": getattr(profile_instance, "availability", ""),
        },
    )
    profile_form = ProfileForm(
        data,
        instance=profile_instance or EvaluatorProfile(user=request.user),
        prefix="profile",
        joining=True,
    )
    return join_form, profile_form


def _join_page(request, member, join_form, profile_form, decline_form, status=200):
    return render(
        request,
        "opencalls/evaluation/join.html",
        {
            "member": member,
            "call": member.call,
            "join_form": join_form,
            "profile_form": profile_form,
            "decline_form": decline_form,
            "terms_version": TERMS_VERSION,
            "settings": selectors.settings_for(member.call),
        },
        status=status,
    )


@login_required
def join(request, number: int):
    """The terms of the call (confidentiality, conflicts of interest), the evaluator's profile
    and how many proposals they take: accept here, or decline (``decline``)."""
    member = _invited_membership(request, number)
    if member.status == PoolStatus.ACCEPTED:
        return redirect("opencalls:evaluation:home")
    data = request.POST if request.method == "POST" else None
    join_form, profile_form = _join_forms(request, member, data)
    if request.method == "POST":
        valid = [join_form.is_valid(), profile_form.is_valid()]
        if all(valid):
            try:
                services.pool_accept(
                    member=member,
                    actor=request.user,
                    accept_terms=join_form.cleaned_data["accept_terms"],
                    max_proposals=join_form.cleaned_data["max_proposals"],
                    availability=join_form.cleaned_data["availability"],
                    profile=profile_form.profile_data(),
                    expertise=profile_form.cleaned_data["expertise"],
                )
            except PortalError as error:
                target = join_form if error.field in join_form.fields else profile_form
                form_error(target, error)
            except ValidationError as error:
                form_error(profile_form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Welcome to the pool of Open Call #%(n)s. You will be told when "
                        "proposals are assigned to you."
                    )
                    % {"n": member.call.number},
                )
                return redirect("opencalls:evaluation:home")
    status = 422 if request.method == "POST" else 200
    return _join_page(request, member, join_form, profile_form, DeclineForm(), status)


@login_required
@require_POST
def decline(request, number: int):
    """The invited evaluator declines to join the call's pool, with an optional reason."""
    member = _invited_membership(request, number)
    if member.status == PoolStatus.ACCEPTED:
        return redirect("opencalls:evaluation:home")
    decline_form = DeclineForm(request.POST)
    if decline_form.is_valid():
        services.pool_decline(
            member=member, actor=request.user, reason=decline_form.cleaned_data["reason"]
        )
        messages.info(request, _("You declined. Thank you for letting us know."))
        return redirect("opencalls:evaluation:home")
    join_form, profile_form = _join_forms(request, member)
    return _join_page(request, member, join_form, profile_form, decline_form, 422)


@login_required
@require_POST
def declare_organisation(request, number: int):
    call = get_object_or_404(Call, number=number)
    form = DeclareOrganisationForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare_organisation(
                call=call, actor=request.user, organisation=form.cleaned_data["organisation"]
            )
        except PermissionDenied as error:
            raise Http404 from error
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Recorded. If this organisation applied to Open Call #%(n)s, its proposal "
                    "will not be assigned to you."
                )
                % {"n": call.number},
            )
    return redirect(reverse("opencalls:evaluation:home") + "#pools")


@login_required
def manage_pool(request, number: int):
    """The pool: invite experts by email; see who accepted (and which terms), their loads
    and maxima; pending invitations."""
    call = _managed_call(request, number)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_invite(
                call=call,
                actor=request.user,
                email=form.cleaned_data["email"],
                max_proposals=form.cleaned_data["max_proposals"],
                message=form.cleaned_data["message"],
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("opencalls:evaluation:manage_pool", number=number)
    return render(
        request,
        "opencalls/evaluation/manage/pool.html",
        _manager_context(
            request,
            call,
            "pool",
            form=form,
            members=selectors.call_pool(call),
            invitations=selectors.pending_invitations(call),
            terms_version=TERMS_VERSION,
        ),
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def pool_member(request, number: int, pk: int):
    call = _managed_call(request, number)
    member = get_object_or_404(PoolMember, pk=pk, call=call)
    form = PoolMemberForm(request.POST)
    if form.is_valid():
        try:
            services.pool_update(
                member=member, actor=request.user, max_proposals=form.cleaned_data["max_proposals"]
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Maximum updated."))
    else:
        messages.error(request, _("Give a whole number from 0 to 200."))
    return redirect("opencalls:evaluation:manage_pool", number=number)


@login_required
@require_POST
def invitation_revoke(request, number: int, pk: int):
    call = _managed_call(request, number)
    invitation = get_object_or_404(Invitation, pk=pk, call=call)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("opencalls:evaluation:manage_pool", number=number)
