"""Forms of the fellows pages. They check what people type; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ai4media_portal.core.forms import PortalForm, PortalModelForm, StoredFileInput
from outputs.selectors import published_outputs

from . import selectors
from .enums import CareerStage, ExchangeStatus, Mode, OutcomeKind
from .models import BudgetPeriod, Exchange, FellowProfile, HostOffer
from .services import OutcomeInput
from .validators import MONTHLY_SUBSISTENCE_CAP, OTHER_CAP, TRAVEL_CAP

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_NEGATIVE = _("An amount cannot be negative.")
SUPERVISOR_HELP = _(
    "Their email address. They are asked to confirm there once you submit; without a portal "
    "account they sign up with this address. It is shown to nobody else."
)


def _money(label, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        initial=Decimal(0),
        help_text=help_text,
        error_messages={"min_value": NOT_NEGATIVE},
    )


class ExchangeForm(PortalModelForm):
    """The joint application. A draft may be saved half-done; the programme's rules are
    checked on submit (``services.application_breaches``) and shown beside each field."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # Any well-formed address is taken the same way, account or not, so the form never tells
    # who has an account; the supervisor is asked to confirm at that address.
    sender_supervisor_email = forms.EmailField(
        label=_("Sender's supervisor"), help_text=SUPERVISOR_HELP
    )
    host_supervisor_email = forms.EmailField(
        label=_("Host's supervisor"), help_text=SUPERVISOR_HELP
    )
    travel_amount = _money(_("Travel (euros)"), _("At most %(cap)s euros.") % {"cap": TRAVEL_CAP})
    subsistence_monthly = _money(
        _("Subsistence per month (euros)"),
        _("At most %(cap)s euros a month.") % {"cap": MONTHLY_SUBSISTENCE_CAP},
    )
    subsistence_months = forms.IntegerField(
        label=_("Months of subsistence"),
        min_value=0,
        max_value=3,
        initial=0,
        error_messages={"min_value": NOT_NEGATIVE},
    )
    other_amount = _money(
        _("Other costs (euros)"), _("At most %(cap)s euros.") % {"cap": OTHER_CAP}
    )

    class Meta:
        model = Exchange
        fields = Exchange.FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "research_plan": forms.Textarea(attrs={"rows": 6}),
            "expected_outcomes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = selectors.organisation_choices()
        self.fields["sender"].queryset = organisations
        self.fields["host"].queryset = organisations
        if self.instance.pk:
            del self.fields["form_token"]

    def _post_clean(self):
        # The services validate; the model's own checks would refuse a half-done draft.
        pass

    def exchange_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in Exchange.FIELDS}


class ReasonForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(ReasonForm):
    prefix = "decline"


class WithdrawForm(ReasonForm):
    prefix = "withdraw"


class RejectForm(PortalForm):
    prefix = "reject"
    message = forms.CharField(
        label=_("Why the application is rejected"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(PortalForm):
    prefix = "approve"
    amount = forms.DecimalField(
        label=_("Approved amount (euros)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        required=False,
        error_messages={"min_value": NOT_NEGATIVE},
        help_text=_("Empty: the requested amount. Never more than requested."),
    )
    period = forms.ModelChoiceField(
        queryset=BudgetPeriod.objects.all(),
        required=False,
        label=_("Budget period"),
        empty_label=_("The period covering the start"),
    )
    message = forms.CharField(
        label=_("Message to the parties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MoneyForm(PortalForm):
    amount = forms.DecimalField(label=_("Amount (euros)"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PaymentForm(MoneyForm):
    prefix = "payment"


class AdjustForm(MoneyForm):
    prefix = "adjust"


class MessageForm(PortalForm):
    """A coordinator's optional message with a decision (report accepted, returned)."""

    prefix = "decision"
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


OUTCOME_ROWS = 3


class ReportForm(PortalForm):
    """The final report with up to three outcomes, each an Outputs record or a free link."""

    prefix = "report"
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    achievements = forms.CharField(
        label=_("What was achieved"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        outputs = published_outputs().order_by("title", "pk")
        for n in range(1, OUTCOME_ROWS + 1):
            self.fields[f"outcome_{n}_kind"] = forms.ChoiceField(
                label=_("Outcome %(n)s: kind") % {"n": n},
                choices=[("", "—"), *OutcomeKind.choices],
                required=False,
            )
            self.fields[f"outcome_{n}_title"] = forms.CharField(
                label=_("Outcome %(n)s: title") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"outcome_{n}_output"] = forms.ModelChoiceField(
                queryset=outputs,
                label=_("Outcome %(n)s: record in the Outputs catalogue") % {"n": n},
                required=False,
            )
            self.fields[f"outcome_{n}_url"] = forms.URLField(
                label=_("Outcome %(n)s: or a link") % {"n": n},
                max_length=500,
                required=False,
                assume_scheme="https",
            )

    def clean(self):
        cleaned = super().clean()
        for n in range(1, OUTCOME_ROWS + 1):
            title = cleaned.get(f"outcome_{n}_title")
            output = cleaned.get(f"outcome_{n}_output")
            if output is not None and not title:
                cleaned[f"outcome_{n}_title"] = output.title
                title = output.title
            if (title or output or cleaned.get(f"outcome_{n}_url")) and not cleaned.get(
                f"outcome_{n}_kind"
            ):
                self.add_error(f"outcome_{n}_kind", _("Choose the kind of this outcome."))
        return cleaned

    def outcomes(self) -> list[OutcomeInput]:
        rows = []
        for n in range(1, OUTCOME_ROWS + 1):
            title = self.cleaned_data.get(f"outcome_{n}_title") or ""
            if not title:
                continue
            output = self.cleaned_data.get(f"outcome_{n}_output")
            rows.append(
                OutcomeInput(
                    kind=self.cleaned_data[f"outcome_{n}_kind"],
                    title=title,
                    url=self.cleaned_data.get(f"outcome_{n}_url") or "",
                    output_id=output.pk if output else None,
                )
            )
        return rows


class FeedbackForm(PortalForm):
    prefix = "feedback"
    feedback = forms.CharField(
        label=_("Your feedback as host"), widget=forms.Textarea(attrs={"rows": 3})
    )


class TestimonialForm(PortalForm):
    prefix = "testimonial"
    text = forms.CharField(label=_("Your testimonial"), widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        widget=StoredFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("Optional. PNG, JPEG or WebP."),
    )


class OfferForm(PortalModelForm):
    modes = forms.MultipleChoiceField(
        label=_("Modes"), choices=Mode.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = HostOffer
        fields = HostOffer.FIELDS
        widgets = {
            "available_from": DATE,
            "available_until": DATE,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=organisations, label=_("Host organisation")
            )
            self.order_fields(["organisation"])

    def offer_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in HostOffer.FIELDS}


class ProfileForm(PortalModelForm):
    preferred_modes = forms.MultipleChoiceField(
        label=_("Preferred modes"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = FellowProfile
        fields = FellowProfile.FIELDS
        widgets = {"interests": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_organisation"].queryset = selectors.organisation_choices()

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FellowProfile.FIELDS}


class BodyForm(PortalForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))


class PeriodForm(PortalForm):
    prefix = "period"
    name = forms.CharField(label=_("Name"), max_length=100)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    amount = forms.DecimalField(
        label=_("Amount (euros)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        error_messages={"min_value": NOT_NEGATIVE},
    )


ANY = _("Any")


def _any(choices):
    return [("", ANY), *choices]


class OfferFilterForm(PortalForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    mode = forms.ChoiceField(label=_("Mode"), choices=_any(Mode.choices), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _any(list(countries))

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"search": data["q"], "mode": data["mode"], "country": data["country"]}


class ProfileFilterForm(PortalForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Career stage"), choices=_any(CareerStage.choices), required=False
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=_any(Mode.choices), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"search": data["q"], "stage": data["stage"], "mode": data["mode"]}


class QueueFilterForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=_any(ExchangeStatus.choices), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"status": self.cleaned_data["status"], "year": self.cleaned_data["year"]}
