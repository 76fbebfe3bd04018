"""HTML goes out compressed (Brotli or gzip), except where BREACH could read secrets
from the compressed length; static files are hashed, compressed ahead of time and
cached for a year wherever WhiteNoise serves them."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from harambee.middleware import accepted_encoding
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def pages(db):
    PartnershipFactory.create_batch(3, title="Community radio for Turkana")


def get(client, url, accept):
    return client.get(url, headers={"Accept-Encoding": accept})


def decoded(response) -> bytes:
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.content)
    if encoding == "gzip":
        return gzip.decompress(response.content)
    return response.content


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, "br"),
        ("gzip, deflate", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("br;q=0, gzip;q=0", None),
    ],
)
def test_html_is_compressed_as_the_client_accepts(client, pages, accept, expected):
    plain = get(client, "/partnerships/", "identity")
    response = get(client, "/partnerships/", accept)
    assert response.get("Content-Encoding") == expected
    assert decoded(response) == plain.content
    assert "Community radio for Turkana" in plain.content.decode()
    assert response["Vary"] == "Accept-Encoding"
    if expected:
        assert len(response.content) < len(plain.content) / 3
        assert int(response["Content-Length"]) == len(response.content)


def test_brotli_beats_gzip_on_a_page(client, pages):
    brotli_size = len(get(client, "/partnerships/", BROWSER).content)
    gzip_size = len(get(client, "/partnerships/", "gzip").content)
    assert brotli_size < gzip_size


def test_signed_in_pages_are_compressed_too(as_user, outsider):
    response = get(as_user(outsider), reverse("accounts:profile"), BROWSER)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert outsider.email in decoded(response).decode()


def test_short_and_binary_responses_are_left_alone(client, db):
    healthz = get(client, "/healthz", BROWSER)
    assert "Content-Encoding" not in healthz
    template = get(client, "/assessments/import-templates/needs.xlsx", BROWSER)
    assert "Content-Encoding" not in template


# --- the BREACH exception ---------------------------------------------------------------------


def test_the_partnership_list_is_never_compressed_for_a_signed_in_user(as_user, lead, pages):
    """It echoes its search box and shows signed-in users their drafts and private
    partnerships (``breach_sensitive`` in partnerships/urls.py)."""
    signed_in = as_user(lead)
    for url in ("/partnerships/", "/partnerships/?q=radio"):
        response = get(signed_in, url, BROWSER)
        assert response.status_code == 200
        assert "Content-Encoding" not in response, url
        assert response["Vary"].endswith("Accept-Encoding")


def test_a_signed_in_page_requested_with_a_query_string_is_not_compressed(as_user, outsider):
    """base.html's language links repeat the page's address, query string included."""
    signed_in = as_user(outsider)
    response = get(signed_in, reverse("accounts:profile") + "?guess=person1%40", BROWSER)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "guess%3Dperson1" in response.content.decode()  # reflected, hence the exception
    assert outsider.email in response.content.decode()


def test_visitors_get_the_same_pages_compressed(client, pages):
    for url in ("/partnerships/", "/partnerships/?q=radio", "/?utm_source=x"):
        assert get(client, url, BROWSER)["Content-Encoding"] == "br", url


def test_signed_in_pages_without_reflected_input_stay_compressed(as_user, outsider, pages):
    signed_in = as_user(outsider)
    for url in ("/", "/organisations/", reverse("my_work")):
        response = get(signed_in, url, BROWSER)
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "br", url


def test_accepted_encoding_reads_q_values():
    request = RequestFactory().get("/", headers={"Accept-Encoding": "br;q=0.2, gzip;q=0.8"})
    assert accepted_encoding(request) == "gzip"
    request = RequestFactory().get("/", headers={"Accept-Encoding": "br;q=nonsense, gzip"})
    assert accepted_encoding(request) == "gzip"


# --- static files -----------------------------------------------------------------------------


def _static_settings(**env: str) -> dict:
    """How settings.py configures static files in a mode (a fresh process per mode)."""
    script = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'storage': settings.STORAGES['staticfiles']['BACKEND'], "
        "'whitenoise': 'whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HARAMBEE_")}
    environment.pop("DEBUG", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"
PRODUCTION = {
    "HARAMBEE_PRODUCTION": "true",
    "SECRET_KEY": "k7#J2q9-Lx!vR4mZp8Wd3fT6yH1nB5sC0gE2aQ7uI9oP4lK6jM",
    "ALLOWED_HOSTS": "harambee.example.org",
    "SITE_URL": "https://harambee.example.org",
}


@pytest.mark.parametrize(
    "env", [{"DEBUG": "false"}, PRODUCTION], ids=["DEBUG off (docker compose)", "production"]
)
def test_wherever_whitenoise_serves_static_files_their_names_are_hashed(env):
    assert _static_settings(**env) == {"storage": MANIFEST, "whitenoise": True}


def test_with_debug_on_the_development_server_serves_the_source_files():
    assert _static_settings(DEBUG="true") == {
        "storage": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "whitenoise": False,
    }


@pytest.fixture
def served_by_whitenoise(settings, tmp_path):
    """The static files as `collectstatic` leaves them for WhiteNoise, DEBUG off."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    # The site's own files only: the admin's would take longer to compress and are not
    # what this checks.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    call_command("collectstatic", interactive=False, verbosity=0)
    return Client()


def test_static_files_have_hashed_names_and_a_year_long_lifetime(served_by_whitenoise, pages):
    html = served_by_whitenoise.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/harambee/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the page links the stylesheet by its hashed name"
    assert re.search(r'href="/static/harambee/favicon\.[0-9a-f]{12}\.svg"', html)

    for accept, encoding in ((BROWSER, "br"), ("gzip", "gzip"), ("identity", None)):
        response = get(served_by_whitenoise, stylesheet[1], accept)
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response.get("Content-Encoding") == encoding  # compressed ahead of time
        assert "Accept-Encoding" in response["Vary"]
        body = b"".join(response.streaming_content)
        if encoding == "br":
            assert brotli.decompress(body).startswith(b"/* Harambee")
