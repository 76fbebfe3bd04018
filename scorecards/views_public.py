"""The public scorecard page of a partnership.

One page for everyone who may see the partnership (``get_scorecard_partnership_for_user``:
404 when hidden), showing what a visitor may see (``scorecards.public``); people inside
the partnership get links to the staff pages on top, which never reach the shared cache
of anonymous pages (it serves and stores visitors' pages only).
"""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from scorecards.history import scorecard_history
from scorecards.lessons import public_lessons_of
from scorecards.permissions import get_scorecard_partnership_for_user, is_inside
from scorecards.public import public_scorecard


class ScorecardView(View):
    def get(self, request, slug):
        user = request.user
        partnership = get_scorecard_partnership_for_user(user, slug)
        context = {
            "partnership": partnership,
            "scorecard": public_scorecard(partnership, user=user),
            "lessons": public_lessons_of(partnership),
            "history": scorecard_history(partnership),
            # Links to the staff pages; both are False, with no query, for visitors.
            "can_define": user.has_perm("scorecards.define", partnership),
            "inside": is_inside(user, partnership.pk),
        }
        return render(request, "scorecards/scorecard.html", context)
