"""The demo world that ``seed_demo`` builds, one app at a time.

The contract, for every app that wants demo data:

- Give the app a ``demo`` module with ``build(world: World) -> None``. ``seed_demo`` calls
  each installed app's ``build`` in ``INSTALLED_APPS`` order, inside one transaction and
  with English active, so an app sees everything the apps above it built (partnerships,
  then communities, then scorecards, reviews, ...). No app imports a later one; the
  command itself knows no app but its own.
- ``world.scale == 0`` asks for the small hand-written world, made through the app's
  services as a person would make it through the pages. ``world.scale == N`` asks for
  benchmark data in proportion to N partnerships, inserted set-based
  (``harambee.bulk.bulk_insert``, or ``insert_returning_ids`` when later rows need the
  keys), with a number of queries that does not grow with N (beyond ``bulk_insert``'s
  batches of 2,000 rows). Never one query per row: 2,000 partnerships seed in seconds.
- A benchmark may ask for only some apps' parts (``seed_demo --scale N --only
  partnerships,communities``): the other apps' ``build`` is not called at all, so no
  app may count on a later one having built.
- Read what earlier apps made from the world by key, never by title or name:
  ``world.organisations["tunza"]``, ``world.partnerships["maize-prices"]``,
  ``world.leads["maize-prices"] == "tunza"``. At scale the keys are the slugs of the
  generated rows. Publish what later apps need the same way, in ``world.made(name)``
  (for example ``world.made("communities")["mnarani"]``). Skip what is missing from the
  world, so that a ``build`` runs on any world.
- Draw every random choice from ``world.random`` (seeded by ``--seed``), and date
  everything from ``world.today``, so a seed always gives the same world.
- Keep the world coherent: no money delivered before a partnership starts, no partner
  joining an ongoing partnership in the future, past milestones achieved or explained.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import translation
from django.utils.module_loading import module_has_submodule

from harambee.bulk import bulk_insert


@dataclass
class World:
    """What the apps' demo builders share, filled in as each app builds.

    ``users``, ``organisations`` and ``partnerships`` map a key to the saved instance;
    ``leads`` maps a partnership key to the key of its lead organisation; ``admin`` is
    the platform administrator (None at scale). Later apps add their own collections
    with ``made``.
    """

    today: date
    random: random.Random
    scale: int = 0
    admin: Model | None = None
    users: dict[str, Model] = field(default_factory=dict)
    organisations: dict[str, Model] = field(default_factory=dict)
    partnerships: dict[str, Model] = field(default_factory=dict)
    leads: dict[str, str] = field(default_factory=dict)
    collections: dict[str, dict[str, Model]] = field(default_factory=dict)

    def made(self, name: str) -> dict[str, Model]:
        """The collection ``name`` (key to instance), created empty on first use."""
        return self.collections.setdefault(name, {})


def demo_apps() -> dict[str, ModuleType]:
    """Each installed app's ``demo`` module that has a ``build``, by app label, in
    INSTALLED_APPS order."""
    modules = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "demo"):
            continue
        module = import_module(f"{config.name}.demo")
        if hasattr(module, "build"):  # this module describes the world and builds nothing
            modules[config.label] = module
    return modules


def demo_modules() -> list[ModuleType]:
    """Each installed app's ``demo`` module that has a ``build``, in INSTALLED_APPS order."""
    return list(demo_apps().values())


@transaction.atomic
def build_world(world: World, *, only: Collection[str] | None = None) -> World:
    """Let every app with a demo module add its part of the world, in one transaction;
    with ``only`` (app labels), just those apps, in the same order."""
    for label, module in demo_apps().items():
        if only is None or label in only:
            module.build(world)
    return world


def translated(**texts: str) -> dict[str, str]:
    """Columns for modeltranslation fields in a ``bulk_insert`` row: each text in the
    field's own column and in the active language's (``title`` and ``title_en``), as the
    needs import does; the other languages stay empty and fall back."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {**texts, **{f"{name}_{language}": text for name, text in texts.items()}}


def insert_returning_ids(model: type[Model], rows: list[dict]) -> list[int]:
    """Insert rows with ``bulk_insert`` and return their new primary keys, in row order."""
    return _all_found(model, rows, list(_inserted(model, rows).values_list("pk", flat=True)))


def insert_returning_objects(model: type[Model], rows: list[dict]) -> list[Model]:
    """Insert rows with ``bulk_insert`` and return them as saved instances, in row order."""
    return _all_found(model, rows, list(_inserted(model, rows)))


def _inserted(model: type[Model], rows: list[dict]) -> QuerySet:
    """Insert the rows and return a queryset of exactly them, ordered as inserted.

    ``bulk_insert`` cannot return keys, so the new rows are those above the largest key
    before the insert: three queries whatever the number of rows. That holds because
    ``seed_demo`` is the only writer while it runs (one transaction, on a demo or
    benchmark database); ``_all_found`` fails loudly if it did not.
    """
    before = model.objects.aggregate(last=Max("pk"))["last"] or 0
    bulk_insert(model, rows)
    return model.objects.filter(pk__gt=before).order_by("pk")


def _all_found(model: type[Model], rows: list[dict], found: list) -> list:
    if len(found) != len(rows):
        raise RuntimeError(f"{model.__name__}: inserted {len(rows)} rows, found {len(found)}.")
    return found
