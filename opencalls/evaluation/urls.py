"""The evaluation's pages, under /calls/evaluation/ (namespace ``opencalls:evaluation``)."""

from django.urls import path

from .views import (
    assignments,
    conflicts,
    consensus,
    decisions,
    exports,
    interviews,
    manage,
    pool,
    reports,
    reviews,
    runs,
)

app_name = "evaluation"

urlpatterns = [
    # Evaluators
    path("", reviews.home, name="home"),
    path("profile/", pool.profile, name="profile"),
    path("invitations/<str:token>/", pool.invitation, name="invitation"),
    path("calls/<int:number>/join/", pool.join, name="join"),
    path("calls/<int:number>/decline/", pool.decline, name="decline"),
    path("calls/<int:number>/declare/", pool.declare_organisation, name="declare_organisation"),
    path("my-reviews/", reviews.my_reviews_export, name="my_reviews"),
    path("proposals/<int:pk>/", reviews.proposal, name="proposal"),
    path("proposals/<int:pk>/submit/", reviews.review_submit, name="review_submit"),
    path("proposals/<int:pk>/document/", reviews.document, name="document"),
    path("proposals/<int:pk>/autosave/", reviews.review_autosave, name="review_autosave"),
    path("proposals/<int:pk>/conflict/", conflicts.declare_conflict, name="declare_conflict"),
    path("proposals/<int:pk>/consensus/", consensus.consensus, name="consensus"),
    path(
        "proposals/<int:pk>/consensus/finalise/",
        consensus.consensus_finalise,
        name="consensus_finalise",
    ),
    # Applicants
    path("proposals/<int:pk>/summary/", reports.esr, name="esr"),
    path("proposals/<int:pk>/summary.pdf", reports.esr_pdf, name="esr_pdf"),
    path("proposals/<int:pk>/interview/", interviews.interview_book, name="interview_book"),
    # Call managers
    path("manage/<int:number>/", manage.manage, name="manage"),
    path("manage/<int:number>/settings/", manage.manage_settings, name="manage_settings"),
    path("manage/<int:number>/pool/", pool.manage_pool, name="manage_pool"),
    path("manage/<int:number>/pool/<int:pk>/", pool.pool_member, name="pool_member"),
    path(
        "manage/<int:number>/invitations/<int:pk>/revoke/",
        pool.invitation_revoke,
        name="invitation_revoke",
    ),
    path("manage/<int:number>/conflicts/", conflicts.manage_conflicts, name="manage_conflicts"),
    path(
        "manage/<int:number>/conflicts/<int:pk>/confirm/",
        conflicts.conflict_confirm,
        name="conflict_confirm",
    ),
    path(
        "manage/<int:number>/conflicts/<int:pk>/dismiss/",
        conflicts.conflict_dismiss,
        name="conflict_dismiss",
    ),
    path(
        "manage/<int:number>/assignments/",
        assignments.manage_assignments,
        name="manage_assignments",
    ),
    path(
        "manage/<int:number>/assignments/add/",
        assignments.assignment_add,
        name="assignment_add",
    ),
    path(
        "manage/<int:number>/assignments/<int:pk>/remove/",
        assignments.assignment_remove,
        name="assignment_remove",
    ),
    path(
        "manage/<int:number>/assignments/<int:pk>/lock/",
        assignments.assignment_lock,
        name="assignment_lock",
    ),
    path(
        "manage/<int:number>/assignments/<int:pk>/unlock/",
        assignments.assignment_unlock,
        name="assignment_unlock",
    ),
    path("manage/<int:number>/assignments/run/", runs.run_start, name="run_start"),
    path("manage/<int:number>/assignments/notify/", assignments.notify, name="notify"),
    path("manage/<int:number>/runs/<int:pk>/", runs.run, name="run"),
    path("manage/<int:number>/proposals/<int:pk>/", manage.manage_proposal, name="manage_proposal"),
    path(
        "manage/<int:number>/proposals/<int:pk>/rapporteur/",
        manage.rapporteur_choose,
        name="rapporteur_choose",
    ),
    path(
        "manage/<int:number>/proposals/<int:pk>/extend/",
        manage.assignment_extend,
        name="assignment_extend",
    ),
    path(
        "manage/<int:number>/proposals/<int:pk>/set-aside/",
        manage.review_set_aside,
        name="review_set_aside",
    ),
    path(
        "manage/<int:number>/proposals/<int:pk>/reopen/",
        manage.consensus_reopen,
        name="consensus_reopen",
    ),
    path("manage/<int:number>/ranking/", decisions.ranking, name="ranking"),
    path("manage/<int:number>/interviews/", interviews.interviews, name="interviews"),
    path(
        "manage/<int:number>/interviews/invite/",
        interviews.interviews_invite,
        name="interviews_invite",
    ),
    path(
        "manage/<int:number>/interviews/slots/",
        interviews.interview_slot_add,
        name="interview_slot_add",
    ),
    path(
        "manage/<int:number>/interviews/<int:pk>/record/",
        interviews.interview_record,
        name="interview_record",
    ),
    path(
        "manage/<int:number>/interviews/<int:pk>/book/",
        interviews.interview_book_for_applicant,
        name="interview_book_for_applicant",
    ),
    path("manage/<int:number>/decisions/", decisions.decisions, name="decisions"),
    path("manage/<int:number>/results/", decisions.results_publish, name="results_publish"),
    path("manage/<int:number>/export/<str:kind>/", exports.export, name="export"),
]
