from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .enums import EmailStatus
from .models import AuditEntry, DemoDataset, OutboundEmail, Topic
from .tasks import outbox_deliver


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_repr", "action", "object_repr"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter), "content_type"]
    search_fields = ["action", "actor_repr", "object_repr", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "to"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["deliver_now"]

    @admin.display(description=_("to"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Deliver the selected emails now"))
    def deliver_now(self, request, queryset):
        ids = list(queryset.exclude(status=EmailStatus.SENT).values_list("pk", flat=True))
        queryset.filter(pk__in=ids, status=EmailStatus.FAILED).update(status=EmailStatus.QUEUED)
        for email_id in ids:
            outbox_deliver.delay(email_id)
        self.message_user(
            request,
            ngettext("%d email handed to the worker.", "%d emails handed to the worker.", len(ids))
            % len(ids),
            messages.SUCCESS,
        )


admin.site.register(DemoDataset)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "slug"]
    list_filter = ["group"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
