"""Absolute addresses for links in emails, which have no request to build them from."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path
