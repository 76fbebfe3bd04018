from django.urls import path

from communities import views
from harambee.decorators import public_page
from harambee.urls_translations import translation_paths

app_name = "communities"
urlpatterns = [
    path("communities/", views.CommunityListView.as_view(), name="list"),
    path("communities/new/", views.CommunityCreateView.as_view(), name="create"),
    path("communities/<slug:slug>/", views.CommunityDetailView.as_view(), name="detail"),
    path("communities/<slug:slug>/edit/", views.CommunityUpdateView.as_view(), name="edit"),
    path(
        "communities/<slug:slug>/representatives/add/",
        views.RepresentativeAddView.as_view(),
        name="representative_add",
    ),
    path(
        "communities/<slug:slug>/assessments/new/",
        views.AssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path(
        "assessments/<int:pk>/edit/", views.AssessmentUpdateView.as_view(), name="assessment_edit"
    ),
    path(
        "assessments/<int:pk>/participants/",
        views.ParticipantsSetView.as_view(),
        name="participants_set",
    ),
    path("assessments/<int:pk>/needs/add/", views.NeedAddView.as_view(), name="need_add"),
    path("assessments/<int:pk>/assets/add/", views.AssetAddView.as_view(), name="asset_add"),
    path(
        "assessments/<int:pk>/submit/",
        views.AssessmentSubmitView.as_view(),
        name="assessment_submit",
    ),
    path(
        "assessments/<int:pk>/validate/",
        views.AssessmentValidateView.as_view(),
        name="assessment_validate",
    ),
    path(
        "assessments/<int:pk>/import/needs/", views.NeedsImportView.as_view(), name="needs_import"
    ),
    path(
        "assessments/<int:pk>/import/participants/",
        views.ParticipantsImportView.as_view(),
        name="participants_import",
    ),
    path("assessments/<int:pk>/needs.csv", views.NeedsExportView.as_view(), name="needs_export"),
    path(
        "assessments/import-templates/<str:kind>.<str:fmt>",
        views.import_template,
        name="import_template",
    ),
    path("needs/<int:pk>/", views.NeedDetailView.as_view(), name="need_detail"),
    path("needs/<int:pk>/edit/", views.NeedUpdateView.as_view(), name="need_edit"),
    path("needs/<int:pk>/move/", views.NeedMoveView.as_view(), name="need_move"),
    *translation_paths("communities/<slug:slug>/", views.CommunityTranslationView, "translations"),
    *translation_paths(
        "assessments/<int:pk>/", views.AssessmentTranslationView, "assessment_translations"
    ),
    *translation_paths("needs/<int:pk>/", views.NeedTranslationView, "need_translations"),
    *translation_paths("assets/<int:pk>/", views.AssetTranslationView, "asset_translations"),
    path(
        "partnerships/<slug:slug>/community/",
        # The published community side: visitors get it from the shared page cache.
        public_page(views.PartnershipCommunityView.as_view()),
        name="partnership_public",
    ),
]
