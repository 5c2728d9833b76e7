"""Admin views of the evaluation for staff: reading and small corrections. The workflow
(assign, review, consensus, decide) happens in the portal's pages, which call the services
and keep the audit log."""

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
    search_fields = ["evaluator__email", "evaluator__full_name"]
    raw_id_fields = ["evaluator", "invited_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "call", "status", "expires_at", "claimed_by"]
    list_filter = ["status", "call"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    raw_id_fields = ["invited_by", "claimed_by"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "source", "active", "reason"]
    list_filter = ["source", "active", "call"]
    raw_id_fields = ["proposal", "evaluator", "confirmed_by", "dismissed_by"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ["call", "status", "progress", "created_at", "finished_at", "gap"]
    list_filter = ["status", "call"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "locked", "source", "notified_at"]
    list_filter = ["source", "locked", "call"]
    raw_id_fields = ["proposal", "evaluator", "run", "created_by"]


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    extra = 0


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


class ConsensusScoreInline(admin.TabularInline):
    model = ConsensusScore
    extra = 0


@admin.register(ConsensusReport)
class ConsensusReportAdmin(BlindReviewMixin, admin.ModelAdmin):
    list_display = ["proposal", "status", "rapporteur", "finalised_at"]
    list_filter = ["status", "call"]
    raw_id_fields = ["proposal", "rapporteur", "finalised_by"]
    inlines = [ConsensusScoreInline]


@admin.register(InterviewSlot)
class InterviewSlotAdmin(admin.ModelAdmin):
    list_display = ["call", "starts_at", "duration_minutes", "location"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "status", "slot", "score"]
    list_filter = ["status", "call"]
    raw_id_fields = ["proposal", "slot", "invited_by", "recorded_by"]
