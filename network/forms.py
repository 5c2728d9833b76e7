"""Forms of the network pages. They check what people type; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils.choices import CallableChoiceIterator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ai4media_portal.core.forms import PortalForm, PortalModelForm, StoredFileInput
from ai4media_portal.core.models import Topic, TopicGroup

from .enums import ApplicationStatus, Benefit, NetworkRole, OrganisationType
from .models import MembershipApplication, Organisation
from .validators import normalise_ror_id, validate_logo, validate_ror_id

COUNTRY_ERROR = _("Choose a country from the list.")


def _terms_label():
    return format_html(
        _(
            'I accept the <a href="{terms}">terms of associate membership</a> and have read '
            'the <a href="{privacy}">privacy notice</a>.'
        ),
        terms=reverse_lazy("network:terms"),
        privacy=reverse_lazy("privacy"),
    )


class RorIdField(forms.CharField):
    """Accepts ``https://ror.org/0abcde123`` or ``0abcde123``; cleans to the nine characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Optional. Find it on ror.org, e.g. https://ror.org/04dkp9463.")
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_ror_id(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_ror_id(value)


class LogoField(forms.FileField):
    default_validators = [validate_logo]
    widget = StoredFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Logo"))
        kwargs.setdefault(
            "help_text",
            _("Optional. PNG, JPEG or WebP, at most 1 MB and 2048 pixels on each side."),
        )
        super().__init__(**kwargs)


class TopicField(forms.ModelMultipleChoiceField):
    """Areas of interest as checkboxes grouped under the vocabulary's groups (research areas,
    use cases, media-AI topics, policy)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Areas of interest"))
        super().__init__(queryset=Topic.objects.order_by("group", "name"), **kwargs)

    def _grouped_choices(self):
        groups = {}
        for topic in self.queryset:
            groups.setdefault(topic.group, []).append((topic.pk, topic.name))
        return [(label, groups[value]) for value, label in TopicGroup.choices if value in groups]

    # Lazy, like Django's own model choices: no query until the field is rendered.
    choices = property(
        lambda self: CallableChoiceIterator(self._grouped_choices), forms.ChoiceField.choices.fset
    )


def topic_field(**kwargs) -> TopicField:
    return TopicField(**kwargs)


class ApplicationForm(PortalModelForm):
    """The associate-membership application, for a new draft or for editing one."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    org_website = forms.URLField(
        label=_("Website"),
        max_length=300,
        assume_scheme="https",
        help_text=_("The organisation's main website, e.g. https://www.example.org."),
    )
    org_ror_id = RorIdField(label=_("ROR ID"))
    org_logo = LogoField()
    areas_of_interest = topic_field(
        help_text=_("The media-AI topics your organisation works on or wants to work on.")
    )
    benefits = forms.MultipleChoiceField(
        choices=Benefit.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Benefits sought"),
        help_text=_("What you hope to gain from the network."),
        error_messages={"required": _("Choose at least one benefit.")},
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of associate membership and the privacy notice."),
        error_messages={
            "required": _(
                "Accept the terms of associate membership and the privacy notice to apply."
            )
        },
    )

    class Meta:
        model = MembershipApplication
        fields = [*MembershipApplication.APPLICANT_FIELDS, "org_logo", "areas_of_interest"]
        labels = {"org_name": _("Name of the organisation")}
        help_texts = {
            "org_short_name": _("Acronym, if any."),
            "org_legal_name": _("As registered, if it differs from the name."),
            "org_description": _("What the organisation does, in a few sentences (public)."),
            "org_contact_email": _("Optional. Shown on the organisation's public page."),
            "contact_name": _("Who the network should talk to."),
            "contact_position": _("Their position in the organisation."),
            "motivation": _("Why your organisation wants to join, and what it can bring."),
        }
        widgets = {
            "org_description": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {"org_country": {"invalid_choice": COUNTRY_ERROR}}

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].label = _terms_label()
        self.organisation = organisation
        if self.instance.pk and self.instance.org_logo:
            # The logo of an application is private: link to the view that checks who asks.
            logo = self.fields["org_logo"].widget
            logo.current_url = reverse("network:application_logo", args=[self.instance.pk])
            logo.current_label = _("the logo you sent")
        if organisation is not None:
            self.fields["org_name"].disabled = True
            self.fields["org_name"].initial = organisation.name
            self.fields["org_name"].help_text = _(
                "You apply for this listed organisation; the network managers update its "
                "profile with what you give below where it is empty."
            )

    def _post_clean(self):
        # The services validate the application as a whole; the form only checks its fields.
        pass

    def application_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name in ("org_logo", "areas_of_interest"):
            data.pop(name)
        return data

    @property
    def logo_upload(self):
        value = self.cleaned_data.get("org_logo")
        return value if value and hasattr(value, "content_type") else None

    @property
    def clear_logo(self) -> bool:
        return self.cleaned_data.get("org_logo") is False


class OrganisationForm(PortalModelForm):
    """An organisation's public profile, for its contacts and the network managers."""

    website = forms.URLField(
        label=_("Website"), max_length=300, assume_scheme="https", required=False
    )
    ror_id = RorIdField(label=_("ROR ID"))
    logo = LogoField()
    areas_of_interest = topic_field(required=False)

    class Meta:
        model = Organisation
        fields = [*Organisation.PROFILE_FIELDS, "logo", "areas_of_interest"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"country": {"invalid_choice": COUNTRY_ERROR}}

    def _post_clean(self):
        pass

    def organisation_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in {"logo", "areas_of_interest"}
        }

    @property
    def logo_upload(self):
        value = self.cleaned_data.get("logo")
        return value if value and hasattr(value, "content_type") else None

    @property
    def clear_logo(self) -> bool:
        return self.cleaned_data.get("logo") is False


class RequestInformationForm(PortalForm):
    prefix = "request"
    message = forms.CharField(
        label=_("What information do you need?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant receives this by email and may then edit and resubmit."),
    )


class RejectForm(PortalForm):
    prefix = "reject"
    message = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant receives this by email."),
    )


class ApproveForm(PortalForm):
    prefix = "approve"
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Organisation"),
        empty_label=_("Create a new organisation from the application"),
        help_text=_("When the applicant's organisation is already listed, approve into it."),
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a welcome, next steps."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [organisation.pk for organisation in candidates or []]
        if ids:
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        else:
            del self.fields["organisation"]


class WithdrawForm(PortalForm):
    prefix = "withdraw"
    message = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _choices_with_any(choices, any_label=None):
    return [("", any_label or _("Any")), *choices]


class DirectoryFilterForm(PortalForm):
    """The directory's search box, filters and sort, all from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_choices_with_any(OrganisationType.choices)
    )
    role = forms.ChoiceField(
        label=_("Role in the network"),
        required=False,
        choices=_choices_with_any(NetworkRole.choices),
    )
    topic = forms.ChoiceField(label=_("Area of interest"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Relevance, then name")),
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("country", _("Country")),
            ("newest", _("Newest members")),
        ],
    )

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _choices_with_any(
            sorted(((code, countries.name(code)) for code in country_codes), key=lambda c: c[1])
        )
        self.fields["topic"].choices = _choices_with_any(
            Topic.objects.order_by("name").values_list("slug", "name")
        )

    def filters(self) -> dict:
        """The valid filters; an invalid one is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q", ""),
            "country": data.get("country", ""),
            "type": data.get("type", ""),
            "role": data.get("role", ""),
            "topic": data.get("topic", ""),
            "sort": data.get("sort", ""),
        }


class QueueFilterForm(PortalForm):
    q = forms.CharField(label=_("Organisation or applicant"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("waiting", _("Waiting for a manager")),
            *[(value, label) for value, label in ApplicationStatus.choices if value != "draft"],
        ],
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=_choices_with_any(list(countries))
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_choices_with_any(OrganisationType.choices)
    )
    submitted_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Newest submissions")),
            ("submitted", _("Oldest submissions")),
            ("name", _("Organisation (A–Z)")),
            ("-name", _("Organisation (Z–A)")),
        ],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            raise ValidationError({"submitted_to": _("The end date is before the start date.")})
        return data

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"],
            "status": data["status"],
            "country": data["country"],
            "type": data["type"],
            "submitted_from": data["submitted_from"],
            "submitted_to": data["submitted_to"],
            "sort": data["sort"],
        }
