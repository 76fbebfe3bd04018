"""Concurrent writes to one assessment run one after the other and see each other.

These need real row locks, so they run on PostgreSQL (CI sets DATABASE_URL). SQLite
ignores SELECT ... FOR UPDATE and lets only one writer in at a time anyway, so there is
no race to show there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from communities import services
from communities.models import AssessmentStatus, Need, NeedsAssessment
from tests.communities.factories import add_needs, make_assessment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL: run with DATABASE_URL=postgres://... (CI does)",
    ),
]


class Outcome:
    def __init__(self) -> None:
        self.value = None
        self.error: Exception | None = None
        self.finished_at = 0.0


def run_together(*calls: Callable[[], object]) -> list[Outcome]:
    """Run each call in its own thread (its own database connection), all at once."""
    outcomes = [Outcome() for _ in calls]
    barrier = threading.Barrier(len(calls))

    def run(call, outcome):
        try:
            barrier.wait()
            outcome.value = call()
        except Exception as error:  # noqa: BLE001 - the test inspects every refusal
            outcome.error = error
        finally:
            outcome.finished_at = time.monotonic()
            connections.close_all()

    pairs = zip(calls, outcomes, strict=True)
    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def needs_rows(count: int) -> list[dict]:
    return [
        {"title": f"Imported need {n}", "priority_rank": n, "severity": "high"}
        for n in range(1, count + 1)
    ]


@pytest.fixture
def submitted(community, organisation, partnership, staff):
    assessment = make_assessment(
        community=community, organisation=organisation, partnership=partnership, by=staff
    )
    add_needs(assessment, 2)
    return services.assessment_submit(assessment=assessment)


def test_an_import_that_waits_for_a_validation_is_refused_and_adds_nothing(submitted):
    validated = threading.Event()
    release = threading.Event()

    def validate_and_hold():
        with transaction.atomic():
            services.assessment_validate(assessment=NeedsAssessment.objects.get(pk=submitted.pk))
            validated.set()
            release.wait(timeout=10)  # the import arrives while this transaction is open

    def import_after_validation():
        validated.wait(timeout=10)
        threading.Timer(0.5, release.set).start()
        return services.needs_import(
            assessment=NeedsAssessment.objects.get(pk=submitted.pk), rows=needs_rows(10_000)
        )

    _validation, imported = run_together(validate_and_hold, import_after_validation)

    assert isinstance(imported.error, ValidationError)
    assert Need.objects.filter(assessment=submitted).count() == 2
    assert NeedsAssessment.objects.get(pk=submitted.pk).status == AssessmentStatus.VALIDATED


def test_a_validation_during_an_import_waits_until_every_need_is_in(submitted):
    importing = threading.Event()
    validating = threading.Event()

    def rows():
        importing.set()
        validating.wait(timeout=10)
        time.sleep(0.5)  # the validation is now waiting for the assessment's lock
        yield from needs_rows(10_000)

    def run_import():
        return services.needs_import(
            assessment=NeedsAssessment.objects.get(pk=submitted.pk), rows=rows()
        )

    def validate_during_import():
        importing.wait(timeout=10)
        validating.set()
        return services.assessment_validate(assessment=NeedsAssessment.objects.get(pk=submitted.pk))

    imported, validation = run_together(run_import, validate_during_import)

    assert imported.error is None and validation.error is None
    assert imported.finished_at <= validation.finished_at  # no need lands after validation
    assert Need.objects.filter(assessment=submitted).count() == 10_002
    assert NeedsAssessment.objects.get(pk=submitted.pk).status == AssessmentStatus.VALIDATED


def test_of_four_concurrent_validations_exactly_one_succeeds(submitted):
    copies = [NeedsAssessment.objects.get(pk=submitted.pk) for _ in range(4)]

    outcomes = run_together(
        *(lambda copy=copy: services.assessment_validate(assessment=copy) for copy in copies)
    )

    assert sum(outcome.error is None for outcome in outcomes) == 1
    refusals = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert all(isinstance(error, ValidationError) for error in refusals)
    history = NeedsAssessment.history.filter(id=submitted.pk, status=AssessmentStatus.VALIDATED)
    assert history.count() == 1


def test_concurrent_need_adds_get_distinct_ranks(submitted):
    draft = NeedsAssessment.objects.get(pk=submitted.pk)
    NeedsAssessment.objects.filter(pk=draft.pk).update(status=AssessmentStatus.DRAFT)

    outcomes = run_together(
        *(
            lambda n=n: services.need_add(
                assessment=NeedsAssessment.objects.get(pk=draft.pk),
                title=f"Concurrent need {n}",
                severity="high",
            )
            for n in range(4)
        )
    )

    assert [outcome.error for outcome in outcomes] == [None] * 4
    ranks = sorted(Need.objects.filter(assessment=draft).values_list("priority_rank", flat=True))
    assert ranks == [1, 2, 3, 4, 5, 6]
