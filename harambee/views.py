"""Site-wide views that belong to no app.

They compose the apps (like ``harambee/urls.py``), so this module may import any of
them; the view code the apps share is in ``harambee.generic``, which imports none.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.services import user_update_profile
from harambee.i18n import language_codes
from partnerships import selectors


@require_POST
def set_language(request) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is kept on their profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        user.is_authenticated
        and language in language_codes()
        and language != user.preferred_language
    ):
        user_update_profile(user=user, full_name=user.full_name, preferred_language=language)
    return response


def healthz(request) -> HttpResponse:
    """Liveness probe for the load balancer and docker compose."""
    return HttpResponse("ok", content_type="text/plain")


def home(request) -> HttpResponse:
    """The public home page: what Harambee is, the key figures, recent partnerships."""
    context = {"figures": selectors.home_figures(), "latest": selectors.latest_public()}
    return render(request, "partnerships/home.html", context)
