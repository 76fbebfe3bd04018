"""The two addresses of a record's translations, the same in every app."""

from __future__ import annotations

from django.urls import URLPattern, path


def translation_paths(prefix: str, view, name: str) -> list[URLPattern]:
    """``<prefix>translations/`` (the languages) and ``<prefix>translations/<language>/``
    (one language's form), named ``name`` and ``name + "_language"``."""
    return [
        path(f"{prefix}translations/", view.as_view(), name=name),
        path(f"{prefix}translations/<str:language>/", view.as_view(), name=f"{name}_language"),
    ]
