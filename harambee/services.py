"""Write helpers shared by every app's services: validate the whole object, then save."""

from __future__ import annotations

from django.db.models import Model
from django.utils.text import slugify

# Slugs that fixed addresses such as /partnerships/new/ would shadow.
RESERVED_SLUGS = frozenset({"new", "edit", "import-templates"})


def unique_slug(model: type[Model], text: str, *, max_length: int = 80) -> str:
    """A slug for ``text`` not yet used by ``model``: "water", then "water-2", ..."""
    base = slugify(text)[: max_length - 6].strip("-") or "item"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_new(instance: Model) -> Model:
    """Validate a new object completely and insert it."""
    instance.full_clean()
    instance.save()
    return instance


def save_changes(instance: Model, fields: dict) -> None:
    """Set the given fields, validate the whole object, and update only those columns."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save(update_fields=[*fields, *auto_now_fields(instance)])


def auto_now_fields(instance: Model) -> list[str]:
    """The fields Django stamps on every save (``updated_at``)."""
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
