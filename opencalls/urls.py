from django.urls import include, path

from . import views

app_name = "opencalls"

urlpatterns = [
    # Public
    path("", views.index, name="index"),
    path("<int:number>/", views.call_detail, name="call"),
    path("<int:number>/start/", views.proposal_start, name="proposal_start"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    # Applicants
    path("my/", views.my_proposals, name="my_proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/autosave/", views.proposal_autosave, name="proposal_autosave"),
    path("proposals/<int:pk>/upload/", views.proposal_document_upload, name="proposal_upload"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/clarification/", views.clarification_answer, name="clarification"),
    path("proposals/<int:pk>/document/", views.proposal_document, name="proposal_document"),
    path(
        "proposals/<int:pk>/versions/<int:number>/document/",
        views.version_document,
        name="version_document",
    ),
    # Call managers
    path("proposals/<int:pk>/screening/", views.screening, name="screening"),
    path("proposals/<int:pk>/decision/", views.decision, name="decision"),
    path("proposals/<int:pk>/fund/", views.fund, name="fund"),
    path("manage/", views.manage_calls, name="manage_calls"),
    path("manage/new/", views.call_create, name="call_create"),
    path("manage/<int:number>/", views.call_edit, name="call_edit"),
    path("manage/<int:number>/copy/", views.call_copy, name="call_copy"),
    path("manage/<int:number>/stage/", views.call_stage, name="call_stage"),
    path("manage/<int:number>/proposals/", views.manage_proposals, name="manage_proposals"),
    path("manage/projects/", views.manage_projects, name="manage_projects"),
    # Funded projects' follow-up
    path("projects/<int:pk>/update/", views.project_update, name="project_update"),
    path("projects/<int:pk>/deliverables/", views.deliverable_add, name="deliverable_add"),
    path("projects/<int:pk>/support/", views.support_log, name="support_log"),
    path("projects/<int:pk>/demoday/", views.demoday_record, name="demoday_record"),
    path("projects/<int:pk>/outputs/", views.output_add, name="output_add"),
    path("projects/<int:pk>/outputs/<int:link>/remove/", views.output_remove, name="output_remove"),
    path("deliverables/<int:pk>/upload/", views.deliverable_upload, name="deliverable_upload"),
    path("deliverables/<int:pk>/review/", views.deliverable_review, name="deliverable_review"),
    path(
        "deliverables/<int:pk>/files/<int:submission>/",
        views.deliverable_file,
        name="deliverable_file",
    ),
    path("tranches/<int:pk>/release/", views.tranche_release, name="tranche_release"),
    # The evaluation: evaluators, call managers' evaluation tools, summary reports
    path("evaluation/", include("opencalls.evaluation.urls")),
]
