from django.urls import path

from . import views

app_name = "aida"

urlpatterns = [
    path("", views.index, name="index"),
    path("members/", views.members, name="members"),
    path("manage/members/", views.manage_members, name="manage_members"),
    path("numbers/", views.numbers, name="numbers"),
    path("register/", views.register, name="register"),
    path("students/", views.students, name="students"),
    path("students/<int:pk>/decide/", views.student_decide, name="student_decide"),
    path("students/<int:pk>/supervision/", views.student_supervision, name="student_supervision"),
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("courses/<slug:slug>/edit/", views.course_edit, name="course_edit"),
    path("courses/<slug:slug>/offerings/new/", views.offering_create, name="offering_create"),
    path("courses/<slug:slug>/calendar.ics", views.course_calendar, name="course_calendar"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("lectures/", views.lectures, name="lectures"),
    path("lectures/new/", views.lecture_create, name="lecture_create"),
    path("lectures/<slug:slug>/", views.lecture_detail, name="lecture"),
    path("offerings/<int:pk>/", views.offering_detail, name="offering"),
    path("offerings/<int:pk>/enrol/", views.offering_enrol, name="offering_enrol"),
    path("offerings/<int:pk>/edit/", views.offering_edit, name="offering_edit"),
    path("offerings/<int:pk>/move/", views.offering_move, name="offering_move"),
    path("offerings/<int:pk>/roster/", views.offering_roster, name="roster"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/confirm/", views.enrolment_confirm, name="enrolment_confirm"),
    path("enrolments/<int:pk>/mark/", views.enrolment_mark, name="enrolment_mark"),
    path("resources/", views.resources, name="resources"),
    path("resources/submit/", views.resource_submit, name="resource_submit"),
    path("resources/review/", views.resource_queue, name="resource_queue"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource"),
    path("resources/<slug:slug>/resubmit/", views.resource_resubmit, name="resource_resubmit"),
    path("mine/", views.mine, name="mine"),
    path("certificate/issue/", views.certificate_issue, name="certificate_issue"),
    path("certificate.pdf", views.certificate_download, name="certificate_pdf"),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/json/", views.certificate_json, name="certificate_verify_json"),
]
