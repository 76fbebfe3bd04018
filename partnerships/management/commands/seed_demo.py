"""Build a believable demo world, or N partnerships' worth of data for benchmarks.

python manage.py seed_demo              # the demo world, with a login per role
python manage.py seed_demo --scale 500  # 500 more partnerships, and every app's rows for them
python manage.py seed_demo --scale 500 --only partnerships  # the same, without the other apps'

Each installed app adds its part through its own ``demo.build(world)``, in INSTALLED_APPS
order (see ``harambee.demo``); this command knows only the partnerships part.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from accounts.models import User
from harambee.demo import World, build_world, demo_apps
from partnerships.demo import ADMIN_EMAIL, DEMO_PASSWORD, USERS
from partnerships.models import Organisation


class Command(BaseCommand):
    help = "Build a demo world (a login per role), or --scale N partnerships for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Add N generated partnerships.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo logins) when the database already has data.",
        )
        parser.add_argument(
            "--only",
            metavar="APPS",
            help="With --scale: build only these apps' parts, comma-separated app labels "
            "(e.g. partnerships,communities), so a benchmark seeds only what it measures.",
        )

    def handle(self, *args, scale: int, seed: int, if_empty: bool, only: str | None, **options):
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        parts = self.parts(only, scale) if only is not None else None
        if settings.PRODUCTION:
            # The demo logins share a published password, one of them a superuser's.
            if if_empty:
                self.stdout.write("Production mode: no demo world is built.")
                return
            raise CommandError("The demo world is never built in production mode.")
        world = World(today=timezone.localdate(), random=random.Random(seed), scale=scale)
        with translation.override("en"):
            if scale:
                build_world(world, only=parts)
                built = f" (only {', '.join(parts)})" if parts else ""
                self.stdout.write(self.style.SUCCESS(f"Added {scale} partnerships{built}."))
                return
            if Organisation.objects.exists():
                if if_empty:
                    self.print_logins()
                    return
                raise CommandError("The database already has data; run on an empty database.")
            build_world(world)
        self.print_logins()

    def parts(self, only: str, scale: int) -> list[str]:
        """The app labels that --only names, in INSTALLED_APPS order, checked against the apps
        that build demo data."""
        if not scale:
            raise CommandError("--only chooses among the scale builders: use it with --scale N.")
        labels = {label.strip() for label in only.split(",") if label.strip()}
        known = list(demo_apps())
        unknown = sorted(labels - set(known))
        if unknown or not labels:
            wrong = f"unknown app label {', '.join(unknown)}" if unknown else "no app label"
            raise CommandError(
                f"--only {only!r}: {wrong}. Give comma-separated labels of apps that build "
                f"demo data: {', '.join(known)}."
            )
        if "partnerships" not in labels:
            raise CommandError(
                "--only must include partnerships: every other app's data builds on its "
                "partnerships and organisations."
            )
        return [label for label in known if label in labels]

    def print_logins(self) -> None:
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            return
        self.stdout.write(
            self.style.SUCCESS(f"Demo world ready. Logins (password: {DEMO_PASSWORD}):")
        )
        self.stdout.write(f"  {ADMIN_EMAIL}  — platform admin (/admin/)")
        for _key, email, _name, _org, _role, label in USERS:
            self.stdout.write(f"  {email}  — {label}")
