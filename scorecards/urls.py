"""The scorecards app's addresses: the public side (the scorecard page, evidence
downloads) and the staff pages, under one namespace (``scorecards:``)."""

from scorecards import urls_lessons, urls_public, urls_staff

app_name = "scorecards"
urlpatterns = urls_public.urlpatterns + urls_staff.urlpatterns + urls_lessons.urlpatterns
