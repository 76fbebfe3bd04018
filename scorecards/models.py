"""What a partnership measures, and what it reports: outcomes, indicators, readings.

An ``Outcome`` says which community needs it addresses and which partners answer for it;
its ``Indicator`` rows say how progress is measured (baseline, dated targets, a rubric
for the intangibles); a ``Reading`` is one period's value, with its disaggregated values
and its evidence, moved through draft → submitted → verified (or returned with a reason)
by ``scorecards.services``. A verified reading is never edited: a correction is a new
reading that supersedes it once verified. Changing a baseline or a target once readings
exist leaves a ``Revision`` with its reason. The status of an indicator is computed in
one place, ``scorecards.status``, from ``scorecards.selectors.facts_for``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.dimensions import DIMENSIONS, dimension_choices, is_known
from communities.models import Need
from harambee.content import source_language_field
from partnerships import access
from partnerships.models import Organisation, Partner, Partnership, Visibility
from scorecards.storage import evidence_storage

# Readings: up to 12 digits before the point and 4 after (money, people, percentages).
VALUE_DIGITS = 16
VALUE_PLACES = 4
MAX_GROUP_SIZE = 1_000_000_000  # as communities.models.MAX_PEOPLE: fits a 32-bit column
DEFAULT_BAND = Decimal("0.10")


# --- code lists (IATI 2.03) ---------------------------------------------------------------


class ResultType(models.IntegerChoices):
    """IATI ResultType."""

    OUTPUT = 1, _("Output")
    OUTCOME = 2, _("Outcome")
    IMPACT = 3, _("Impact")
    OTHER = 9, _("Other")


class IndicatorMeasure(models.IntegerChoices):
    """IATI IndicatorMeasure."""

    UNIT = 1, _("Unit")
    PERCENTAGE = 2, _("Percentage")
    NOMINAL = 3, _("Nominal")
    ORDINAL = 4, _("Ordinal")
    QUALITATIVE = 5, _("Qualitative")


NUMERIC_MEASURES = frozenset({IndicatorMeasure.UNIT, IndicatorMeasure.PERCENTAGE})
# The measures whose readings add up when the indicator is cumulative (scorecards.status).
ADDING_MEASURES = NUMERIC_MEASURES
# Measures whose readings carry a number typed in (not a rubric level or a narrative).
VALUE_MEASURES = NUMERIC_MEASURES | {IndicatorMeasure.NOMINAL}


class Intention(models.TextChoices):
    INTENDED = "intended", _("Intended")
    UNINTENDED_POSITIVE = "unintended_positive", _("Unintended, positive")
    UNINTENDED_NEGATIVE = "unintended_negative", _("Unintended, negative")


class Cadence(models.IntegerChoices):
    """How often an indicator is reported, in calendar months."""

    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    HALF_YEARLY = 6, _("Half-yearly")
    YEARLY = 12, _("Yearly")


class ReadingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for verification")
    RETURNED = "returned", _("Returned for changes")
    VERIFIED = "verified", _("Verified")
    SUPERSEDED = "superseded", _("Superseded by a correction")


# The reporter may change these; the others are the partnership's record.
EDITABLE_STATES = frozenset({ReadingStatus.DRAFT, ReadingStatus.RETURNED})
# What visitors may see: verified readings, and verified ones later corrected (marked so).
PUBLISHED_STATES = frozenset({ReadingStatus.VERIFIED, ReadingStatus.SUPERSEDED})
# What stops the due clock (DESIGN.md "Due"): the last submitted or verified reading.
REPORTED_STATES = frozenset({ReadingStatus.SUBMITTED, ReadingStatus.VERIFIED})


class RevisionKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline changed")
    TARGET_ADDED = "target_added", _("Target added")
    TARGET_CHANGED = "target_changed", _("Target changed")
    TARGET_REMOVED = "target_removed", _("Target removed")


class RevisionReason(models.TextChoices):
    ADAPTIVE_MANAGEMENT = "adaptive_management", _("Adaptive management")
    CONTEXT_CHANGE = "context_change", _("Change in context")
    FUNDER_REQUIREMENT = "funder_requirement", _("Funder requirement")
    DATA_CORRECTION = "data_correction", _("Data correction")
    OTHER = "other", _("Other")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    VIDEO = "video", _("Video link")


class EvidenceStrength(models.IntegerChoices):
    """How well a reading is backed, from its evidence: the strongest piece counts."""

    NONE = 0, _("No evidence")
    LINK = 1, _("Link")
    DOCUMENT = 2, _("Data or document")


def evidence_strength(kinds: Iterable[str]) -> EvidenceStrength:
    """The strength of a set of evidence kinds: a file (data or a document) beats a link or
    a video link, which beats nothing."""
    kinds = set(kinds)
    if EvidenceKind.FILE in kinds:
        return EvidenceStrength.DOCUMENT
    if kinds & {EvidenceKind.LINK, EvidenceKind.VIDEO}:
        return EvidenceStrength.LINK
    return EvidenceStrength.NONE


def validate_dimensions(value) -> None:
    """A list of distinct disaggregation dimension keys (``communities.dimensions``)."""
    if not isinstance(value, list):
        raise ValidationError(_("Disaggregation dimensions must be a list."), code="invalid")
    unknown = [str(key) for key in value if key not in DIMENSIONS]
    if unknown:
        raise ValidationError(
            _("Unknown dimension(s): %(dimensions)s. Choose from: %(allowed)s."),
            params={"dimensions": ", ".join(unknown), "allowed": ", ".join(DIMENSIONS)},
            code="unknown_dimension",
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each dimension once."), code="duplicate_dimension")


# --- outcomes ------------------------------------------------------------------------------


class OutcomeQuerySet(models.QuerySet):
    def of(self, partnership: Partnership) -> OutcomeQuerySet:
        return self.filter(partnership=partnership).order_by("order", "pk")


class Outcome(models.Model):
    """A change the partnership sets out to bring about (or finds it caused, unintended)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=ResultType.choices, default=ResultType.OUTCOME
    )
    intention = models.CharField(
        _("intended or unintended"),
        max_length=20,
        choices=Intention.choices,
        default=Intention.INTENDED,
        help_text=_("Unintended outcomes are recorded too, the negative ones above all."),
    )
    responsible_partners = models.ManyToManyField(
        Partner,
        verbose_name=_("partners responsible"),
        related_name="responsible_for_outcomes",
        blank=True,
    )
    needs = models.ManyToManyField(
        Need,
        verbose_name=_("community needs addressed"),
        related_name="outcomes",
        blank=True,
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["partnership", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_intended(self) -> bool:
        return self.intention == Intention.INTENDED

    @property
    def is_negative(self) -> bool:
        return self.intention == Intention.UNINTENDED_NEGATIVE


# --- indicators ----------------------------------------------------------------------------


class IndicatorQuerySet(models.QuerySet):
    def of(self, partnership: Partnership) -> IndicatorQuerySet:
        return self.filter(outcome__partnership=partnership)


class Indicator(models.Model):
    """How progress towards an outcome is measured, and by whom it is reported."""

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("outcome")
    )
    title = models.CharField(_("title"), max_length=200)
    measure = models.PositiveSmallIntegerField(_("measure"), choices=IndicatorMeasure.choices)
    unit_label = models.CharField(
        _("unit"),
        max_length=60,
        blank=True,
        help_text=_("What is counted, for example “farmers” or “schools”."),
    )
    higher_is_better = models.BooleanField(
        _("higher is better"),
        default=True,
        help_text=_("Untick for indicators that should go down, such as a dropout rate."),
    )
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_(
            "Values add up across periods (people trained). Otherwise each reading replaces "
            "the last (a level)."
        ),
    )
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
        help_text=_("For ordinal indicators, the number of the rubric level."),
    )
    baseline_date = models.DateField(_("baseline date"))
    baseline_comment = models.TextField(_("baseline comment"), blank=True)
    cadence_months = models.PositiveSmallIntegerField(
        _("reporting cadence"), choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    band = models.DecimalField(
        _("at-risk band"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_BAND,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "How far short of the expected path still counts as “at risk”, as a share of the "
            "way from baseline to final target (0.10 is 10%)."
        ),
    )
    # RESTRICT, not PROTECT: a partner is never removed under its indicators, but a
    # partnership removed whole takes both with it.
    reporting_partner = models.ForeignKey(
        Partner,
        on_delete=models.RESTRICT,
        related_name="reporting_indicators",
        verbose_name=_("partner responsible for reporting"),
    )
    dimensions = models.JSONField(
        _("disaggregation dimensions"),
        default=list,
        blank=True,
        validators=[validate_dimensions],
    )
    definition = models.TextField(_("definition"), blank=True)
    data_source = models.TextField(_("data source"), blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    collection_method = models.TextField(_("collection method"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["outcome", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(band__gte=0) & Q(band__lte=1), name="indicator_band_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=Q(cumulative=False) | Q(measure__in=ADDING_MEASURES),
                name="only_counts_and_percentages_are_cumulative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.cumulative and self.measure not in ADDING_MEASURES:
            raise ValidationError(
                {"cumulative": _("Only unit and percentage indicators can be cumulative.")}
            )

    @property
    def uses_levels(self) -> bool:
        """Readings name a rubric level: ordinal indicators, and qualitative ones with a
        rubric (reads the prefetched ``levels`` when there are any)."""
        if self.measure == IndicatorMeasure.ORDINAL:
            return True
        return self.measure == IndicatorMeasure.QUALITATIVE and self.has_rubric

    @property
    def has_rubric(self) -> bool:
        return bool(self.levels.all())


class Target(models.Model):
    """A dated value the indicator should reach (the last one is the final target)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(
        _("value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
        help_text=_("For ordinal indicators, the number of the rubric level."),
    )
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="one_target_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.date:%Y-%m-%d})"


class RubricLevel(models.Model):
    """One step of an ordinal (or rubric-scored qualitative) indicator: trust, openness,
    confidence with e-skills, community ownership are measured this way."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="levels", verbose_name=_("indicator")
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    label = models.CharField(_("label"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    source_language = source_language_field()

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["indicator", "number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "number"], name="unique_rubric_level"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


# --- readings ------------------------------------------------------------------------------


class ReadingQuerySet(models.QuerySet):
    def published(self) -> ReadingQuerySet:
        """Readings a visitor may see (of a public partnership): verified ones, and
        verified ones a correction has superseded (shown as corrected)."""
        return self.filter(status__in=PUBLISHED_STATES)

    def verified(self) -> ReadingQuerySet:
        """The readings that give values: verified and not superseded."""
        return self.filter(status=ReadingStatus.VERIFIED)

    def visible_to(self, user) -> ReadingQuerySet:
        """The readings ``user`` may see, as one filter (see ``reading_visibility``)."""
        return self.filter(reading_visibility(user))


def reading_visibility(user, prefix: str = "") -> Q:
    """Who sees which readings, as a filter on readings (``prefix`` for a related lookup).

    - everyone: published readings (verified, and superseded ones) of public partnerships;
    - the partners' staff and grant holders (``partnerships.access``): every reading of
      the partnership except drafts;
    - drafts: the staff who may edit them, those of the indicator's reporting partner, of
      the organisation the reading is reported for, and of the lead partner;
    - platform admins: everything.
    """
    partnership = f"{prefix}indicator__outcome__partnership"
    public = Q(**{f"{prefix}status__in": PUBLISHED_STATES}) & Q(
        **{f"{partnership}__visibility": Visibility.PUBLIC}
    )
    if user is None or not user.is_authenticated:
        return public
    if user.is_superuser:
        return Q()
    inside = Q(**{f"{partnership}__in": access.partnered_ids(user)}) | Q(
        **{f"{partnership}__in": access.grants_of(user).values("partnership_id")}
    )
    shared = inside & ~Q(**{f"{prefix}status": ReadingStatus.DRAFT})
    reporters = access.partner_roles(user).values("pk")
    drafts = Q(**{f"{prefix}status": ReadingStatus.DRAFT}) & (
        Q(**{f"{prefix}indicator__reporting_partner__in": reporters})
        | (
            Q(**{f"{prefix}reported_for__in": access.organisation_ids(user)})
            & Q(**{f"{partnership}__in": access.partnered_ids(user)})
        )
        | Q(**{f"{partnership}__in": access.partnered_ids(user, lead=True)})
    )
    return public | shared | drafts


class Reading(models.Model):
    """One period's value of an indicator: a number, a rubric level or a narrative, or
    explicitly none (``value_missing``), with who reported and who verified it."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="readings", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    value_missing = models.BooleanField(
        _("no value for this period"),
        default=False,
        help_text=_("The value could not be collected; say why in the comment."),
    )
    level = models.ForeignKey(
        RubricLevel,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="readings",
        verbose_name=_("rubric level"),
    )
    narrative = models.TextField(_("narrative"), blank=True)
    people = models.PositiveIntegerField(
        _("people"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_GROUP_SIZE)],
        help_text=_(
            "How many people the value is about. Needed to break it down by group: the "
            "groups together hold no more people than this."
        ),
    )
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReadingStatus.choices, default=ReadingStatus.DRAFT
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
        help_text=_("The verified reading this one corrects, once it is verified."),
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_for = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="readings",
        verbose_name=_("reported for"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    # The latest return; every return, with its reason, stays in the history.
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ReadingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["indicator", "period_end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="reading_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(value_missing=False)
                | Q(value__isnull=True, level__isnull=True, narrative=""),
                name="a_missing_reading_has_no_value",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLISHED_STATES) | Q(verified_at__isnull=False),
                name="verified_readings_say_when",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "status"], name="reading_indicator_status")]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period_end:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATES

    @property
    def is_superseded(self) -> bool:
        return self.status == ReadingStatus.SUPERSEDED

    @property
    def has_value(self) -> bool:
        return self.value is not None or self.level_id is not None or bool(self.narrative)

    @property
    def evidence_strength(self) -> EvidenceStrength:
        """From all the reading's evidence, internal pieces included (the verifier saw
        them): the annotations of ``selectors.with_evidence_strength`` where present,
        else the (prefetched) evidence."""
        if hasattr(self, "has_file_evidence"):
            kinds = [EvidenceKind.FILE] if self.has_file_evidence else []
            kinds += [EvidenceKind.LINK] if self.has_link_evidence else []
            return evidence_strength(kinds)
        return evidence_strength(piece.kind for piece in self.evidence.all())


class DisaggregatedValue(models.Model):
    """A reading's value for one group (women, youth...), with the group's size, which
    the disclosure control needs before anything is published."""

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="disaggregations")
    dimension = models.CharField(_("dimension"), max_length=30, choices=dimension_choices())
    category = models.CharField(_("category"), max_length=30)
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    people = models.PositiveIntegerField(
        _("people in the group"), validators=[MaxValueValidator(MAX_GROUP_SIZE)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disaggregated value")
        verbose_name_plural = _("disaggregated values")
        ordering = ["reading", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["reading", "dimension", "category"], name="unique_disaggregated_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}/{self.category}: {self.value}"

    def clean(self) -> None:
        if self.dimension in DIMENSIONS and not is_known(self.dimension, self.category):
            raise ValidationError(
                {
                    "category": _("“%(category)s” is not a category of %(dimension)s.")
                    % {"category": self.category, "dimension": self.dimension}
                }
            )


# --- evidence ------------------------------------------------------------------------------


def evidence_file_name(instance: Evidence, filename: str) -> str:
    """A random name, keeping only the (checked) extension: the original name, which may
    carry a person's name, stays in ``original_name``, and no address can be guessed."""
    extension = PurePosixPath(filename).suffix.lower()
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}{extension}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> EvidenceQuerySet:
        """The evidence ``user`` may open: every piece of a reading they may see, for the
        partners' staff and grant holders; public pieces of published readings of public
        partnerships, for everyone else."""
        readings = reading_visibility(user, prefix="reading__")
        public = Q(is_public=True) & Q(reading__status__in=PUBLISHED_STATES)
        public &= Q(reading__indicator__outcome__partnership__visibility=Visibility.PUBLIC)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        if user.is_superuser:
            return self.all()
        partnership = "reading__indicator__outcome__partnership__in"
        inside = Q(**{partnership: access.partnered_ids(user)}) | Q(
            **{partnership: access.grants_of(user).values("partnership_id")}
        )
        return self.filter(readings & (inside | public))


class Evidence(models.Model):
    """What backs a reading: an uploaded file, a link, or a video link.

    Files are internal by default (attendance sheets and photos carry names and faces);
    a partner may mark one public. They live in ``scorecards.storage`` outside the media
    root and are only ever served by the permission-checked download view, as
    attachments.
    """

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        storage=evidence_storage,
        upload_to=evidence_file_name,
        max_length=200,
        blank=True,
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Internal unless marked public: files often show names and faces."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    history = HistoricalRecords()
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["reading", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EvidenceKind.FILE) & ~Q(file="") & Q(url=""))
                | (Q(kind__in=[EvidenceKind.LINK, EvidenceKind.VIDEO]) & Q(file="") & ~Q(url="")),
                name="evidence_is_a_file_or_a_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE


# --- revisions -----------------------------------------------------------------------------


class Revision(models.Model):
    """A change to a baseline or a target once readings existed, with its reason: the
    public scorecard shows every one, so goalposts never move silently."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("indicator")
    )
    kind = models.CharField(_("what changed"), max_length=20, choices=RevisionKind.choices)
    target = models.ForeignKey(
        Target,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("target"),
    )
    old_value = models.DecimalField(
        _("old value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    old_date = models.DateField(_("old date"), null=True, blank=True)
    new_value = models.DecimalField(
        _("new value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    new_date = models.DateField(_("new date"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=30, choices=RevisionReason.choices)
    reason_text = models.TextField(_("explanation"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["indicator", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=RevisionReason.OTHER) | ~Q(reason_text=""),
                name="other_revision_reasons_are_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.get_kind_display()}"


# --- the daily recheck: snapshots, transitions, digests ------------------------------------


class ScorecardSnapshot(models.Model):
    """A partnership's scorecard as the daily recheck found it on one day.

    ``counts`` maps each status to its number of indicators; ``indicators`` maps each
    indicator's id (as a string) to ``{"status": ..., "progress": "0.4500" | None}``.
    Written by the recheck job only, one row per partnership and day.
    """

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="scorecard_snapshots",
        verbose_name=_("partnership"),
    )
    day = models.DateField(_("day"))
    counts = models.JSONField(_("indicators per status"), default=dict)
    worst = models.CharField(_("worst status"), max_length=20, blank=True)
    indicators = models.JSONField(_("status of each indicator"), default=dict)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("scorecard snapshot")
        verbose_name_plural = _("scorecard snapshots")
        ordering = ["partnership", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "day"], name="one_scorecard_snapshot_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.day}"


class TransitionKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    DUE_SOON = "due_soon", _("Reading due in 14 days")
    DUE = "due", _("Reading due today")
    OVERDUE = "overdue", _("Reading overdue")


class IndicatorTransition(models.Model):
    """What the recheck found changed for an indicator on a day: its status moved
    (``STATUS``: from → to), or a reading fell due (one mention 14 days before, one on
    the due date, one when overdue, for the due date in ``due``)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("indicator"),
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=TransitionKind.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator transition")
        verbose_name_plural = _("indicator transitions")
        ordering = ["indicator", "day", "pk"]
        indexes = [models.Index(fields=["day", "kind"], name="transition_day_kind")]
        constraints = [
            # A due date is mentioned once per kind of mention, whatever day the job runs.
            models.UniqueConstraint(
                fields=["indicator", "kind", "due"],
                condition=~Q(kind="status"),
                name="one_mention_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["indicator", "day", "kind", "from_status", "to_status"],
                condition=Q(kind="status"),
                name="one_status_transition_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.day} {self.kind}"


class DigestOutbox(models.Model):
    """One digest email per person per day, written in the recheck job's transaction and
    sent afterwards, so a crash or a second run never sends twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scorecard_digests",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["day", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_person_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


# --- lessons --------------------------------------------------------------------------------


class LessonKind(models.TextChoices):
    FAILURE = "failure", _("What did not work")
    SUCCESS = "success", _("What worked")
    ADAPTATION = "adaptation", _("What we changed")


class LessonQuerySet(models.QuerySet):
    def public(self) -> LessonQuerySet:
        """Public lessons of public partnerships: what visitors may read."""
        return self.filter(is_public=True, partnership__visibility=Visibility.PUBLIC)


class Lesson(models.Model):
    """What a partnership learnt: a failure, a success or an adaptation, told plainly."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LessonKind.choices)
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    why = models.TextField(_("why"), blank=True)
    what_changed = models.TextField(_("what changed as a result"), blank=True)
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("outcome"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("indicator"),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public lessons appear on the scorecard and on the lessons page."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["is_public", "kind", "-created_at"], name="lesson_public_kind")
        ]

    def __str__(self) -> str:
        return self.title
