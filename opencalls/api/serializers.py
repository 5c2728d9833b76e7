"""What the API shows of calls, proposals and funded projects, and what applicants write."""

from django.urls import reverse
from django.utils import timezone
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal
from ai4media_portal.core.api.fields import MultiLineCharField, OptionalURLField
from ai4media_portal.core.permissions import can

from ..enums import CallStatus
from ..models import (
    Call,
    CallFaq,
    Challenge,
    Deliverable,
    DemoDayPitch,
    EvaluationCriterion,
    FundedProject,
    OutputLink,
    Proposal,
    ProposalBudgetLine,
    ProposalMilestone,
    ProposalTeamMember,
    ProposalVersion,
    SupportSession,
    Track,
    Tranche,
)

# --- Calls ------------------------------------------------------------------------------------


class ChallengeSerializer(portal.ModelSerializer):
    class Meta:
        model = Challenge
        fields = ["id", "code", "title", "description"]


class TrackSerializer(portal.ModelSerializer):
    challenges = ChallengeSerializer(many=True, read_only=True)

    class Meta:
        model = Track
        fields = ["id", *Track.EDITABLE_FIELDS, "challenges"]


class CriterionSerializer(portal.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = ["order", *EvaluationCriterion.EDITABLE_FIELDS]


class FaqSerializer(portal.ModelSerializer):
    class Meta:
        model = CallFaq
        fields = CallFaq.EDITABLE_FIELDS


class CallSerializer(portal.ModelSerializer):
    status = serializers.SerializerMethodField()
    closes_at_local = serializers.SerializerMethodField(
        help_text="The deadline in the call's own timezone, ISO 8601 with its offset."
    )
    guide_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    tracks = TrackSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    faqs = FaqSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "number",
            "title",
            "summary",
            "description",
            "status",
            "opens_at",
            "closes_at",
            "timezone",
            "closes_at_local",
            "total_budget",
            "max_funding",
            "guide_url",
            "evaluators_per_proposal",
            "overall_threshold",
            "interview_enabled",
            "interviews_per_track",
            "one_proposal_per_organisation",
            "max_document_mb",
            "tracks",
            "criteria",
            "faqs",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=CallStatus.choices))
    def get_status(self, call) -> str:
        return call.status.value

    def get_closes_at_local(self, call) -> str:
        return timezone.localtime(call.closes_at, call.tzinfo).isoformat()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_guide_url(self, call) -> str | None:
        return self.context["request"].build_absolute_uri(call.guide.url) if call.guide else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, call) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("opencalls:call", args=[call.number])
        )


# --- Proposals --------------------------------------------------------------------------------


class TeamMemberSerializer(portal.ModelSerializer):
    class Meta:
        model = ProposalTeamMember
        fields = ProposalTeamMember.EDITABLE_FIELDS


class BudgetLineSerializer(portal.ModelSerializer):
    class Meta:
        model = ProposalBudgetLine
        fields = ProposalBudgetLine.EDITABLE_FIELDS


class MilestoneSerializer(portal.ModelSerializer):
    class Meta:
        model = ProposalMilestone
        fields = ProposalMilestone.EDITABLE_FIELDS
        extra_kwargs = {"month": {"max_value": 48}, "description": {"max_length": 1000}}


class VersionSerializer(portal.ModelSerializer):
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = ProposalVersion
        fields = [
            "number",
            "reference",
            "submitted_at",
            "document_name",
            "document_size",
            "document_sha256",
            "document_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_document_url(self, version) -> str:
        """A permission-checked download (the applicant and call managers), never public."""
        return self.context["request"].build_absolute_uri(
            reverse("opencalls:version_document", args=[version.proposal_id, version.number])
        )


class ProposalSerializer(portal.ModelSerializer):
    """An applicant's proposal (the working copy) with its submitted versions. Writes save
    the draft; submitting is the ``submit`` action."""

    call = serializers.SlugRelatedField(slug_field="number", queryset=Call.objects.published())
    reference = serializers.CharField(read_only=True)
    organisation_country = CountryField(required=False, allow_blank=True)
    challenge = serializers.PrimaryKeyRelatedField(
        queryset=Challenge.objects.all(), required=False, allow_null=True
    )
    team = TeamMemberSerializer(many=True, required=False)
    budget = BudgetLineSerializer(many=True, required=False, source="budget_lines")
    milestones = MilestoneSerializer(many=True, required=False)
    document = serializers.SerializerMethodField()
    current_version = VersionSerializer(read_only=True, allow_null=True)
    versions = VersionSerializer(many=True, read_only=True)
    form_token = serializers.UUIDField(
        write_only=True,
        required=False,
        help_text="Any UUID you choose for this create: sending it again returns the draft it "
        "started (200) instead of starting another.",
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "call",
            "reference",
            "status",
            "track",
            *Proposal.DRAFT_FIELDS,
            "team",
            "budget",
            "milestones",
            "document",
            "current_version",
            "versions",
            "submitted_at",
            "withdrawn_at",
            "decision_message",
            "created_at",
            "updated_at",
            "form_token",
        ]
        read_only_fields = [
            "status",
            "track",
            "submitted_at",
            "withdrawn_at",
            "decision_message",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "name": {"type": "string"},
                "size": {"type": "integer"},
                "url": {"type": "string", "format": "uri"},
            },
        }
    )
    def get_document(self, proposal):
        if not proposal.document:
            return None
        return {
            "name": proposal.document_name,
            "size": proposal.document_size,
            "url": self.context["request"].build_absolute_uri(
                reverse("opencalls:proposal_document", args=[proposal.pk])
            ),
        }

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["call"].read_only = True
        return fields


class ProposalWithdrawSerializer(portal.Serializer):
    reason = MultiLineCharField(required=False, allow_blank=True, max_length=1000)


class ProposalDocumentSerializer(portal.Serializer):
    document = serializers.FileField()


# --- Funded projects --------------------------------------------------------------------------


class OutputLinkSerializer(portal.ModelSerializer):
    class Meta:
        model = OutputLink
        fields = ["kind", "title", "url", "doi", "href"]


class PitchSerializer(portal.ModelSerializer):
    class Meta:
        model = DemoDayPitch
        fields = ["event", "date", "pitch_title", "outcome"]


class DeliverableSerializer(portal.ModelSerializer):
    class Meta:
        model = Deliverable
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "due_date",
            "status",
            "tranche",
            "submitted_at",
            "reviewed_at",
            "review_message",
        ]


class TrancheSerializer(portal.ModelSerializer):
    class Meta:
        model = Tranche
        fields = ["id", "name", "percentage", "amount", "status", "requested_at", "released_at"]


class SupportSessionSerializer(portal.ModelSerializer):
    class Meta:
        model = SupportSession
        fields = ["kind", "date", "coach", "topic", "notes"]


class FundedProjectSummarySerializer(portal.ModelSerializer):
    """The public summary of a funded project."""

    call = serializers.IntegerField(source="call.number", read_only=True)
    track = serializers.CharField(source="track.name", read_only=True)
    track_kind = serializers.CharField(source="track.kind", read_only=True)
    challenge = serializers.CharField(source="challenge.__str__", read_only=True)
    organisation_country = CountryField(read_only=True)
    website = OptionalURLField(read_only=True)
    outputs = OutputLinkSerializer(many=True, read_only=True)
    pitches = PitchSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = FundedProject
        fields = [
            "id",
            "acronym",
            "title",
            "summary",
            "call",
            "track",
            "track_kind",
            "challenge",
            "organisation_name",
            "organisation_country",
            "start_date",
            "end_date",
            "funding_amount",
            "status",
            "outcomes",
            "website",
            "outputs",
            "pitches",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, project) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("opencalls:project", args=[project.pk])
        )


FOLLOW_UP_FIELDS = ("agreement_reference", "tranches", "deliverables", "support_sessions")


class FundedProjectSerializer(FundedProjectSummarySerializer):
    """A funded project. Everyone reads the public summary; the project's team and call
    managers (``opencalls.follow_project``) also read the agreement reference, tranches,
    deliverables and support sessions. For anyone else those keys are absent, project by
    project, in lists and details alike, whatever the query parameters."""

    tranches = TrancheSerializer(many=True, read_only=True)
    deliverables = DeliverableSerializer(many=True, read_only=True)
    support_sessions = SupportSessionSerializer(many=True, read_only=True)

    class Meta(FundedProjectSummarySerializer.Meta):
        fields = [*FundedProjectSummarySerializer.Meta.fields, *FOLLOW_UP_FIELDS]
        read_only_fields = fields
        optional_fields = FOLLOW_UP_FIELDS

    def to_representation(self, project):
        if can(self.context["request"].user, "opencalls.follow_project", project):
            return super().to_representation(project)
        if not hasattr(self, "_summary"):
            self._summary = FundedProjectSummarySerializer(context=self.context)
        return self._summary.to_representation(project)
