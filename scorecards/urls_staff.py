"""Addresses of the staff pages (signed-in, never cached); ``scorecards/urls.py`` puts
them under the "scorecards" namespace with the public ones."""

from django.urls import path

from harambee.urls_translations import translation_paths
from scorecards import views_staff as views

urlpatterns = [
    path("partnerships/<slug:slug>/outcomes/", views.ManageView.as_view(), name="manage"),
    path(
        "partnerships/<slug:slug>/outcomes/new/",
        views.OutcomeCreateView.as_view(),
        name="outcome_create",
    ),
    path("outcomes/<int:pk>/edit/", views.OutcomeUpdateView.as_view(), name="outcome_edit"),
    path("outcomes/<int:pk>/remove/", views.OutcomeDeleteView.as_view(), name="outcome_delete"),
    path(
        "outcomes/<int:pk>/indicators/new/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:pk>/baseline/",
        views.BaselineChangeView.as_view(),
        name="baseline_change",
    ),
    path("indicators/<int:pk>/targets/new/", views.TargetAddView.as_view(), name="target_add"),
    path("targets/<int:pk>/edit/", views.TargetUpdateView.as_view(), name="target_edit"),
    path("targets/<int:pk>/remove/", views.TargetRemoveView.as_view(), name="target_remove"),
    path(
        "indicators/<int:pk>/readings/new/",
        views.ReadingCreateView.as_view(),
        name="reading_create",
    ),
    path("readings/<int:pk>/", views.ReadingDetailView.as_view(), name="reading_detail"),
    path("readings/<int:pk>/edit/", views.ReadingUpdateView.as_view(), name="reading_edit"),
    path("readings/<int:pk>/submit/", views.ReadingSubmitView.as_view(), name="reading_submit"),
    path("readings/<int:pk>/verify/", views.ReadingVerifyView.as_view(), name="reading_verify"),
    path("readings/<int:pk>/return/", views.ReadingReturnView.as_view(), name="reading_return"),
    path("readings/<int:pk>/correct/", views.ReadingCorrectView.as_view(), name="reading_correct"),
    path("readings/<int:pk>/discard/", views.ReadingDeleteView.as_view(), name="reading_delete"),
    path(
        "evidence/<int:pk>/visibility/",
        views.EvidenceVisibilityView.as_view(),
        name="evidence_visibility",
    ),
    path("evidence/<int:pk>/remove/", views.EvidenceRemoveView.as_view(), name="evidence_remove"),
    *translation_paths("outcomes/<int:pk>/", views.OutcomeTranslationView, "outcome_translations"),
    *translation_paths(
        "indicators/<int:pk>/", views.IndicatorTranslationView, "indicator_translations"
    ),
]
