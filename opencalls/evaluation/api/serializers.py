"""What the evaluation API shows: an evaluator's assignments (with the proposal as evaluators
may read it), their reviews, and the ranking for call managers. Nothing names an evaluator
to anyone but call managers; nothing here is public."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal
from ai4media_portal.core.api.fields import MultiLineCharField

from ...engine.scoring import format_score
from .. import selectors
from ..models import Assignment, Review
from ..predicates import peer_reviews_open


def _decimal(value) -> str | None:
    """Scores as strings ("4.5"), like every decimal of the API."""
    return None if value is None else format_score(value)


class ProposalSummarySerializer(portal.Serializer):
    """The submitted version as the evaluator may read it: no registration number, no email;
    no organisation or team names in a blind call."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    acronym = serializers.CharField()
    title = serializers.CharField()
    track = serializers.CharField()
    challenge = serializers.CharField()
    abstract = serializers.CharField()
    organisation = serializers.CharField(help_text="Empty in a blind call.")
    organisation_type = serializers.CharField()
    country = serializers.CharField()
    requested_funding = serializers.DecimalField(max_digits=12, decimal_places=2)
    duration_months = serializers.IntegerField(allow_null=True)
    document_url = serializers.URLField()


class AssignmentSerializer(portal.ModelSerializer):
    call = serializers.IntegerField(source="call.number", read_only=True)
    proposal = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    blind = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "call", "proposal", "deadline", "blind", "review", "notified_at"]
        read_only_fields = fields

    def _settings(self, assignment):
        return selectors.settings_for(assignment.call)

    @extend_schema_field(ProposalSummarySerializer)
    def get_proposal(self, assignment) -> dict:
        proposal = assignment.proposal
        version = proposal.current_version
        data = selectors.redacted_version_data(
            version, hide_identity=self._settings(assignment).hide_applicant_identity
        )
        return {
            "id": proposal.pk,
            "reference": proposal.reference,
            "acronym": version.acronym,
            "title": version.title,
            "track": version.track.name,
            "challenge": str(version.challenge),
            "abstract": data.get("abstract", ""),
            "organisation": data["organisation"].get("name", ""),
            "organisation_type": data["organisation"].get("type", ""),
            "country": data["organisation"].get("country", ""),
            "requested_funding": str(version.requested_funding),
            "duration_months": data.get("duration_months"),
            "document_url": self.context["request"].build_absolute_uri(
                reverse("opencalls:evaluation:document", args=[proposal.pk])
            ),
        }

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_deadline(self, assignment):
        return assignment.deadline(self._settings(assignment).review_deadline)

    def get_blind(self, assignment) -> bool:
        return self._settings(assignment).hide_applicant_identity

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_review(self, assignment) -> dict | None:
        review = selectors.review_of(assignment)
        if review is None:
            return None
        return {"id": review.pk, "status": review.status, "submitted_at": review.submitted_at}


class ScoreSerializer(portal.Serializer):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    comment = serializers.CharField(allow_blank=True)


class PeerReviewSerializer(portal.Serializer):
    label = serializers.CharField(help_text='"Evaluator A", "B"…: never a name.')
    is_own = serializers.BooleanField()
    scores = ScoreSerializer(many=True)
    overall_comment = serializers.CharField(allow_blank=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=2)


class ReviewSerializer(portal.ModelSerializer):
    """One of your reviews. ``scores`` and ``comments`` map criterion ids to values when you
    write; reading gives the list of criteria with their score and comment."""

    assignment = serializers.PrimaryKeyRelatedField(queryset=Assignment.objects.none())
    proposal = serializers.SerializerMethodField()
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        write_only=True,
        required=False,
        help_text='Criterion id → score, e.g. {"12": "3.5"}; 0 to 5 in half points.',
    )
    comments = serializers.DictField(
        child=MultiLineCharField(allow_blank=True),
        write_only=True,
        required=False,
        help_text="Criterion id → comment (each is required to submit).",
    )
    criteria = serializers.SerializerMethodField()
    other_reviews = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "assignment",
            "proposal",
            "status",
            "criteria",
            "scores",
            "comments",
            "overall_comment",
            "submitted_at",
            "other_reviews",
        ]
        read_only_fields = ["id", "proposal", "status", "criteria", "submitted_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "assignment" in self.fields:
            self.fields["assignment"].queryset = selectors.evaluator_assignments(user=request.user)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # The assignment of an existing review never changes.
            fields["assignment"].read_only = True
        return fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_proposal(self, review) -> dict:
        proposal = review.assignment.proposal
        return {"id": proposal.pk, "reference": proposal.reference}

    @extend_schema_field(ScoreSerializer(many=True))
    def get_criteria(self, review) -> list:
        values = {s.criterion_id: s for s in review.scores.all()}
        return [
            {
                "criterion": c.pk,
                "name": c.name,
                "score": _decimal(getattr(values.get(c.pk), "score", None)),
                "comment": getattr(values.get(c.pk), "comment", ""),
            }
            for c in review.assignment.call.criteria.all()
        ]

    @extend_schema_field(PeerReviewSerializer(many=True, allow_null=True))
    def get_other_reviews(self, review):
        """The submitted reviews of the same proposal, anonymised, once yours is submitted."""
        if not peer_reviews_open(review.assignment):
            return None
        criteria = list(review.assignment.call.criteria.all())
        peers = selectors.peer_reviews(assignment=review.assignment, criteria=criteria)
        return [
            {
                "label": peer.label,
                "is_own": peer.is_own,
                "scores": [
                    {
                        "criterion": c.pk,
                        "name": c.name,
                        "score": _decimal(score),
                        "comment": comment,
                    }
                    for c, score, comment in peer.scores
                ],
                "overall_comment": peer.overall_comment,
                "total": _decimal(peer.total),
            }
            for peer in peers
        ]


class RankedSerializer(portal.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    proposal = serializers.IntegerField()
    reference = serializers.CharField()
    acronym = serializers.CharField()
    written_total = serializers.DecimalField(max_digits=8, decimal_places=2)
    interview_score = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    final_score = serializers.DecimalField(max_digits=8, decimal_places=3)
    requested_funding = serializers.DecimalField(max_digits=12, decimal_places=2)
    cumulative_funding = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    decision = serializers.ChoiceField(choices=["fund", "reserve", "below_threshold"])
    provisional = serializers.BooleanField(
        help_text="Ranked by the suggested consensus: its consensus report is not final yet."
    )
    tie_broken_by = serializers.CharField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class TrackRankingSerializer(portal.Serializer):
    track = serializers.CharField(allow_null=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    funded_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    ranked = RankedSerializer(many=True)
    below_threshold = RankedSerializer(many=True)
    without_consensus = serializers.ListField(child=serializers.CharField())
    conflict_of_interest = serializers.ListField(
        child=serializers.CharField(),
        help_text="References of the proposals you are a party to: hidden, without scores.",
    )
    hidden = serializers.ListField(
        child=serializers.CharField(),
        help_text="Proposals you evaluate and have not submitted your review of: left out "
        "until you do (the blind-review rule).",
    )


def ranked_row(row) -> dict:
    ranked = row.ranked
    return {
        "rank": ranked.rank,
        "proposal": row.proposal.pk,
        "reference": row.proposal.reference,
        "acronym": row.proposal.current_version.acronym,
        "written_total": ranked.written_total,
        "interview_score": ranked.interview_score,
        "final_score": ranked.final_score.quantize(ranked.final_score.__class__("0.001")),
        "requested_funding": ranked.requested_funding,
        "cumulative_funding": ranked.cumulative_funding,
        "decision": ranked.decision.value,
        "provisional": row.provisional,
        "tie_broken_by": ranked.tie_broken_by,
        "reasons": row.reasons,
    }


def track_ranking(track_ranking) -> dict:
    return {
        "track": track_ranking.track.name if track_ranking.track else None,
        "budget": track_ranking.budget,
        "funded_total": track_ranking.ranking.funded_total,
        "ranked": [ranked_row(r) for r in track_ranking.rows],
        "below_threshold": [ranked_row(r) for r in track_ranking.below],
        "without_consensus": [p.reference for p in track_ranking.missing],
        "conflict_of_interest": [p.reference for p in track_ranking.conflicts],
        "hidden": [p.reference for p in track_ranking.withheld],
    }
