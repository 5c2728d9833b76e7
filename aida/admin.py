"""AIDA in the admin: records are read here; every change of state goes through the pages,
which call the services (members and lecturers are added by coordinators with the services
too, so that the network role and the audit log follow)."""

from django.contrib import admin

from .models import Certificate, Course, Enrolment, Lecture, Lecturer, Member, Offering, Student


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
    list_display = ["user", "offering", "status", "requested_at", "attended"]
    list_filter = ["status"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["user", "issued_on", "revoked_at"]


@admin.register(Lecture)
class LectureAdmin(ReadOnlyAdmin):
    list_display = ["title", "speaker", "starts_at", "status"]
