"""What visitors reach: the scorecard of a partnership, and evidence downloads.

The scorecard is a ``public_page``: visitors get it from the shared page cache, which the
services bump when a reading is verified or superseded, a target revised, evidence made
public or the partnership published (and which rolls over with the date, since status
does). Evidence downloads are never cached: every one is permission-checked.
"""

from django.urls import path

from harambee.decorators import public_page
from scorecards import views_evidence, views_public

urlpatterns = [
    path(
        "partnerships/<slug:slug>/scorecard/",
        public_page(views_public.ScorecardView.as_view()),
        name="scorecard",
    ),
    path("evidence/<int:pk>/", views_evidence.EvidenceDownloadView.as_view(), name="evidence"),
]
