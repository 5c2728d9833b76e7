from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    path("numbers/", views.numbers, name="numbers"),
    path("terms/", views.terms, name="terms"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("apply/", views.apply, name="apply"),
    path("apply/check/", views.duplicate_check, name="duplicate_check"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/logo/", views.application_logo, name="application_logo"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/resubmit/",
        views.application_resubmit,
        name="application_resubmit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/start-review/",
        views.application_start_review,
        name="application_start_review",
    ),
    path(
        "applications/<int:pk>/request-information/",
        views.application_request_information,
        name="application_request_information",
    ),
    path("applications/<int:pk>/approve/", views.application_approve, name="application_approve"),
    path("applications/<int:pk>/reject/", views.application_reject, name="application_reject"),
    path("manage/applications/", views.queue, name="queue"),
    path("manage/applications/export/", views.queue_export, name="queue_export"),
]
