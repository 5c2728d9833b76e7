"""Endpoints of this pillar under /api/v1/."""

from .views import (
    CourseViewSet,
    LectureViewSet,
    MemberViewSet,
    MyEnrolmentViewSet,
    OfferingViewSet,
    ResourceViewSet,
)

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("aida/members", MemberViewSet, basename="aida-member")
    router.register("aida/courses", CourseViewSet, basename="aida-course")
    router.register("aida/offerings", OfferingViewSet, basename="aida-offering")
    router.register("aida/lectures", LectureViewSet, basename="aida-lecture")
    router.register("aida/resources", ResourceViewSet, basename="aida-resource")
    router.register("aida/enrolments", MyEnrolmentViewSet, basename="aida-enrolment")
