"""Time the daily recheck on PostgreSQL at benchmark scale, beside one plain aggregate.

    .venv/bin/python benchmarks/bench_recheck.py --scale 2000
    .venv/bin/python benchmarks/bench_recheck.py --scale 10000 --postgres postgres://u@host:5432

It builds once a PostgreSQL database ``harambee_recheck_<N>`` with ``seed_demo --scale N``
(every app: about ten indicators and a hundred readings per partnership) and one staff
member per organisation, who takes digests in one of the four languages (the scale world
has no people), marks it with a comment on the database and reuses it while the mark
matches (``--reseed`` rebuilds it; migrations are applied every time).

Each run empties the recheck's own tables (snapshots, transitions, digests) and times, in
one process:

1. the first run, on yesterday: no snapshot yet, so no status change, every trend
   recomputed from the readings and every due mention found at once, with its digests;
2. the daily run, on today: against yesterday's snapshots, recording what changed;
3. the same day again: nothing new, so nothing written or sent;
4. one plain aggregate over the same readings: the latest verified reading per
   indicator (``DISTINCT ON``), the least a status computation must read, fetched whole.

It prints each time, the queries each run made, what it wrote, and the ratio of the daily
run to the aggregate. Digests go to Django's in-memory mail backend. The figures are
printed, never asserted; benchmarks do not run in CI.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = 2026
LANGUAGES = ("en", "fr", "es", "sw")
AGGREGATE = """
    SELECT DISTINCT ON (indicator_id) indicator_id, period_end, value, level_id
    FROM scorecards_reading
    WHERE status = 'verified'
    ORDER BY indicator_id, period_end DESC, verified_at DESC, id DESC
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=2000, help="Partnerships to seed.")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--reseed", action="store_true", help="Rebuild the database.")
    parser.add_argument("--chunk-size", type=int, default=None, help="Indicators per chunk.")
    args = parser.parse_args()

    name = f"harambee_recheck_{args.scale}"
    mark = f"seed_demo --scale {args.scale} --seed {SEED}; one staff member per organisation"
    fresh = ensure_database(args.postgres, name, mark, reseed=args.reseed)
    var = tempfile.mkdtemp(prefix="harambee-bench-recheck-")
    os.environ.update(
        DATABASE_URL=f"{args.postgres}/{name}",
        DJANGO_SETTINGS_MODULE="harambee.settings",
        HARAMBEE_PRODUCTION="false",
        HARAMBEE_VAR_DIR=var,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if fresh:
        seed(args.scale)
        with psycopg.connect(f"{args.postgres}/{name}", autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")  # the planner's statistics, as on a live site
            connection.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name), sql.Literal(mark)
                )
            )
    measure(args, name)


def ensure_database(postgres: str, name: str, mark: str, *, reseed: bool) -> bool:
    """True when the database had to be (re)built: it is then empty and must be seeded."""
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is not None and row[0] == mark and not reseed:
            progress(f"Reusing {name} ({mark})")
            return False
        progress(f"Building {name}: {mark}")
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def seed(scale: int) -> None:
    from django.core.management import call_command

    from accounts.models import User
    from harambee.bulk import bulk_insert
    from partnerships.models import MemberRole, Organisation, OrganisationMember

    start = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--scale", str(scale), "--seed", str(SEED), stdout=quiet)
    organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    bulk_insert(
        User,
        [
            {
                "email": f"staff-{pk}@bench.example.org",
                "password": "!",  # unusable
                "full_name": f"Staff of {pk}",
                "preferred_language": LANGUAGES[n % len(LANGUAGES)],
            }
            for n, pk in enumerate(organisations)
        ],
    )
    users = dict(
        User.objects.filter(email__endswith="@bench.example.org").values_list("email", "pk")
    )
    bulk_insert(
        OrganisationMember,
        [
            {
                "user_id": users[f"staff-{pk}@bench.example.org"],
                "organisation_id": pk,
                "role": MemberRole.STAFF,
            }
            for pk in organisations
        ],
    )
    progress(f"Seeded in {time.perf_counter() - start:.1f} s")


class Counter:
    """Counts the queries a block runs (cheaper than capturing their SQL)."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def timed_run(day, chunk_size):
    from django.core import mail
    from django.db import connection

    from scorecards import recheck

    mail.outbox = []
    counter = Counter()
    options = {"chunk_size": chunk_size} if chunk_size else {}
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = recheck.recheck(day, **options)
    return time.perf_counter() - start, counter.queries, result, len(mail.outbox)


def aggregate_seconds(repeat: int = 3) -> tuple[float, int]:
    from django.db import connection

    timings, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(AGGREGATE)
            rows = len(cursor.fetchall())
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), rows


def measure(args, name: str) -> None:
    from django.db import connection
    from django.utils import timezone

    from partnerships.models import Partnership
    from scorecards.models import Indicator, Reading

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE scorecards_digestoutbox, scorecards_indicatortransition, "
            "scorecards_scorecardsnapshot"
        )
    today = timezone.localdate()
    print(
        f"{name}: {Partnership.objects.count():,} partnerships, "
        f"{Indicator.objects.count():,} indicators, {Reading.objects.count():,} readings "
        f"({Reading.objects.filter(status='verified').count():,} verified)"
    )
    runs = [
        ("first run (no snapshot yet)", today - timedelta(days=1)),
        ("daily run (against yesterday)", today),
        ("same day again (nothing new)", today),
    ]
    print(f"{'':32} {'seconds':>8} {'queries':>8} {'snapshots':>9} {'changes':>8} "
          f"{'mentions':>8} {'digests':>8} {'sent':>6}")  # fmt: skip
    daily = None
    for label, day in runs:
        seconds, queries, r, sent = timed_run(day, args.chunk_size)
        daily = seconds if daily is None and day == today else daily
        print(f"{label:32} {seconds:8.2f} {queries:8} {r.snapshots:9,} {r.transitions:8,} "
              f"{r.mentions:8,} {r.digests:8,} {sent:6,}")  # fmt: skip
    print(f"  ({r.indicators:,} indicators of {r.partnerships:,} partnerships; drafts are not rechecked)")  # fmt: skip  # noqa: E501
    seconds, rows = aggregate_seconds()
    print(f"{'plain aggregate (DISTINCT ON)':32} {seconds:8.2f} {'1':>8}   latest verified reading "
          f"of {rows:,} indicators, median of 3")  # fmt: skip
    print(f"ratio, daily run / aggregate: {daily / seconds:.0f}x")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
