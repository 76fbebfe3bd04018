"""Site-wide views that belong to no app.

They compose the apps (like ``harambee/urls.py``), so this module may import any of
them; the view code the apps share is in ``harambee.generic``, which imports none.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.services import user_update_profile
from communities.models import Community
from communities.selectors import assessments_waiting_for
from harambee.i18n import language_codes
from partnerships import selectors
from partnerships.models import PartnerInvitation
from scorecards import selectors as scorecard_selectors
from scorecards.lessons import lessons_wanted_for


def switch_language(request, code: str) -> HttpResponse:
    """Follow a signed-in user's language link: keep the choice on their profile, then show
    the page they were on in that language. A plain link, so it works without JavaScript."""
    if code not in language_codes():
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = translate_url("/", code)
    user = request.user
    # A plain link, so another site could send someone here: only a click on this site's
    # own switcher changes what the profile keeps (and so the language of their emails).
    from_this_site = request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    if user.is_authenticated and from_this_site and user.preferred_language != code:
        user_update_profile(user=user, full_name=user.full_name, preferred_language=code)
    return redirect(target)


@login_required
def my_work(request) -> HttpResponse:
    """A signed-in person's own page, where sign-in lands: their organisations, their
    partnerships (drafts included), their communities, the assessments that wait for a
    next step, the readings due from them, to verify or returned to them, and the
    invitations that wait for them."""
    user = request.user
    context = {
        "readings_due": scorecard_selectors.due_readings_for(user),
        "readings_to_verify": scorecard_selectors.readings_to_verify(user),
        "readings_returned": scorecard_selectors.returned_readings_for(user),
        "lessons_wanted": lessons_wanted_for(user),
        "memberships": user.memberships.select_related("organisation").order_by(
            "organisation__name"
        ),
        "partnerships": selectors.my_partnerships(user),
        "communities": Community.objects.visible_to(user).for_list(),
        "assessments": assessments_waiting_for(user),
        "invitations": selectors.open_invitations_for(user),
        "partner_invitations": PartnerInvitation.objects.waiting_for(user),
    }
    return render(request, "my_work.html", context)


def healthz(request) -> HttpResponse:
    """Liveness probe for the load balancer and docker compose."""
    return HttpResponse("ok", content_type="text/plain")


def home(request) -> HttpResponse:
    """The public home page: what Harambee is, the key figures, recent partnerships."""
    context = {"figures": selectors.home_figures(), "latest": selectors.latest_public()}
    return render(request, "partnerships/home.html", context)
