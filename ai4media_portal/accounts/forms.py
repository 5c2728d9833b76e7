from django import forms
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.forms import PortalForm, PortalModelForm

from .models import ApiToken, User, timezone_choices


class SignupDetailsForm(PortalForm):
    """Extra fields on allauth's sign-up form."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class ProfileForm(PortalModelForm):
    timezone = forms.ChoiceField(label=_("Timezone"), choices=timezone_choices)

    class Meta:
        model = User
        fields = ["full_name", "timezone", "orcid"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}


class ApiTokenForm(PortalModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
