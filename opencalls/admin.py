"""Admin views of open calls for staff: reading and small corrections. The workflow (submit,
screen, decide, release) happens in the portal's pages, which call the services: states are
read-only here, and each proposal and call shows its history."""

from django.contrib import admin

from .models import (
    Call,
    CallFaq,
    CallStageChange,
    Challenge,
    Deliverable,
    EligibilityItem,
    EligibilityScreening,
    EvaluationCriterion,
    FundedProject,
    Proposal,
    ProposalStatusChange,
    ProposalVersion,
    Track,
    Tranche,
)


class _HistoryInline(admin.TabularInline):
    """The steps written by the state's one writer: read only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class CallHistoryInline(_HistoryInline):
    model = CallStageChange
    fields = ["created_at", "from_stage", "to_stage", "actor", "message"]


class ProposalHistoryInline(_HistoryInline):
    model = ProposalStatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "message"]


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


class CriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    extra = 0


class ChecklistInline(admin.TabularInline):
    model = EligibilityItem
    extra = 0


class FaqInline(admin.StackedInline):
    model = CallFaq
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "stage", "opens_at", "closes_at", "timezone"]
    list_filter = ["stage"]
    search_fields = ["title"]
    readonly_fields = ["stage", "published_at"]
    inlines = [TrackInline, CriterionInline, ChecklistInline, FaqInline, CallHistoryInline]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "track"]
    list_select_related = ["track__call"]
    list_filter = ["track__call"]
    filter_horizontal = ["topics"]


class VersionInline(admin.TabularInline):
    model = ProposalVersion
    fields = ["reference", "submitted_at", "document_sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "call", "status", "applicant", "organisation_name", "updated_at"]
    list_filter = ["call", "status"]
    list_select_related = ["call", "applicant"]
    search_fields = ["acronym", "title", "organisation_name", "applicant__email"]
    readonly_fields = [
        "status",
        "number",
        "current_version",
        "registration_key",
        "submitted_at",
        "withdrawn_at",
        "withdrawn_by",
        "decided_at",
        "decided_by",
        "document",
    ]
    raw_id_fields = ["applicant", "track", "challenge"]
    inlines = [VersionInline, ProposalHistoryInline]


@admin.register(ProposalVersion)
class ProposalVersionAdmin(admin.ModelAdmin):
    """Versions are immutable: read only."""

    list_display = ["reference", "submitted_at", "acronym", "organisation_name"]
    list_select_related = ["proposal__call"]
    search_fields = ["reference", "acronym"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EligibilityScreening)
class EligibilityScreeningAdmin(admin.ModelAdmin):
    list_display = ["proposal", "outcome", "screener", "decided_at"]
    list_filter = ["outcome"]
    readonly_fields = ["outcome", "decided_at"]
    list_select_related = ["proposal__call", "screener"]


class TrancheInline(admin.TabularInline):
    model = Tranche
    extra = 0
    readonly_fields = ["status", "requested_at", "released_at", "released_by"]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["kind", "title", "due_date", "tranche", "status"]
    readonly_fields = ["status"]


@admin.register(FundedProject)
class FundedProjectAdmin(admin.ModelAdmin):
    list_display = ["acronym", "call", "track", "organisation_country", "status", "start_date"]
    list_filter = ["call", "track__kind", "status"]
    list_select_related = ["call", "track"]
    search_fields = ["acronym", "title", "agreement_reference", "organisation_name"]
    raw_id_fields = ["proposal", "beneficiary", "members"]
    inlines = [TrancheInline, DeliverableInline]


# The evaluation's models (pools, conflicts, assignments, reviews, consensus, interviews).
from .evaluation import admin as evaluation_admin  # noqa: E402, F401
