"""Recheck every indicator now, as the daily job does (``scorecards.recheck``).

python manage.py recheck_outcomes                    # today
python manage.py recheck_outcomes --date 2026-07-01  # as of a day (a missed run, a test)

Idempotent: a second run on the same day with no new data writes and sends nothing.
"""

from __future__ import annotations

import argparse
from datetime import date

from django.core.management.base import BaseCommand

from scorecards.recheck import recheck


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date in the form YYYY-MM-DD."
        ) from None


class Command(BaseCommand):
    help = "Recheck every indicator, record the day's snapshots and transitions, send digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=_day,
            default=None,
            help="The day to recheck (YYYY-MM-DD; default today).",
        )

    def handle(self, *args, date: date | None, **options):
        result = recheck(date)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rechecked {result.indicators} indicators of {result.partnerships} partnerships "
                f"on {result.day:%Y-%m-%d}: {result.snapshots} snapshots written, "
                f"{result.transitions} status changes, {result.mentions} due mentions, "
                f"{result.digests} digests written, {result.sent} sent."
            )
        )
