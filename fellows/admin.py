"""The fellows programme in the admin: offers, profiles and budget periods are edited here;
exchanges, the ledger and testimonials are read-only (their states move only through the
services, so that history, audit log, ledger and emails are never skipped)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.exceptions import PortalError

from . import services
from .models import (
    BudgetPeriod,
    Exchange,
    ExchangeStatusChange,
    FellowProfile,
    HostOffer,
    LedgerEntry,
    Testimonial,
)


@admin.register(HostOffer)
class HostOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "supervisor", "is_open", "available_until"]
    list_filter = ["is_open"]
    search_fields = ["title", "topics", "organisation__name"]
    list_select_related = ["organisation", "supervisor"]
    autocomplete_fields = ["supervisor", "organisation"]


@admin.register(FellowProfile)
class FellowProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "career_stage", "home_organisation", "is_public"]
    list_select_related = ["user", "home_organisation"]
    autocomplete_fields = ["user", "home_organisation"]


@admin.register(BudgetPeriod)
class BudgetPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "amount"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = ExchangeStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "message", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class LedgerInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    readonly_fields = ["period", "kind", "amount", "note", "created_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["title", "fellow", "sender", "host", "mode", "status", "start_date"]
    list_filter = ["status", "mode"]
    search_fields = ["title", "fellow__email", "sender__name", "host__name"]
    list_select_related = ["fellow", "sender", "host"]
    inlines = [StatusChangeInline, LedgerInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "period", "exchange", "kind", "amount"]
    list_filter = ["kind", "period"]
    list_select_related = ["period", "exchange"]


@admin.register(Testimonial)
class TestimonialAdmin(ReadOnlyAdmin):
    list_display = ["exchange", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["exchange"]
    actions = ["publish"]

    @admin.action(description=_("Publish the selected testimonials"))
    def publish(self, request, queryset):
        for testimonial in queryset.select_related("exchange"):
            try:
                services.exchange_testimonial_approve(testimonial=testimonial, actor=request.user)
            except (PortalError, PermissionDenied) as error:
                self.message_user(
                    request, f"#{testimonial.pk}: {error or _('not allowed')}", messages.WARNING
                )
