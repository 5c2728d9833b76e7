"""Forms of open calls: input checks only; the services decide and write."""

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from ai4media_portal.accounts.models import timezone_choices
from ai4media_portal.core.forms import PortalForm, PortalModelForm
from ai4media_portal.core.validators import validate_pdf

from .enums import (
    BudgetCategory,
    DeliverableKind,
    OrganisationType,
    OutputKind,
    ProjectStatus,
    ProposalStatus,
    ScreeningOutcome,
    SupportKind,
    TrackKind,
)
from .models import (
    Call,
    CallFaq,
    Challenge,
    EligibilityItem,
    EvaluationCriterion,
    Proposal,
    ProposalMilestone,
    ProposalTeamMember,
    Track,
)
from .services.screening import CheckInput

CALL_CHECKED_FIELDS = ("opens_at", "closes_at", "max_funding", "total_budget")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallLocalDateTimeField(forms.DateTimeField):
    """A wall-clock time without a timezone: the call form places it in the call's own
    timezone, not in the editor's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.replace(tzinfo=None)
        return value


class CallForm(PortalModelForm):
    opens_at = CallLocalDateTimeField(label=_("Opens at"), help_text=_("In the call's timezone."))
    closes_at = CallLocalDateTimeField(
        label=_("Closes at (deadline)"),
        help_text=_("In the call's timezone. Submissions are accepted strictly before it."),
    )
    timezone = forms.ChoiceField(label=_("Timezone"), choices=timezone_choices)
    guide = forms.FileField(
        label=_("Guide for applicants (PDF)"), required=False, widget=forms.FileInput
    )

    class Meta:
        model = Call
        fields = [*Call.EDITABLE_FIELDS, "guide"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        instance = self.instance
        if instance.pk:
            tz = instance.tzinfo
            self.initial["opens_at"] = timezone.localtime(instance.opens_at, tz)
            self.initial["closes_at"] = timezone.localtime(instance.closes_at, tz)

    def clean_guide(self):
        guide = self.cleaned_data.get("guide")
        if guide:
            validate_pdf(guide)
        return guide

    def clean(self):
        cleaned = super().clean()
        try:
            tz = zoneinfo.ZoneInfo(cleaned.get("timezone") or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return cleaned
        for name in ("opens_at", "closes_at"):
            if cleaned.get(name) is not None:
                cleaned[name] = cleaned[name].replace(tzinfo=tz)
        # The call's own rules (dates in order, cap within budget) apply to what was entered.
        probe = Call(**{k: v for k, v in cleaned.items() if k in CALL_CHECKED_FIELDS})
        try:
            probe.clean()
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def _post_clean(self):
        # The call's own validation runs in the service; here only what the form can say.
        pass

    def call_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "guide"}
        if data.get("number") is None:
            data.pop("number", None)
        return data


class _RowForm(PortalModelForm):
    def _post_clean(self):
        pass  # the service validates the rows it saves


class TrackForm(_RowForm):
    class Meta:
        model = Track
        fields = Track.EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ChallengeForm(_RowForm):
    class Meta:
        model = Challenge
        fields = Challenge.EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(call=call)


class CriterionForm(_RowForm):
    class Meta:
        model = EvaluationCriterion
        fields = EvaluationCriterion.EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ChecklistForm(_RowForm):
    class Meta:
        model = EligibilityItem
        fields = EligibilityItem.EDITABLE_FIELDS
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}


class FaqForm(_RowForm):
    class Meta:
        model = CallFaq
        fields = CallFaq.EDITABLE_FIELDS
        widgets = {"answer": forms.Textarea(attrs={"rows": 3})}


def structure_formsets(call: Call, data=None) -> dict:
    """The editor's formsets for tracks, challenges, criteria, checklist and FAQ."""

    def make(model, form, prefix, queryset, extra=1, **form_kwargs):
        factory = forms.modelformset_factory(model, form=form, extra=extra, can_delete=True)
        return factory(data, queryset=queryset, prefix=prefix, form_kwargs=form_kwargs)

    return {
        "tracks": make(Track, TrackForm, "tracks", call.tracks.all()),
        "challenges": make(
            Challenge,
            ChallengeForm,
            "challenges",
            Challenge.objects.filter(track__call=call)
            .select_related("track")
            .order_by("track__order", "order", "pk"),
            extra=2,
            call=call,
        ),
        "criteria": make(EvaluationCriterion, CriterionForm, "criteria", call.criteria.all()),
        "checklist": make(EligibilityItem, ChecklistForm, "checklist", call.checklist.all()),
        "faqs": make(CallFaq, FaqForm, "faqs", call.faqs.all()),
    }


def formset_rows(formset) -> list[dict]:
    """A valid formset's rows for ``call_save_structure``: changed or existing rows only."""
    rows = []
    for form in formset.forms:
        if not form.instance.pk and not form.has_changed():
            continue
        row = {k: v for k, v in form.cleaned_data.items() if k not in {"id", "DELETE"}}
        row["id"] = form.instance.pk
        row["DELETE"] = form.cleaned_data.get("DELETE", False)
        rows.append(row)
    return rows


# --- Proposals --------------------------------------------------------------------------------

YES_NO = [("", _("— choose —")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class ProposalForm(PortalForm):
    """The proposal's own fields. Nothing is required here: drafts save what is valid, and
    the submission lists everything still missing."""

    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200)
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("— choose —")), *OrganisationType.choices],
    )
    organisation_country = LazyTypedChoiceField(
        label=_("Country of registration"), choices=[("", _("— choose —")), *countries]
    )
    organisation_registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=64,
        help_text=_("VAT or company registration number, as in the national register."),
    )
    organisation_is_sme = forms.TypedChoiceField(
        label=_("Is your organisation an SME?"),
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        help_text=_("Fewer than 250 staff and a turnover up to €50 million."),
    )
    challenge = forms.TypedChoiceField(label=_("Track and challenge"), coerce=int)
    acronym = forms.CharField(label=_("Acronym"), max_length=30)
    title = forms.CharField(label=_("Project title"), max_length=255)
    abstract = forms.CharField(
        label=_("Abstract"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most 3,000 characters. Published if the project is funded."),
    )
    requested_funding = forms.DecimalField(
        label=_("Requested funding (€)"), min_value=0, max_digits=12, decimal_places=2
    )
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=48)
    declare_honour = forms.BooleanField(
        label=_(
            "I declare on my honour that the information in this proposal is true and that "
            "my organisation is eligible."
        )
    )
    declare_no_double_funding = forms.BooleanField(
        label=_("The work proposed receives no other public funding (no double funding).")
    )
    declare_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is processed for the call.")
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.challenges = {c.pk: c for c in proposal_challenges(proposal.call)}
        groups: dict[str, list] = {}
        for challenge in self.challenges.values():
            groups.setdefault(challenge.track.name, []).append((challenge.pk, str(challenge)))
        self.fields["challenge"].choices = [("", _("— choose —")), *groups.items()]
        for field in self.fields.values():
            field.required = False
        call = proposal.call
        self.fields["requested_funding"].help_text = _(
            "At most €%(cap)s. The budget lines below must add up to this amount."
        ) % {"cap": f"{call.max_funding:,.0f}"}
        if not self.is_bound:
            self.initial = proposal_initial(proposal)

    def clean_challenge(self):
        value = self.cleaned_data.get("challenge")
        if value in (None, ""):
            return None
        if value not in self.challenges:
            raise forms.ValidationError(_("Choose one of this call's challenges."))
        return self.challenges[value]

    def draft_fields(self) -> dict:
        """The valid fields, ready for ``proposal_save_draft``."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class DocumentForm(PortalForm):
    """The proposal document, uploaded on its own so that autosaves never resend it."""

    document = forms.FileField(
        label=_("Proposal document (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["document"].help_text = _(
            "PDF only, at most %(mb)s MB. A new upload replaces the previous document."
        ) % {"mb": call.max_document_mb}

    def clean_document(self):
        upload = self.cleaned_data["document"]
        validate_pdf(upload, max_bytes=self.call.max_document_bytes)
        return upload


def proposal_challenges(call: Call):
    return Challenge.objects.filter(track__call=call).select_related("track")


def proposal_initial(proposal: Proposal) -> dict:
    initial = {name: getattr(proposal, name) for name in ProposalForm.base_fields}
    initial["challenge"] = proposal.challenge_id
    initial["organisation_is_sme"] = {True: "yes", False: "no"}.get(proposal.organisation_is_sme)
    return initial


class BudgetForm(PortalForm):
    """One amount and justification per budget category."""

    def __init__(self, *args, proposal: Proposal | None = None, **kwargs):
        super().__init__(*args, prefix="budget", **kwargs)
        lines = {line.category: line for line in proposal.budget_lines.all()} if proposal else {}
        for category, label in BudgetCategory.choices:
            self.fields[category] = forms.DecimalField(
                label=_("%(category)s (€)") % {"category": label},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
            )
            self.fields[f"{category}_note"] = forms.CharField(
                label=_("Justification: %(category)s") % {"category": label},
                required=False,
                max_length=500,
            )
            line = lines.get(category)
            if line is not None and not self.is_bound:
                self.initial[category] = line.amount
                self.initial[f"{category}_note"] = line.justification

    def category_rows(self):
        for category, label in BudgetCategory.choices:
            yield label, self[category], self[f"{category}_note"]

    def lines(self) -> list[dict]:
        lines = []
        for category in BudgetCategory.values:
            amount = self.cleaned_data.get(category)
            note = self.cleaned_data.get(f"{category}_note", "")
            if category in self.errors or (amount is None and not note):
                continue
            lines.append({"category": category, "amount": amount or 0, "justification": note})
        return lines


class TeamMemberForm(PortalForm):
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.CharField(label=_("Role in the project"), max_length=200, required=False)


class MilestoneForm(PortalForm):
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=48, required=False)
    title = forms.CharField(label=_("Milestone"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=1000, required=False)


TeamFormSet = forms.formset_factory(TeamMemberForm, extra=2, max_num=20)
MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, max_num=24)


def team_formset(proposal: Proposal, data=None):
    # Posted rows replace the saved ones, so a bound formset has no initial data: an
    # unchanged row must count as filled, not as an empty extra form.
    if data is not None:
        return TeamFormSet(data, prefix="team")
    fields = ProposalTeamMember.EDITABLE_FIELDS
    initial = [{name: getattr(m, name) for name in fields} for m in proposal.team.all()]
    return TeamFormSet(initial=initial, prefix="team")


def milestone_formset(proposal: Proposal, data=None):
    if data is not None:
        return MilestoneFormSet(data, prefix="milestones")
    fields = ProposalMilestone.EDITABLE_FIELDS
    initial = [{name: getattr(m, name) for name in fields} for m in proposal.milestones.all()]
    return MilestoneFormSet(initial=initial, prefix="milestones")


def team_rows(formset) -> list[dict]:
    """Valid rows with a name; a row whose name was cleared is removed."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.is_valid() and form.cleaned_data.get("full_name")
    ]


def milestone_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if form.is_valid() and form.cleaned_data.get("title"):
            data = dict(form.cleaned_data)
            if data.get("month") is None:
                form.add_error("month", _("Give the project month of this milestone."))
                continue
            rows.append(data)
    return rows


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why do you withdraw? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClarificationAnswerForm(PortalForm):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


# --- Managers ---------------------------------------------------------------------------------


class ProposalFilterForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ProposalStatus.choices]
    )
    track = forms.ModelChoiceField(
        label=_("Track"), required=False, queryset=Track.objects.none(), empty_label=_("Any")
    )
    challenge = forms.ModelChoiceField(
        label=_("Challenge"),
        required=False,
        queryset=Challenge.objects.none(),
        empty_label=_("Any"),
    )
    country = LazyTypedChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any")), *countries]
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[("", _("Any")), *ScreeningOutcome.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("reference", _("Reference")),
            ("-submitted", _("Latest submission")),
            ("submitted", _("Earliest submission")),
            ("-funding", _("Highest funding")),
            ("funding", _("Lowest funding")),
            ("acronym", _("Acronym")),
            ("country", _("Country")),
        ],
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(call=call)
        self.fields["challenge"].queryset = proposal_challenges(call)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class ScreeningForm(PortalForm):
    """One passed / failed choice and a reason per checklist item, then an outcome."""

    RESULT = [("", _("Not checked")), ("pass", _("Met")), ("fail", _("Not met"))]
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[
            ("", _("Save the checks only")),
            (ScreeningOutcome.ELIGIBLE, _("Eligible")),
            (ScreeningOutcome.INELIGIBLE, _("Ineligible: tell the applicant why")),
            (ScreeningOutcome.CLARIFICATION, _("Ask the applicant for a clarification")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The question to answer, or what the applicant should know."),
    )

    def __init__(self, *args, items, checks: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            check = checks.get(item.pk)
            result = forms.ChoiceField(
                label=item.text,
                choices=self.RESULT,
                required=False,
                widget=forms.RadioSelect,
                help_text=item.help_text,
            )
            reason = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"check_{item.pk}"] = result
            self.fields[f"reason_{item.pk}"] = reason
            if check is not None and not self.is_bound:
                self.initial[f"check_{item.pk}"] = {True: "pass", False: "fail"}.get(check.passed)
                self.initial[f"reason_{item.pk}"] = check.reason

    def item_rows(self):
        for item in self.items:
            yield item, self[f"check_{item.pk}"], self[f"reason_{item.pk}"]

    def checks(self):
        for item in self.items:
            value = self.cleaned_data.get(f"check_{item.pk}")
            yield CheckInput(
                item_id=item.pk,
                passed={"pass": True, "fail": False}.get(value),
                reason=self.cleaned_data.get(f"reason_{item.pk}", ""),
            )


class DecisionForm(PortalForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ProposalStatus.SELECTED, _("Selected for funding")),
            (ProposalStatus.RESERVE, _("Reserve list")),
            (ProposalStatus.REJECTED, _("Not selected")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FundedProjectForm(PortalForm):
    agreement_reference = forms.CharField(label=_("Agreement reference"), max_length=60)
    start_date = forms.DateField(label=_("Start"), widget=DATE_INPUT)
    end_date = forms.DateField(
        label=_("End"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty to use the proposal's duration."),
    )
    funding_amount = forms.DecimalField(
        label=_("Funding (€)"), min_value=0, max_digits=12, decimal_places=2
    )
    summary = forms.CharField(
        label=_("Public summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown in the catalogue of funded projects."),
    )


class ProjectUpdateForm(PortalForm):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    end_date = forms.DateField(label=_("End"), widget=DATE_INPUT)
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Public: what the project achieved."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args, team_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if team_only:
            del self.fields["status"]
            del self.fields["end_date"]


class DeliverableForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeliverableKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000)
    due_date = forms.DateField(label=_("Due"), widget=DATE_INPUT)
    tranche = forms.ModelChoiceField(
        label=_("Unlocks the tranche"), required=False, queryset=None, empty_label=_("None")
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].queryset = project.tranches.all()


class DeliverableUploadForm(PortalForm):
    file = forms.FileField(
        label=_("File (PDF)"), widget=forms.FileInput(attrs={"accept": "application/pdf"})
    )
    note = forms.CharField(label=_("Note for the reviewer"), required=False, max_length=2000)


class DeliverableReviewForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("Review"),
        choices=[("approve", _("Approve")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SupportSessionForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    coach = forms.CharField(label=_("Coach or trainer"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DemoDayForm(PortalForm):
    event = forms.CharField(label=_("Event"), max_length=200, initial="AI4Media DemoDay")
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    pitch_title = forms.CharField(label=_("Pitch title"), max_length=200)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutputLinkForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutputKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")
    doi = forms.CharField(label=_("DOI"), required=False, max_length=200)


class ProjectFilterForm(PortalForm):
    call = forms.TypedChoiceField(label=_("Call"), required=False, coerce=int, empty_value=None)
    track = forms.ChoiceField(
        label=_("Track"), required=False, choices=[("", _("Any")), *TrackKind.choices]
    )
    country = LazyTypedChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any")), *countries]
    )

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [
            ("", _("Any")),
            *((call.number, f"Open Call #{call.number}") for call in calls),
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
