"""Write helpers shared by every app's services: validate the whole object, then save.

Both helpers bump the public version (``harambee.pagecache``) when the transaction
commits, so every service that writes through them shows its change on the very next
anonymous page, whatever it changed: a bump for a draft costs one cache miss per page.
A service that writes around them (``bulk_create``, ``update``, ``delete``) calls
``pagecache.bump()`` itself when what it changes can be public.
"""

from __future__ import annotations

import secrets
import string

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from harambee import pagecache

# Slugs that fixed addresses such as /partnerships/new/ would shadow.
RESERVED_SLUGS = frozenset({"new", "edit", "import-templates"})
SLUG_SUFFIX_LENGTH = 5
SLUG_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits


def unique_slug(model: type[Model], text: str, *, max_length: int = 80) -> str:
    """A new slug for ``text``: its slugified words, then "-" and a random suffix.

    Every slug gets a suffix of the same length, whether or not another row has the same
    name, so a new address never reveals that a hidden partnership or community with that
    name exists (counting "-2", "-3" would). Existing slugs are never changed.
    """
    base = slugify(text)[: max_length - SLUG_SUFFIX_LENGTH - 1].strip("-") or "item"
    while True:
        suffix = "".join(secrets.choice(SLUG_SUFFIX_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
        slug = f"{base}-{suffix}"
        # A repeat is astronomically unlikely (36**5 suffixes per name); draw again if it happens.
        if slug not in RESERVED_SLUGS and not model.objects.filter(slug=slug).exists():
            return slug


def save_new(instance: Model) -> Model:
    """Validate a new object completely and insert it."""
    instance.full_clean()
    instance.save()
    pagecache.bump()
    return instance


def save_changes(instance: Model, fields: dict) -> None:
    """Set the given fields on the row as stored, validate it whole, and update only those
    columns; ``instance`` gets the saved values.

    The caller's instance may be stale (a page loaded it before someone else published
    the partnership, say). Saving it would be harmless for the columns, but the change
    history copies every field of the saved object: it would record the stale values as
    if someone had changed them back.
    """
    stored = _stored(instance)
    if hasattr(instance, "_change_reason"):
        stored._change_reason = instance._change_reason
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.full_clean()
    saved = [*fields, *auto_now_fields(stored)]
    stored.save(update_fields=saved)
    pagecache.bump()
    for name in saved:
        setattr(instance, name, getattr(stored, name))


def _stored(instance: Model) -> Model:
    """The row as stored now; locked when a transaction is open (as every service's is)."""
    rows = type(instance)._default_manager
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    return rows.get(pk=instance.pk)


def auto_now_fields(instance: Model) -> list[str]:
    """The fields Django stamps on every save (``updated_at``)."""
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
