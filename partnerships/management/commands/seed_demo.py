"""Build a believable demo world, or N partnerships' worth of data for benchmarks.

python manage.py seed_demo              # the demo world, with a login per role
python manage.py seed_demo --scale 500  # 500 more partnerships, and every app's rows for them

Each installed app adds its part through its own ``demo.build(world)``, in INSTALLED_APPS
order (see ``harambee.demo``); this command knows only the partnerships part.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from accounts.models import User
from harambee.demo import World, build_world
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

    def handle(self, *args, scale: int, seed: int, if_empty: bool, **options):
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        if settings.PRODUCTION:
            # The demo logins share a published password, one of them a superuser's.
            if if_empty:
                self.stdout.write("Production mode: no demo world is built.")
                return
            raise CommandError("The demo world is never built in production mode.")
        world = World(today=timezone.localdate(), random=random.Random(seed), scale=scale)
        with translation.override("en"):
            if scale:
                build_world(world)
                self.stdout.write(self.style.SUCCESS(f"Added {scale} partnerships."))
                return
            if Organisation.objects.exists():
                if if_empty:
                    self.print_logins()
                    return
                raise CommandError("The database already has data; run on an empty database.")
            build_world(world)
        self.print_logins()

    def print_logins(self) -> None:
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            return
        self.stdout.write(
            self.style.SUCCESS(f"Demo world ready. Logins (password: {DEMO_PASSWORD}):")
        )
        self.stdout.write(f"  {ADMIN_EMAIL}  — platform admin (/admin/)")
        for _key, email, _name, _org, _role, label in USERS:
            self.stdout.write(f"  {email}  — {label}")
