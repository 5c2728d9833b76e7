from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import AtomContentFeed, ContentFeed
from .sitemaps import ContentSitemap

app_name = "observatory"

urlpatterns = [
    path("", views.index, name="index"),
    path("content/", views.content_list, name="list"),
    path("content/<slug:slug>/", views.item_detail, name="item"),
    path("feed/", ContentFeed(), name="feed"),
    path("feed/atom/", AtomContentFeed(), name="feed_atom"),
    path("feed/topics/<slug:topic>/", ContentFeed(), name="topic_feed"),
    path("feed/topics/<slug:topic>/atom/", AtomContentFeed(), name="topic_feed_atom"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"observatory": ContentSitemap}},
        name="sitemap",
    ),
    path("policy/", views.policy_index, name="policy"),
    path("policy/new/", views.regulation_form, name="regulation_new"),
    path("policy/<slug:slug>/", views.regulation_detail, name="regulation"),
    path("policy/<slug:slug>/edit/", views.regulation_form, name="regulation_edit"),
    path("policy/<slug:slug>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "policy/<slug:slug>/milestones/<int:pk>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path("experts/", views.expert_list, name="experts"),
    path("experts/me/", views.my_expert_profile, name="my_expert_profile"),
    path("experts/me/visibility/", views.my_expert_visibility, name="my_expert_visibility"),
    path("experts/<slug:slug>/", views.expert_detail, name="expert"),
    path("experts/<slug:slug>/contact/", views.expert_contact, name="expert_contact"),
    path("manage/experts/", views.expert_queue, name="expert_queue"),
    path("manage/experts/new/", views.expert_edit, name="expert_new"),
    path("manage/experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("manage/experts/<int:pk>/approve/", views.expert_approve, name="expert_approve"),
    path("manage/experts/<int:pk>/changes/", views.expert_changes, name="expert_changes"),
    path("write/", views.write, name="write"),
    path("mine/", views.mine, name="mine"),
    path("propose/", views.propose, name="propose"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/file/", views.proposal_file, name="proposal_file"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/decline/", views.proposal_decline, name="proposal_decline"),
    path("manage/proposals/", views.proposal_inbox, name="proposal_inbox"),
    path("manage/", views.dashboard, name="dashboard"),
    path("manage/<int:pk>/", views.manage_item, name="manage_item"),
    path("manage/<int:pk>/edit/", views.edit, name="edit"),
    path("manage/<int:pk>/move/<slug:target>/", views.move, name="move"),
    path("manage/<int:pk>/claim/", views.claim, name="claim"),
    path("manage/<int:pk>/history/", views.history, name="history"),
    path("manage/<int:pk>/history/<int:version_id>/", views.revision, name="revision"),
    path("manage/<int:pk>/history/<int:version_id>/restore/", views.restore, name="restore"),
]
