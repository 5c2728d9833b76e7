from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.exceptions import PortalError

from . import services
from .models import (
    ApplicationStatusChange,
    MembershipApplication,
    Organisation,
    OrganisationContact,
    OrganisationRole,
)


class OrganisationRoleInline(admin.TabularInline):
    model = OrganisationRole
    extra = 0


class OrganisationContactInline(admin.TabularInline):
    model = OrganisationContact
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "type", "country", "joined_on"]
    list_filter = ["type", "roles__role", "country"]
    search_fields = ["name", "short_name", "legal_name", "ror_id", "website_domain"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["areas_of_interest"]
    readonly_fields = ["joined_on", "website_domain"]
    inlines = [OrganisationRoleInline, OrganisationContactInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Roles edited inline decide when the organisation joined the network.
        services.organisation_refresh_joined_on(form.instance)


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "message", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the workflow (the manager's queue or the API), so that
    history, audit log and emails are never skipped."""

    list_display = ["org_name", "org_country", "org_type", "applicant", "status", "submitted_at"]
    list_filter = ["status", "org_type"]
    search_fields = ["org_name", "org_short_name", "applicant__email"]
    list_select_related = ["applicant"]
    date_hierarchy = "created_at"
    inlines = [StatusChangeInline]
    actions = ["start_review"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + [
            "areas_of_interest",
            "possible_duplicates",
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Start the review of the selected applications"))
    def start_review(self, request, queryset):
        done = 0
        for application in queryset:
            try:
                services.application_start_review(application=application, actor=request.user)
            except (PortalError, PermissionDenied) as error:
                self.message_user(
                    request, f"#{application.pk}: {error or _('not allowed')}", messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(request, _("%d reviews started.") % done, messages.SUCCESS)
