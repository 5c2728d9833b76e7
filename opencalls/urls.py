from django.urls import include, path

from .views import calls, decisions, projects, proposals, public, screening

app_name = "opencalls"

urlpatterns = [
    # Public
    path("", public.index, name="index"),
    path("<int:number>/", public.call_detail, name="call"),
    path("<int:number>/start/", proposals.proposal_start, name="proposal_start"),
    path("projects/", public.projects, name="projects"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    # Applicants
    path("my/", proposals.my_proposals, name="my_proposals"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/autosave/", proposals.proposal_autosave, name="proposal_autosave"),
    path("proposals/<int:pk>/upload/", proposals.proposal_document_upload, name="proposal_upload"),
    path("proposals/<int:pk>/withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/clarification/", proposals.clarification_answer, name="clarification"),
    path("proposals/<int:pk>/document/", proposals.proposal_document, name="proposal_document"),
    path(
        "proposals/<int:pk>/versions/<int:number>/document/",
        proposals.version_document,
        name="version_document",
    ),
    # Call managers
    path("proposals/<int:pk>/screening/", screening.screening, name="screening"),
    path("proposals/<int:pk>/decision/", decisions.decision, name="decision"),
    path("proposals/<int:pk>/fund/", projects.fund, name="fund"),
    path("manage/", calls.manage_calls, name="manage_calls"),
    path("manage/new/", calls.call_create, name="call_create"),
    path("manage/<int:number>/", calls.call_edit, name="call_edit"),
    path("manage/<int:number>/copy/", calls.call_copy, name="call_copy"),
    path("manage/<int:number>/stage/", calls.call_stage, name="call_stage"),
    path("manage/<int:number>/proposals/", calls.manage_proposals, name="manage_proposals"),
    path("manage/projects/", projects.manage_projects, name="manage_projects"),
    # Funded projects' follow-up
    path("projects/<int:pk>/update/", projects.project_update, name="project_update"),
    path("projects/<int:pk>/deliverables/", projects.deliverable_add, name="deliverable_add"),
    path("projects/<int:pk>/support/", projects.support_log, name="support_log"),
    path("projects/<int:pk>/demoday/", projects.demoday_record, name="demoday_record"),
    path("projects/<int:pk>/outputs/", projects.output_add, name="output_add"),
    path(
        "projects/<int:pk>/outputs/<int:link>/remove/", projects.output_remove, name="output_remove"
    ),
    path("deliverables/<int:pk>/upload/", projects.deliverable_upload, name="deliverable_upload"),
    path("deliverables/<int:pk>/review/", projects.deliverable_review, name="deliverable_review"),
    path(
        "deliverables/<int:pk>/files/<int:submission>/",
        projects.deliverable_file,
        name="deliverable_file",
    ),
    path("tranches/<int:pk>/release/", projects.tranche_release, name="tranche_release"),
    # The evaluation: evaluators, call managers' evaluation tools, summary reports
    path("evaluation/", include("opencalls.evaluation.urls")),
]
