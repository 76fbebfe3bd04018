"""Addresses of lessons and of the readings import; ``scorecards/urls.py`` puts them under
the "scorecards" namespace. The public lessons page is a ``public_page`` (visitors get it
from the shared page cache, which every lesson change bumps); the others are signed-in
pages, never cached."""

from django.urls import path

from harambee.decorators import public_page
from harambee.urls_translations import translation_paths
from scorecards import views_import, views_lessons

urlpatterns = [
    path("lessons/", public_page(views_lessons.LessonListView.as_view()), name="lessons"),
    path(
        "partnerships/<slug:slug>/lessons/",
        views_lessons.PartnershipLessonsView.as_view(),
        name="partnership_lessons",
    ),
    path(
        "partnerships/<slug:slug>/lessons/new/",
        views_lessons.LessonCreateView.as_view(),
        name="lesson_create",
    ),
    path("lessons/<int:pk>/edit/", views_lessons.LessonUpdateView.as_view(), name="lesson_edit"),
    path(
        "lessons/<int:pk>/remove/", views_lessons.LessonDeleteView.as_view(), name="lesson_delete"
    ),
    *translation_paths(
        "lessons/<int:pk>/", views_lessons.LessonTranslationView, "lesson_translations"
    ),
    path(
        "partnerships/<slug:slug>/readings/import/",
        views_import.ReadingsImportView.as_view(),
        name="readings_import",
    ),
    path(
        "partnerships/<slug:slug>/readings/import/template.<str:fmt>",
        views_import.ReadingsTemplateView.as_view(),
        name="readings_import_template",
    ),
]
