from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.dashboard import dashboard_panels
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.forms import add_portal_error
from ai4media_portal.core.private_cache import private_page

from . import services
from .forms import ApiTokenForm, ProfileForm
from .models import ApiToken


@login_required
@private_page
def dashboard(request):
    return render(
        request,
        "accounts/dashboard.html",
        {"panels": dashboard_panels(request), "roles": request.user.roles},
    )


def _profile_page(request, *, profile_form=None, token_form=None, new_key=None, status=200):
    # Active tokens first, then the revoked ones, most recent first.
    tokens = ApiToken.objects.filter(user=request.user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at"
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_form": profile_form or ProfileForm(instance=request.user),
            "token_form": token_form or ApiTokenForm(),
            "tokens": tokens,
            "new_key": new_key,
        },
        status=status,
    )


@login_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            services.profile_update(
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                timezone_name=form.cleaned_data["timezone"],
                orcid=form.cleaned_data["orcid"],
            )
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        request.user.refresh_from_db()
        return _profile_page(request, profile_form=form, status=422)
    return _profile_page(request)


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(
                request,
                _("Token “%(name)s” created. Copy it now: it will not be shown again.")
                % {"name": token.name},
            )
            return _profile_page(request, new_key=key)
    return _profile_page(request, token_form=form, status=422)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:profile")
