"""Admin views of the evaluation for staff: reading and small corrections. The workflow
(assign, review, consensus, decide) happens in the portal's pages, which call the services
and keep the audit log: here every state is read-only, and so are a review's scores once it
is submitted and a consensus once it is final."""

from django.contrib import admin

from .models import (
    Assignment,
    AssignmentRun,
    Conflict,
    ConsensusReport,
    ConsensusScore,
    EvaluationSettings,
    EvaluatorProfile,
    Interview,
    InterviewSlot,
    Invitation,
    PoolMember,
    Review,
    ReviewScore,
)
from .predicates import awaiting_own_review


def _all_fields(model) -> list[str]:
    return [field.name for field in model._meta.fields]


class _FrozenInline(admin.TabularInline):
    """Score rows that become read-only once their parent is ``frozen(obj)``."""

    extra = 0

    def frozen(self, obj) -> bool:
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.frozen(obj):
            return _all_fields(self.model)
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and self.frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and self.frozen(obj))


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    list_display = ["call", "hide_applicant_identity", "review_deadline", "interview_weight"]


@admin.register(EvaluatorProfile)
class EvaluatorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation_name", "country", "default_max_load"]
    search_fields = ["user__email", "user__full_name", "organisation_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["expertise"]


@admin.register(PoolMember)
class PoolMemberAdmin(admin.ModelAdmin):
    list_display = ["evaluator", "call", "status", "max_proposals", "terms_version"]
    list_filter = ["status", "call"]
    readonly_fields = ["status", "terms_version", "terms_accepted_at"]
    search_fields = ["evaluator__email", "evaluator__full_name"]
    raw_id_fields = ["evaluator", "invited_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "call", "status", "expires_at", "claimed_by"]
    list_filter = ["status", "call"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    readonly_fields = ["status"]
    raw_id_fields = ["invited_by", "claimed_by"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "source", "active", "reason"]
    list_filter = ["source", "active", "call"]
    raw_id_fields = ["proposal", "evaluator"]
    readonly_fields = [
        "active",
        "confirmed_by",
        "confirmed_at",
        "dismissed_by",
        "dismissed_at",
        "dismissal_reason",
    ]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ["call", "status", "progress", "created_at", "finished_at", "gap"]
    list_filter = ["status", "call"]

    def get_readonly_fields(self, request, obj=None):
        return _all_fields(self.model)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "locked", "source", "notified_at"]
    list_filter = ["source", "locked", "call"]
    raw_id_fields = ["proposal", "evaluator", "run", "created_by"]


class ReviewScoreInline(_FrozenInline):
    model = ReviewScore

    def frozen(self, obj) -> bool:
        return obj.is_submitted


class BlindReviewMixin:
    """Staff who evaluate a proposal see none of its reviews or consensus here before their
    own review is submitted (``predicates.awaiting_own_review``): the admin is no way round
    the blind-review rule."""

    proposal_path = "proposal"

    def get_queryset(self, request):
        pending = awaiting_own_review(request.user).values("proposal_id")
        return super().get_queryset(request).exclude(**{f"{self.proposal_path}__in": pending})


@admin.register(Review)
class ReviewAdmin(BlindReviewMixin, admin.ModelAdmin):
    list_display = ["assignment", "status", "submitted_at", "set_aside_at"]
    list_filter = ["status"]
    raw_id_fields = ["assignment"]
    inlines = [ReviewScoreInline]
    proposal_path = "assignment__proposal"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_submitted:
            return _all_fields(self.model)
        return ["status", "submitted_at"]


class ConsensusScoreInline(_FrozenInline):
    model = ConsensusScore

    def frozen(self, obj) -> bool:
        return obj.is_final


@admin.register(ConsensusReport)
class ConsensusReportAdmin(BlindReviewMixin, admin.ModelAdmin):
    list_display = ["proposal", "status", "rapporteur", "finalised_at"]
    list_filter = ["status", "call"]
    raw_id_fields = ["proposal", "rapporteur"]
    inlines = [ConsensusScoreInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_final:
            return _all_fields(self.model)
        return ["status", "finalised_at", "finalised_by"]


@admin.register(InterviewSlot)
class InterviewSlotAdmin(admin.ModelAdmin):
    list_display = ["call", "starts_at", "duration_minutes", "location"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "status", "slot", "score"]
    list_filter = ["status", "call"]
    raw_id_fields = ["proposal", "slot", "invited_by"]
    readonly_fields = ["status", "score", "panel_notes", "held_at", "recorded_by"]
