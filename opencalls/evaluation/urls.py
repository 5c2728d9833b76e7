"""The evaluation's pages, under /calls/evaluation/ (namespace ``opencalls:evaluation``)."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    # Evaluators
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("calls/<int:number>/join/", views.join, name="join"),
    path("calls/<int:number>/declare/", views.declare_organisation, name="declare_organisation"),
    path("my-reviews/", views.my_reviews_export, name="my_reviews"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/document/", views.document, name="document"),
    path("proposals/<int:pk>/autosave/", views.review_autosave, name="review_autosave"),
    path("proposals/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("proposals/<int:pk>/consensus/", views.consensus, name="consensus"),
    # Applicants
    path("proposals/<int:pk>/summary/", views.esr, name="esr"),
    path("proposals/<int:pk>/summary.pdf", views.esr_pdf, name="esr_pdf"),
    path("proposals/<int:pk>/interview/", views.interview_book, name="interview_book"),
    # Call managers
    path("manage/<int:number>/", views.manage, name="manage"),
    path("manage/<int:number>/settings/", views.manage_settings, name="manage_settings"),
    path("manage/<int:number>/pool/", views.manage_pool, name="manage_pool"),
    path("manage/<int:number>/pool/<int:pk>/", views.pool_member, name="pool_member"),
    path(
        "manage/<int:number>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("manage/<int:number>/conflicts/", views.manage_conflicts, name="manage_conflicts"),
    path("manage/<int:number>/conflicts/<int:pk>/", views.conflict_action, name="conflict_action"),
    path("manage/<int:number>/assignments/", views.manage_assignments, name="manage_assignments"),
    path("manage/<int:number>/assignments/run/", views.run_start, name="run_start"),
    path("manage/<int:number>/assignments/notify/", views.notify, name="notify"),
    path("manage/<int:number>/runs/<int:pk>/", views.run, name="run"),
    path("manage/<int:number>/proposals/<int:pk>/", views.manage_proposal, name="manage_proposal"),
    path("manage/<int:number>/ranking/", views.ranking, name="ranking"),
    path("manage/<int:number>/interviews/", views.interviews, name="interviews"),
    path("manage/<int:number>/decisions/", views.decisions, name="decisions"),
    path("manage/<int:number>/results/", views.results_publish, name="results_publish"),
    path("manage/<int:number>/export/<str:kind>/", views.export, name="export"),
]
