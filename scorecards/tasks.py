"""Background jobs of the scorecards app: thin, taking ids, one email per task.

The services enqueue them on commit: a submitted reading tells each person who may
verify it, a returned one tells its reporter why. Each email is in its reader's
language; a task whose reading moved on meanwhile sends nothing.

``recheck_outcomes`` is the daily recheck (beat, ``CELERY_BEAT_SCHEDULE``): it calls
``scorecards.recheck.recheck``, which writes the day in one transaction and sends the
digests through an outbox.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from harambee.content import in_reader_language
from harambee.urls_absolute import absolute_url


def _reading(reading_id: int, status: str):
    from scorecards.models import Reading

    return (
        Reading.objects.select_related(
            "indicator__outcome__partnership", "reported_by", "returned_by"
        )
        .filter(pk=reading_id, status=status)
        .first()
    )


def _context(reading) -> dict:
    language = translation.get_language()
    partnership = reading.indicator.outcome.partnership
    return {
        "indicator": in_reader_language(reading.indicator, "title", language).text,
        "partnership": in_reader_language(partnership, "title", language).text,
        "period": date_format(reading.period_end, "j F Y"),
        "url": absolute_url(reverse("partnerships:detail", args=[partnership.slug])),
    }


def _one_line(text: str) -> str:
    # Titles are typed by users: a line break must not break (or inject) a header.
    return " ".join(text.split())


@shared_task(name="scorecards.notify_reading_submitted", autoretry_for=(OSError,), max_retries=5)
def notify_reading_submitted(reading_id: int, user_id: int) -> None:
    """Tell one person who may verify a reading that it waits for them."""
    from accounts.models import User
    from scorecards.models import ReadingStatus

    reading = _reading(reading_id, ReadingStatus.SUBMITTED)
    verifier = User.objects.filter(pk=user_id, is_active=True).first()
    if reading is None or verifier is None:
        return
    with translation.override(verifier.preferred_language or settings.LANGUAGE_CODE):
        context = _context(reading)
        subject = _one_line(_("A reading waits for verification: %(indicator)s") % context)
        body = (
            _(
                "A reading of “%(indicator)s” (%(partnership)s) for the period ending "
                "%(period)s was submitted. Verify it, or return it with a reason:\n%(url)s"
            )
            % context
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [verifier.email])


@shared_task(name="scorecards.notify_reading_returned", autoretry_for=(OSError,), max_retries=5)
def notify_reading_returned(reading_id: int) -> None:
    """Tell the reporter why their reading came back."""
    from scorecards.models import ReadingStatus

    reading = _reading(reading_id, ReadingStatus.RETURNED)
    if reading is None or reading.reported_by is None or not reading.reported_by.is_active:
        return
    reporter = reading.reported_by
    with translation.override(reporter.preferred_language or settings.LANGUAGE_CODE):
        context = {**_context(reading), "reason": reading.return_reason}
        subject = _one_line(_("Your reading was returned: %(indicator)s") % context)
        body = (
            _(
                "Your reading of “%(indicator)s” (%(partnership)s) for the period ending "
                "%(period)s was returned for changes. The reason:\n\n%(reason)s\n\n"
                "Correct it and submit it again:\n%(url)s"
            )
            % context
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [reporter.email])


# The daily recheck: well under five minutes at 100,000 indicators on a small machine
# (benchmarks/bench_recheck.py). A soft limit rolls the day back whole (one transaction);
# acks_late redelivers it if the worker dies, and a rerun is idempotent.
RECHECK_SOFT_TIME_LIMIT = 20 * 60
RECHECK_TIME_LIMIT = 25 * 60


@shared_task(
    name="scorecards.recheck_outcomes",
    acks_late=True,
    soft_time_limit=RECHECK_SOFT_TIME_LIMIT,
    time_limit=RECHECK_TIME_LIMIT,
)
def recheck_outcomes(day: str | None = None) -> dict:
    """Recheck every indicator (``day``: an ISO date, default today), record the day's
    snapshots and transitions, and send the digests (``scorecards.recheck``)."""
    from scorecards.recheck import recheck

    return recheck(date.fromisoformat(day) if day else None).as_dict()
