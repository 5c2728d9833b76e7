"""AIDA in the admin: records are read here; every change of state goes through the pages,
which call the services (members and lecturers are added by coordinators with the services
too, so that the network role and the audit log follow)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Certificate,
    Course,
    Enrolment,
    Lecture,
    Lecturer,
    Member,
    Offering,
    Resource,
    Student,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "tier", "joined_on", "mou_signed_on"]
    list_filter = ["tier"]
    search_fields = ["organisation__name"]


@admin.register(Lecturer)
class LecturerAdmin(ReadOnlyAdmin):
    list_display = ["user", "member", "position"]
    search_fields = ["user__full_name", "user__email"]


@admin.register(Student)
class StudentAdmin(ReadOnlyAdmin):
    list_display = ["user", "member", "is_phd", "status", "supervisor_confirmation"]
    list_filter = ["status", "is_phd"]
    search_fields = ["user__full_name", "user__email"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "format", "ects", "host"]
    list_filter = ["format", "level", "language"]
    search_fields = ["title", "code"]


@admin.register(Offering)
class OfferingAdmin(ReadOnlyAdmin):
    list_display = ["course", "starts_on", "status", "capacity", "seats_taken", "waitlist_length"]
    list_filter = ["status", "mode"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "offering",
        "status",
        "requested_at",
        "attended",
        "participant_affiliation",
        "participant_country",
        "is_aida_student",
    ]
    list_filter = ["status", "is_aida_student"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["user", "issued_on", "revoked_at"]


@admin.register(Lecture)
class LectureAdmin(ReadOnlyAdmin):
    list_display = ["title", "speaker", "starts_at", "status"]


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    """Resources are submitted and reviewed on the pages; here they are read. The file is
    reached through the same checked download view as on the pages, never the storage."""

    list_display = ["title", "type", "status", "submitted_by", "has_link", "has_file"]
    list_filter = ["status", "type"]
    search_fields = ["title", "authors"]
    exclude = ["file"]
    readonly_fields = ["download", "file_name", "file_size"]

    @admin.display(boolean=True, description=_("link"))
    def has_link(self, resource) -> bool:
        return bool(resource.url)

    @admin.display(boolean=True, description=_("file"))
    def has_file(self, resource) -> bool:
        return bool(resource.file)

    @admin.display(description=_("file"))
    def download(self, resource) -> str:
        if not resource.file:
            return "—"
        return format_html('<a href="{}">{}</a>', resource.file_url, resource.file_name)
