"""The Observatory in the admin: the vocabularies are edited here; pieces are read-only
(states and text change through the editorial pages, which call the services)."""

from django.contrib import admin

from .models import ContentItem, ContentStatusChange, EditorialTopic, Tag


@admin.register(EditorialTopic)
class EditorialTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class StatusChangeInline(admin.TabularInline):
    model = ContentStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "message", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "published_at", "go_live_at"]
    list_filter = ["status", "kind", "topics", "language"]
    search_fields = ["title", "standfirst"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
