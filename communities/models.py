"""Communities, what they say they need, what they already have, and who took part in saying it.

Personal data lives in ``CommunityRepresentative`` and in ``NeedsAssessment.internal_notes``
and ``validation_note``: they stay on the pages of staff who work with the community and
never reach a public page, the API or open data. Participant counts are published only through
``communities.disclosure``.
"""

from __future__ import annotations

from decimal import Decimal

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from communities.dimensions import DIMENSIONS, dimension_choices, is_known
from harambee.content import source_language_field
from harambee.i18n import language_name, translated_fields
from partnerships.access import organisation_ids
from partnerships.models import Organisation, Partnership, Sector

# --- validators ------------------------------------------------------------------------------


def _is_language(code: str) -> bool:
    code = code.lower()
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


def validate_language_code(value: str) -> None:
    """One ISO 639-1 (two letters) or ISO 639-3 (three letters) language code."""
    if not _is_language(value.strip()):
        raise ValidationError(
            _(
                "“%(code)s” is not an ISO 639 language code. Use two or three letters, "
                "for example sw (Swahili), wo (Wolof) or quz (Cusco Quechua)."
            ),
            params={"code": value},
            code="unknown_language",
        )


def validate_language_list(value: str) -> None:
    """Comma-separated ISO 639 codes; the message names every unknown code."""
    codes = [code.strip() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if not _is_language(code)]
    if unknown:
        raise ValidationError(
            _(
                "Unknown ISO 639 language code(s): %(codes)s. Use two or three letters, "
                "separated by commas, for example sw, en or quz."
            ),
            params={"codes": ", ".join(unknown)},
            code="unknown_language",
        )


def normalise_language_list(value: str) -> str:
    """'SW, en ,' -> 'sw,en' (lower case, no blanks, no duplicates)."""
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    return ",".join(dict.fromkeys(codes))


# Upper bounds that keep every count inside a 32-bit integer column on every database.
MAX_PEOPLE = 1_000_000_000
MAX_RANK = 100_000  # above the largest import (20,000 rows)
TITLE_MAX_LENGTH = 200  # of needs: the page form, the import rows and the model agree
max_people = MaxValueValidator(MAX_PEOPLE)


# --- choices ---------------------------------------------------------------------------------


class AssessmentMethod(models.TextChoices):
    COMMUNITY_MEETING = "community_meeting", _("Community meeting")
    FOCUS_GROUP = "focus_group", _("Focus group")
    HOUSEHOLD_SURVEY = "household_survey", _("Household survey")
    KEY_INFORMANTS = "key_informants", _("Key informant interviews")
    PARTICIPATORY_MAPPING = "participatory_mapping", _("Participatory mapping")
    ETHNOGRAPHIC = "ethnographic", _("Ethnographic observation")
    OTHER = "other", _("Other")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated with the community")


class ValidationMethod(models.TextChoices):
    """How the community confirmed an assessment's needs and their order."""

    COMMUNITY_MEETING = "community_meeting", _("At a community meeting")
    FOCUS_GROUP = "focus_group", _("In a focus group")
    PHONE = "phone", _("By phone or SMS")
    OTHER = "other", _("Another way (say how in the note)")


# What the assessment page says of a validation, a whole sentence per method for translators.
VALIDATION_SENTENCES = {
    ValidationMethod.COMMUNITY_MEETING: _("Validated with the community at a meeting on %(date)s."),
    ValidationMethod.FOCUS_GROUP: _("Validated with the community in a focus group on %(date)s."),
    ValidationMethod.PHONE: _("Validated with the community by phone or SMS on %(date)s."),
    ValidationMethod.OTHER: _("Validated with the community on %(date)s."),
}


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    BEING_ADDRESSED = "being_addressed", _("Being addressed")
    ADDRESSED = "addressed", _("Addressed")
    NOT_PURSUED = "not_pursued", _("Not pursued")


class AffectedGroup(models.TextChoices):
    WOMEN = "women", _("Women")
    GIRLS = "girls", _("Girls")
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Youth")
    ELDERLY = "elderly", _("Elderly people")
    DISABILITIES = "disabilities", _("People with disabilities")
    POOREST = "poorest", _("Poorest households")
    MINORITY_LANGUAGE = "minority_language", _("Minority language speakers")
    EVERYONE = "everyone", _("Everyone")


class AssetKind(models.TextChoices):
    SKILLS = "skills", _("Skills")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    DEVICES = "devices", _("Devices")
    CONNECTIVITY = "connectivity", _("Connectivity")
    ORGANISATIONS = "organisations", _("Organisations")
    OTHER = "other", _("Other")


def validate_groups(value) -> None:
    """A list of AffectedGroup values; the message names the unknown ones."""
    if not isinstance(value, list):
        raise ValidationError(_("Groups affected must be a list."), code="invalid")
    unknown = [str(item) for item in value if item not in AffectedGroup.values]
    if unknown:
        raise ValidationError(
            _("Unknown group(s): %(groups)s. Choose from: %(allowed)s."),
            params={"groups": ", ".join(unknown), "allowed": ", ".join(AffectedGroup.values)},
            code="unknown_group",
        )


# --- communities -----------------------------------------------------------------------------


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommunityQuerySet:
        """The staff-side rule: communities the user works with.

        A user works with a community when they are a member of one of its organisations or
        of the facilitating organisation of one of its assessments; superusers see all.
        Visitors see none (the public side starts from public partnerships instead), and
        access grants count for nothing here: representatives' contacts, coordinates and
        internal notes stay with these staff (see ``partnerships.access``).
        """
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        mine = organisation_ids(user)
        working = Community.organisations.through.objects.filter(organisation_id__in=mine)
        facilitated = NeedsAssessment.objects.filter(facilitating_organisation_id__in=mine)
        return self.filter(
            Q(pk__in=working.values("community_id")) | Q(pk__in=facilitated.values("community_id"))
        )

    def for_list(self) -> CommunityQuerySet:
        return self.defer(*translated_fields("description")).annotate(
            assessment_count=Count("assessments", distinct=True)
        )


class Community(models.Model):
    """A place or group of people whose needs are assessed.

    ``organisations`` are the organisations working with the community: their staff may see
    and edit everything about it, including its representatives.
    """

    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    admin_area = models.CharField(
        _("administrative area"),
        max_length=200,
        blank=True,
        help_text=_("County, region, district or municipality."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
        help_text=_("Between -90 and 90. Never published."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
        help_text=_("Between -180 and 180. Never published."),
    )
    population_estimate = models.PositiveIntegerField(
        _("population estimate"), null=True, blank=True, validators=[max_people]
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        validators=[validate_language_list],
        help_text=_("ISO 639 codes separated by commas, for example sw, en."),
    )
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations working with this community"),
        related_name="communities",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", args=[self.slug])

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.languages.split(",") if code]


class CommunityRepresentative(models.Model):
    """A person who speaks for the community. PERSONAL DATA: staff pages only, never public."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="representatives"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("For example chief, women's leader.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("community representative")
        verbose_name_plural = _("community representatives")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


# --- assessments -----------------------------------------------------------------------------


class NeedsAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> NeedsAssessmentQuerySet:
        """Assessments of the communities the user works with (see Community.visible_to)."""
        return self.filter(community__in=Community.objects.visible_to(user).values("pk"))

    def published(self) -> NeedsAssessmentQuerySet:
        """What the public may see: validated assessments linked to public partnerships."""
        return self.filter(
            status=AssessmentStatus.VALIDATED,
            partnership__in=Partnership.objects.public().values("pk"),
        )

    def for_detail(self) -> NeedsAssessmentQuerySet:
        return self.select_related("community", "facilitating_organisation", "partnership")


class NeedsAssessment(models.Model):
    """One exercise in which a community said what it needs (and who took part)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="assessments")
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs_assessments",
        verbose_name=_("partnership"),
        help_text=_("Leave empty if the assessment comes before any partnership."),
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=30, choices=AssessmentMethod.choices)
    facilitating_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="facilitated_assessments",
        verbose_name=_("facilitating organisation"),
    )
    led_by_community = models.BooleanField(_("led by the community"), default=False)
    language = models.CharField(
        _("language"),
        max_length=3,
        validators=[validate_language_code],
        help_text=_("ISO 639 code of the language the assessment was held in, for example sw."),
    )
    consent_recorded = models.BooleanField(
        _("consent recorded"),
        default=False,
        help_text=_("The participants agreed to take part and to how their answers are used."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    participants_total = models.PositiveIntegerField(
        _("participants"),
        default=0,
        validators=[max_people],
        help_text=_("The number of people who took part."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("Only staff working with the community see these."),
    )
    # Set when the assessment is validated (assessment_validate), cleared when a validation
    # is withdrawn. Empty on assessments validated before they were recorded.
    validation_method = models.CharField(
        _("how the community confirmed it"),
        max_length=20,
        choices=ValidationMethod.choices,
        blank=True,
    )
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    validation_note = models.TextField(
        _("validation note"),
        blank=True,
        help_text=_(
            "Internal: who confirmed it and what they changed. Never published, like the "
            "internal notes."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = NeedsAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:assessment_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """Validated assessments are the community's word: read-only from then on."""
        return self.status != AssessmentStatus.VALIDATED

    def language_name(self) -> str:
        return language_name(self.language)

    def validation_summary(self) -> str:
        """ "Validated with the community at a meeting on 3 March 2026." ("" until validated)."""
        if self.status != AssessmentStatus.VALIDATED:
            return ""
        sentence = VALIDATION_SENTENCES.get(self.validation_method)
        if sentence is None or self.validated_on is None:
            return str(AssessmentStatus.VALIDATED.label)
        return sentence % {"date": date_format(self.validated_on, "j F Y")}


class ParticipantCount(models.Model):
    """How many of an assessment's participants fall in one category of one dimension."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="participant_counts"
    )
    dimension = models.CharField(_("dimension"), max_length=30, choices=dimension_choices())
    category = models.CharField(_("category"), max_length=30)
    count = models.PositiveIntegerField(_("count"), validators=[max_people])

    class Meta:
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        ordering = ["assessment", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension", "category"], name="unique_participant_cell"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0), name="participant_count_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}/{self.category}: {self.count}"

    def clean(self) -> None:
        if self.dimension in DIMENSIONS and not is_known(self.dimension, self.category):
            raise ValidationError(
                {
                    "category": _("“%(category)s” is not a category of %(dimension)s.")
                    % {"category": self.category, "dimension": self.dimension}
                }
            )


# --- needs and assets ------------------------------------------------------------------------


def _draft_last():
    return Case(When(assessment__status=AssessmentStatus.DRAFT, then=Value(1)), default=Value(0))


class NeedQuerySet(models.QuerySet):
    def ranked(self) -> NeedQuerySet:
        """Latest non-draft assessment first, then the community's own priority order."""
        return self.select_related("assessment", "sector").order_by(
            _draft_last(), "-assessment__date", "-assessment_id", "priority_rank", "pk"
        )


class Need(models.Model):
    """Something a community said it needs, in its own priority order.

    The scorecards app adds ``Outcome.needs = ManyToManyField(Need, related_name="outcomes")``:
    ``need.outcomes`` are the outcomes that address this need (see ``addressing_outcomes``).
    """

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="needs")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("sector")
    )
    priority_rank = models.PositiveIntegerField(
        _("priority rank"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RANK)],
        help_text=_("The community's own ranking: 1 is the most important."),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    groups_affected = models.JSONField(
        _("groups affected"), default=list, blank=True, validators=[validate_groups]
    )
    people_affected = models.PositiveIntegerField(
        _("people affected"), null=True, blank=True, validators=[max_people]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["assessment", "priority_rank", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(priority_rank__gte=1), name="need_rank_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:need_detail", args=[self.pk])

    def group_labels(self) -> list[str]:
        labels = dict(AffectedGroup.choices)
        return [str(labels.get(group, group)) for group in self.groups_affected]

    def addressing_outcomes(self):
        """The outcomes that address this need; empty until the scorecards app is installed."""
        outcomes = getattr(self, "outcomes", None)
        return outcomes.all() if outcomes is not None else []


class CommunityAsset(models.Model):
    """Something the community already has to build on ("maximising what they really have")."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="assets")
    assessment = models.ForeignKey(
        NeedsAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("found in assessment"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    source_language = source_language_field()

    class Meta:
        verbose_name = _("community asset")
        verbose_name_plural = _("community assets")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.title
