"""Forms of the evaluation: input checks only; the services (and the engine) decide.

Scores are typed as text so that what the evaluator entered ("2.3", "5.5") reaches the engine's
validation unchanged and comes back beside the field with its reason.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.forms import PortalForm, PortalModelForm
from ai4media_portal.core.models import Topic

from ..forms import CallLocalDateTimeField
from .enums import TieBreakLast
from .models import EvaluationSettings, EvaluatorProfile

SCORE_WIDGET = forms.TextInput(
    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "score-input", "size": 4}
)


def in_call_timezone(value, call):
    """A wall-clock time typed in the call's timezone, as an aware datetime."""
    return value.replace(tzinfo=call.tzinfo) if value is not None else None


class EvaluationSettingsForm(PortalModelForm):
    review_deadline = CallLocalDateTimeField(
        label=_("Review deadline"),
        required=False,
        help_text=_("In the call's timezone. Evaluators submit strictly before it."),
    )
    tie_break_last = forms.ChoiceField(
        label=_("Last tie-break"),
        choices=TieBreakLast.choices,
        help_text=_("Ties are broken by the criteria in their order first, then by this."),
    )

    class Meta:
        model = EvaluationSettings
        fields = EvaluationSettings.EDITABLE_FIELDS

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        deadline = self.instance.review_deadline
        if deadline is not None and not self.is_bound:
            from django.utils import timezone

            self.initial["review_deadline"] = timezone.localtime(deadline, call.tzinfo)

    def settings_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["review_deadline"] = in_call_timezone(data.get("review_deadline"), self.call)
        return data


class InviteForm(PortalForm):
    email = forms.EmailField(label=_("Email address"))
    max_proposals = forms.IntegerField(
        label=_("Maximum proposals"), min_value=1, max_value=200, initial=10
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the invitation email."),
    )


class ExpertiseField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProfileForm(PortalModelForm):
    expertise = ExpertiseField(
        label=_("Expertise areas"),
        queryset=Topic.objects.order_by("group", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = EvaluatorProfile
        fields = ["expertise", *EvaluatorProfile.PROFILE_FIELDS]
        widgets = {
            "cv": forms.Textarea(attrs={"rows": 5}),
            "collaborators": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, joining: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if joining:
            # Joining a call asks for that call's load and availability instead.
            del self.fields["default_max_load"]
            del self.fields["availability"]

    def profile_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "expertise"}


class JoinForm(PortalForm):
    accept_terms = forms.BooleanField(
        label=_(
            "I accept the confidentiality and conflict-of-interest terms above, and I will "
            "declare any conflict of interest as soon as I know of it."
        ),
        required=False,
    )
    max_proposals = forms.IntegerField(
        label=_("How many proposals can you evaluate in this call?"),
        min_value=1,
        max_value=200,
    )
    availability = forms.CharField(
        label=_("Availability"),
        required=False,
        max_length=300,
        help_text=_("e.g. not available 10–20 March"),
    )


class DeclineForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=500, widget=forms.TextInput
    )


class PoolMemberForm(PortalForm):
    max_proposals = forms.IntegerField(label=_("Maximum"), min_value=0, max_value=200)


class DeclareConflictForm(PortalForm):
    reason = forms.CharField(
        label=_("Why do you have a conflict of interest?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the call team reads this."),
    )


class DeclareOrganisationForm(PortalForm):
    organisation = forms.CharField(
        label=_("Applicant organisation"),
        required=False,
        max_length=300,
        help_text=_(
            "An organisation you work for or with, or compete with. Any proposal it submitted "
            "to this call will be kept from you. You are not told whether it applied."
        ),
    )


class ScoresForm(PortalForm):
    """A score and a comment per criterion of the call (reviews and consensus alike)."""

    def __init__(self, *args, criteria, values=None, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        values = values or {}
        initial_scores = initial_scores or {}
        for criterion in self.criteria:
            row = values.get(criterion.pk)
            score = row.score if row is not None and row.score is not None else None
            if score is None:
                score = initial_scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=_("%(criterion)s score") % {"criterion": criterion.name},
                required=False,
                max_length=10,
                widget=SCORE_WIDGET,
                initial=_plain(score),
                help_text=_("0 to %(max)s in half points; threshold %(threshold)s")
                % {"max": _plain(criterion.max_score), "threshold": _plain(criterion.threshold)},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("%(criterion)s comment") % {"criterion": criterion.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=row.comment if row is not None else "",
            )

    def pairs(self):
        """(criterion, score field, comment field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {c.pk: self.data.get(f"score_{c.pk}", "") for c in self.criteria}

    def comments(self) -> dict:
        return {c.pk: self.data.get(f"comment_{c.pk}", "") for c in self.criteria}

    def add_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            self.add_error(name if name in self.fields else None, messages)


def _plain(value):
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text


class ReviewForm(ScoresForm):
    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall_comment"] = forms.CharField(
            label=_("Overall comment (optional)"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial=review.overall_comment if review is not None else "",
        )


class ConsensusForm(ScoresForm):
    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"] = forms.CharField(
            label=_("Overall comments for the applicant"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            initial=report.summary if report is not None else "",
            help_text=_("The applicant reads the agreed scores, comments and this summary."),
        )


class RapporteurForm(PortalForm):
    rapporteur = forms.ModelChoiceField(label=_("Rapporteur"), queryset=None)

    def __init__(self, *args, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"].queryset = evaluators
        self.fields["rapporteur"].label_from_instance = _rapporteur_label
        self.fields["rapporteur"].help_text = _(
            "The rapporteur reads every review: choose an evaluator who has submitted theirs."
        )


def _rapporteur_label(user) -> str:
    if getattr(user, "review_submitted", True):
        return user.display_name
    return _("%(name)s (review not submitted yet)") % {"name": user.display_name}


class DismissForm(PortalForm):
    reason = forms.CharField(
        label=_("Why is this not a conflict?"), required=False, max_length=1000
    )


class SetAsideForm(PortalForm):
    reason = forms.CharField(
        label=_("Why is it set aside?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Kept with the review for the record. The review then counts nowhere and the "
            "proposal needs a replacement evaluator."
        ),
    )


class ExtendForm(PortalForm):
    until = CallLocalDateTimeField(label=_("New deadline"), help_text=_("In the call's timezone."))


class SlotForm(PortalForm):
    starts_at = CallLocalDateTimeField(label=_("Starts"), help_text=_("In the call's timezone."))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=240, initial=30
    )
    location = forms.CharField(label=_("Room or video link"), max_length=300)


class BookForm(PortalForm):
    slot = forms.ModelChoiceField(
        label=_("Choose a slot"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, slots, call, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda slot: (
            f"{timezone.localtime(slot.starts_at, call.tzinfo):%d %B %Y, %H:%M %Z} "
            f"({slot.duration_minutes} min)"
        )


class InterviewRecordForm(PortalForm):
    score = forms.CharField(label=_("Interview score"), required=False, widget=SCORE_WIDGET)
    notes = forms.CharField(
        label=_("Panel notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionsForm(PortalForm):
    message = forms.CharField(
        label=_("Message to every applicant (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each email also links to the applicant's Evaluation Summary Report."),
    )
