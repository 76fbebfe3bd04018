from django.urls import path

from harambee.decorators import breach_sensitive, public_page
from harambee.urls_translations import translation_paths
from partnerships import views
from partnerships.models import Visibility

app_name = "partnerships"
# public_page: visitors get these from the shared page cache (harambee.middleware).
# breach_sensitive: the list echoes its search and shows signed-in users their drafts.
urlpatterns = [
    path(
        "partnerships/",
        public_page(breach_sensitive(views.PartnershipListView.as_view())),
        name="list",
    ),
    path("partnerships/new/", views.PartnershipCreateView.as_view(), name="create"),
    path(
        "partnerships/<slug:slug>/",
        public_page(views.PartnershipDetailView.as_view()),
        name="detail",
    ),
    path("partnerships/<slug:slug>/edit/", views.PartnershipUpdateView.as_view(), name="edit"),
    path(
        "partnerships/<slug:slug>/partners/add/", views.PartnerAddView.as_view(), name="partner_add"
    ),
    path(
        "partnerships/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.PartnerInvitationWithdrawView.as_view(),
        name="partner_invitation_withdraw",
    ),
    path(
        "partnerships/<slug:slug>/publish/",
        views.PartnershipVisibilityView.as_view(visibility=Visibility.PUBLIC),
        name="publish",
    ),
    path(
        "partnerships/<slug:slug>/make-private/",
        views.PartnershipVisibilityView.as_view(visibility=Visibility.PRIVATE),
        name="make_private",
    ),
    path(
        "partnerships/<slug:slug>/back-to-draft/",
        views.PartnershipVisibilityView.as_view(visibility=Visibility.DRAFT),
        name="make_draft",
    ),
    path(
        "partner-invitations/<int:pk>/",
        views.PartnerInvitationView.as_view(),
        name="partner_invitation",
    ),
    path(
        "partner-invitations/<int:pk>/accept/",
        views.PartnerInvitationAcceptView.as_view(),
        name="partner_invitation_accept",
    ),
    path(
        "partner-invitations/<int:pk>/decline/",
        views.PartnerInvitationDeclineView.as_view(),
        name="partner_invitation_decline",
    ),
    path(
        "partnerships/<slug:slug>/partners/<int:pk>/",
        views.PartnerUpdateView.as_view(),
        name="partner_edit",
    ),
    path(
        "partnerships/<slug:slug>/contributions/add/",
        views.ContributionAddView.as_view(),
        name="contribution_add",
    ),
    path(
        "partnerships/<slug:slug>/contributions/<int:pk>/",
        views.ContributionUpdateView.as_view(),
        name="contribution_edit",
    ),
    path(
        "partnerships/<slug:slug>/milestones/add/",
        views.MilestoneAddView.as_view(),
        name="milestone_add",
    ),
    path(
        "partnerships/<slug:slug>/milestones/<int:pk>/",
        views.MilestoneUpdateView.as_view(),
        name="milestone_edit",
    ),
    *translation_paths(
        "partnerships/<slug:slug>/", views.PartnershipTranslationView, "translations"
    ),
    *translation_paths(
        "partnerships/<slug:slug>/milestones/<int:pk>/",
        views.MilestoneTranslationView,
        "milestone_translations",
    ),
    *translation_paths(
        "organisations/<slug:slug>/", views.OrganisationTranslationView, "organisation_translations"
    ),
    path(
        "organisations/",
        public_page(views.OrganisationListView.as_view()),
        name="organisation_list",
    ),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "organisations/<slug:slug>/",
        public_page(views.OrganisationDetailView.as_view()),
        name="organisation_detail",
    ),
    path(
        "organisations/<slug:slug>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_edit",
    ),
    path(
        "organisations/<slug:slug>/members/",
        views.OrganisationMembersView.as_view(),
        name="organisation_members",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/role/",
        views.OrganisationMemberRoleView.as_view(),
        name="organisation_member_role",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path("invitations/<slug:token>/", views.InvitationView.as_view(), name="invitation"),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        views.OrganisationMemberRemoveView.as_view(),
        name="organisation_member_remove",
    ),
]
