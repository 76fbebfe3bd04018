from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.decorators.cache import cache_control
from django.views.generic import RedirectView

from harambee import views
from harambee.decorators import public_page

# Browsers and crawlers ask for /favicon.ico even when pages link the icon: send them to
# the static file. The address is looked up per request (lazy) and the redirect is
# temporary, cached for a day, because in production the name is hashed and changes.
favicon = RedirectView.as_view(url=lazy(static, str)("harambee/favicon.svg"))

urlpatterns = [
    path("language/<str:code>/", views.switch_language, name="language"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", cache_control(max_age=86400, public=True)(favicon)),
]

urlpatterns += i18n_patterns(
    path("", public_page(views.home), name="home"),
    path("my-work/", views.my_work, name="my_work"),
    path("", include("partnerships.urls")),
    path("", include("communities.urls")),
    path("", include("scorecards.urls")),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
