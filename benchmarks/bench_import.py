"""Time the needs import on 10,000 rows: read, validate, insert.

Run: .venv/bin/python benchmarks/bench_import.py [ROWS]

Uses DATABASE_URL when it is set; otherwise a throwaway SQLite file that is deleted
afterwards. Builds the data through the real services and imports through the same
functions the import page uses.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(rows: int) -> None:
    workdir = tempfile.TemporaryDirectory()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harambee.settings")
    os.environ.setdefault("HARAMBEE_VAR_DIR", workdir.name)

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0, interactive=False)
    upload = SimpleUploadedFile("needs.csv", build_csv(rows))
    with transaction.atomic():
        assessment = build_assessment()
        timings = run_import(assessment, upload)
        transaction.set_rollback(True)  # leave a configured database as it was
    report(rows, len(upload), timings)
    workdir.cleanup()


def build_csv(rows: int) -> bytes:
    from communities.columns import NEED_COLUMNS

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(NEED_COLUMNS)
    for n in range(1, rows + 1):
        writer.writerow(
            [f"Need {n}", "Said at the meeting", "22040", n, "high", "women;youth", 30, "open"]
        )
    return buffer.getvalue().encode()


def build_assessment():
    from datetime import date

    from accounts.models import User
    from communities import services
    from partnerships import services as partnership_services
    from partnerships.codelists import OrganisationType

    user = User.objects.create_user(email="bench@example.org")
    organisation = partnership_services.organisation_create(
        by=user, name="Benchmark NGO", type=OrganisationType.NATIONAL_NGO
    )
    community = services.community_create(
        by=user, organisation=organisation, name="Benchmark village", country="KE"
    )
    return services.assessment_create(
        by=user,
        community=community,
        title="Benchmark meeting",
        date=date(2026, 1, 1),
        method="community_meeting",
        facilitating_organisation=organisation,
        language="sw",
    )


def run_import(assessment, upload) -> dict[str, float]:
    from communities import services
    from communities.views import IMPORTS
    from harambee.tabular import check_headers, read_table, validate_rows
    from partnerships.models import Sector

    spec = IMPORTS["needs"]
    timings = {}
    start = time.perf_counter()
    table = read_table(upload)
    timings["read"] = time.perf_counter() - start

    start = time.perf_counter()
    errors = check_headers(table, required=spec.required, optional=spec.optional)
    codes = frozenset(Sector.objects.values_list("code", flat=True))
    rows, errors = validate_rows(table, spec.row_form, form_kwargs={"sector_codes": codes})
    timings["validate"] = time.perf_counter() - start
    if errors:
        raise SystemExit(f"Unexpected errors: {errors[:3]}")

    start = time.perf_counter()
    count = services.needs_import(assessment=assessment, rows=rows)
    timings["insert"] = time.perf_counter() - start
    if count != assessment.needs.count():
        raise SystemExit(f"Imported {count} rows but found {assessment.needs.count()}.")
    return timings


def report(rows: int, size: int, timings: dict[str, float]) -> None:
    print(f"needs import: {rows:,} rows, {size / 1024:.0f} KiB CSV")
    for step, seconds in timings.items():
        print(f"  {step:<9} {seconds:7.3f} s  ({rows / seconds:,.0f} rows/s)")
    print(f"  {'total':<9} {sum(timings.values()):7.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
