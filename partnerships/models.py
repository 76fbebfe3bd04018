"""Organisations, partnerships and the partners, contributions and milestones that make them."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Lookup, OuterRef, Prefetch, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from harambee.content import source_language_field
from harambee.i18n import translated_fields, translated_icontains
from partnerships.codelists import ActivityStatus, OrganisationRole, OrganisationType, is_currency

iati_identifier_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9\-_.:]*$",
    _("Use letters, digits and - _ . : only, as IATI identifiers do (for example GB-CHC-123456)."),
)


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code (for example KES, USD, EUR)."),
            params={"code": value},
            code="unknown_currency",
        )


def choice_label(choices: type[models.Choices], value) -> str:
    """What ``get_FOO_display()`` says for ``value``, without the dictionary of every
    choice that Django builds anew on each call (list pages show dozens of labels)."""
    try:
        return choices(value).label
    except ValueError:
        return str(value)


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PRIVATE = "private", _("Private")
    PUBLIC = "public", _("Public")


class Sector(models.Model):
    """An OECD DAC 5-digit purpose code."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    category = models.CharField(_("category"), max_length=3)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrganisationQuerySet(models.QuerySet):
    def for_list(self) -> OrganisationQuerySet:
        """What the organisation list pages: plain rows in name order, which an index serves.
        The figures of a page's rows (``selectors.with_public_partnership_counts``) are
        computed for those rows only."""
        return self.defer(*translated_fields("description")).order_by("name", "pk")


class Organisation(models.Model):
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    type = models.PositiveSmallIntegerField(_("type"), choices=OrganisationType.choices)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        validators=[iati_identifier_validator],
        help_text=_("As registered with IATI, for example GB-CHC-202918."),
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # The organisation list, in name order, unfiltered or by type.
            models.Index(fields=["name", "id"], name="organisation_by_name"),
            models.Index(fields=["type", "name", "id"], name="organisation_type_by_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:organisation_detail", args=[self.slug])

    @property
    def type_label(self) -> str:
        return choice_label(OrganisationType, self.type)


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Staff")


class OrganisationMember(models.Model):
    """A person working for an organisation; admins manage the other members."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation to join an organisation, sent by email and accepted by its owner.

    Members join only by accepting, so nobody learns whether an address has an account
    and nobody is added to an organisation without agreeing to it.
    """

    VALID_FOR = timedelta(days=14)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:invitation", args=[self.token])

    @property
    def is_expired(self) -> bool:
        return self.sent_at < timezone.now() - self.VALID_FOR


class PartnershipQuerySet(models.QuerySet):
    def public(self) -> PartnershipQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)

    def visible_to(self, user) -> PartnershipQuerySet:
        """The visibility rule (public ∪ partnered ∪ granted), said once in
        ``partnerships.access``. Every page, API endpoint and export starts here."""
        from partnerships.access import visibility_filter  # access builds on these models

        return self.filter(visibility_filter(user))

    def for_list(self) -> PartnershipQuerySet:
        """Cards, most recently updated first: plain rows with the columns a card shows, in
        the order an index serves. ``selectors.partnership_cards`` adds the partners and
        sectors of the rows shown, so a page costs the same however many partnerships
        there are."""
        return self.only(*CARD_FIELDS).order_by("-updated_at", "pk")

    def in_country(self, code: str) -> PartnershipQuerySet:
        """Partnerships with ``code`` among their recipient countries."""
        return self.filter(HasCountry(F("recipient_countries"), code))

    def for_detail(self) -> PartnershipQuerySet:
        """With ``all_partners`` (lead first) and the milestones by date; the page reads its
        sectors with ``selectors.sectors_of``."""
        return self.prefetch_related(*detail_prefetches())

    def search(self, text: str) -> PartnershipQuerySet:
        query = (
            translated_icontains("title", text)
            | translated_icontains("summary", text)
            | translated_icontains("problem", text)
            | Q(iati_identifier__iexact=text)
        )
        return self.filter(query)


class Partnership(models.Model):
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(
        _("problem statement"),
        help_text=_("The problem that brings the partners together, in the community's terms."),
    )
    summary = models.TextField(_("summary"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    recipient_countries = CountryField(_("recipient countries"), multiple=True, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.DRAFT,
        help_text=_("Only public partnerships are shown to visitors and published as open data."),
    )
    iati_identifier = models.CharField(
        _("IATI activity identifier"),
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        validators=[iati_identifier_validator],
        help_text=_("The reporting organisation's identifier followed by the activity's own."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    source_language = source_language_field()
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-updated_at", "pk"]
        # The lists' order, behind each equality filter they use: visitors see public ones;
        # signed-in people (public or their own) walk the plain order; the status filter.
        # Sectors are filtered through the many-to-many table's own indexes. The country
        # filter has a GIN index on PostgreSQL only, created by migration 0008 (a LIKE on
        # a comma-separated list can use no index on SQLite; see ``HasCountry``).
        indexes = [
            models.Index(
                fields=["visibility", "-updated_at", "id"], name="partnership_public_recent"
            ),
            models.Index(fields=["-updated_at", "id"], name="partnership_recent"),
            models.Index(
                fields=["visibility", "status", "-updated_at", "id"],
                name="partnership_status_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.slug])

    def clean(self) -> None:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def status_label(self) -> str:
        return choice_label(ActivityStatus, self.status)

    @property
    def partner_count(self) -> int:
        """The number of current partners a card names (needs ``selectors.partnership_cards``)."""
        return len(self.current_partners)


# What a partnership's card shows (the title in every language, for the reader's).
CARD_FIELDS = (
    "slug",
    *translated_fields("title"),
    "source_language",
    "status",
    "visibility",
    "recipient_countries",
)


def detail_prefetches() -> tuple[Prefetch, ...]:
    """What a partnership's page shows of its partners and milestones: ``all_partners``
    (with their organisations, lead first) and the milestones by date. For
    ``for_detail()``, or ``prefetch_related_objects`` on a partnership already read."""
    partners = Partner.objects.select_related("organisation").order_by("-is_lead", "joined_on")
    return (
        Prefetch("partners", queryset=partners, to_attr="all_partners"),
        Prefetch("milestones", queryset=Milestone.objects.order_by("date")),
    )


class HasCountry(Lookup):
    """The recipient countries, stored as comma-separated codes, include the given code.

    On PostgreSQL the codes are compared as an array, the expression of the GIN index that
    migration 0008 creates there; elsewhere a LIKE on the comma-bounded list.
    """

    lookup_name = "has_country"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"(',' || {lhs} || ',') LIKE ('%%,' || {rhs} || ',%%')"
        return sql, [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"string_to_array({lhs}, ',') @> ARRAY[{rhs}]::text[]", [*lhs_params, *rhs_params]


def _current_partner(prefix: str = "partners__") -> Q:
    """Partners that have not left (a leaving date in the future still counts as current)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today})


class PartnerQuerySet(models.QuerySet):
    def current(self) -> PartnerQuerySet:
        """Partners that have not left yet."""
        return self.filter(_current_partner(prefix=""))

    def for_roles(self) -> PartnerQuerySet:
        """An organisation's roles as its page lists them, most recently joined first:
        each with its partnership's address and title (in every language, for the
        reader's), and nothing else of it."""
        return (
            self.select_related("partnership")
            .only(
                "partnership_id",
                "organisation_id",
                "role",
                "is_lead",
                "joined_on",
                "left_on",
                "partnership__slug",
                "partnership__source_language",
                *(f"partnership__{name}" for name in translated_fields("title")),
            )
            .order_by("-joined_on", "-pk")
        )


class Partner(models.Model):
    """An organisation's part in a partnership, with its IATI role and responsibilities."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partner_roles"
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=OrganisationRole.choices)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    is_lead = models.BooleanField(
        _("lead partner"),
        default=False,
        help_text=_("The lead partner manages the other partners."),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["-is_lead", "joined_on", "pk"]
        indexes = [
            # An organisation's page: its roles, most recently joined first.
            models.Index(
                fields=["organisation", "-joined_on", "-id"], name="partner_organisation_joined"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "role"], name="unique_partner_role"
            ),
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(is_lead=True), name="one_lead_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"

    @property
    def role_label(self) -> str:
        return choice_label(OrganisationRole, self.role)

    def clean(self) -> None:
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("A partner cannot leave before it joined.")})
        if self.is_lead and self.left_on:
            raise ValidationError(
                {
                    "left_on": _(
                        "The lead partner cannot leave: first make another partner the lead."
                    )
                }
            )


class PartnerInvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PartnerInvitationQuerySet(models.QuerySet):
    def pending(self) -> PartnerInvitationQuerySet:
        """Invitations nobody has accepted, declined or withdrawn yet."""
        return self.filter(status=PartnerInvitationStatus.PENDING)

    def addressed_to(self, user) -> PartnerInvitationQuerySet:
        """Invitations, in any state, to the organisations the user administers: the only
        people who may open them."""
        from partnerships.access import administered_ids  # access builds on these models

        return self.filter(organisation_id__in=administered_ids(user))

    def waiting_for(self, user) -> PartnerInvitationQuerySet:
        """Open invitations the user may accept or decline, oldest first."""
        return self.addressed_to(user).pending().for_list()

    def for_list(self) -> PartnerInvitationQuerySet:
        """With the partnership, the invited organisation, the sender and the lead
        organisation's name and slug (``lead_name``, ``lead_slug``), in one query."""
        lead = Partner.objects.filter(partnership=OuterRef("partnership"), is_lead=True)
        return (
            self.select_related("partnership", "organisation", "invited_by")
            .annotate(
                lead_name=Subquery(lead.values("organisation__name")[:1]),
                lead_slug=Subquery(lead.values("organisation__slug")[:1]),
            )
            .order_by("sent_at", "pk")
        )


class PartnerInvitation(models.Model):
    """An invitation to an organisation to join a partnership in one IATI role.

    Organisations become partners only with their consent: one of the invited
    organisation's administrators accepts, and only then is a ``Partner`` recorded (joining
    on the day of acceptance). Until then the invitation opens nothing: the visibility rule
    and the permission predicates count partners, never invitations. Written only by
    ``services.partner_invite`` and the ``partner_invitation_*`` services.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partner_invitations"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partner_invitations",
        verbose_name=_("organisation"),
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=OrganisationRole.choices)
    responsibilities = models.TextField(
        _("responsibilities"),
        blank=True,
        help_text=_("What the partnership asks of this organisation, in a few lines."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartnerInvitationStatus.choices,
        default=PartnerInvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted, declined or withdrawn by"),
    )

    history = HistoricalRecords()
    objects = PartnerInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "role"],
                condition=Q(status=PartnerInvitationStatus.PENDING),
                name="one_open_partner_invitation_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.partnership} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partner_invitation", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == PartnerInvitationStatus.PENDING


class GrantCapacity(models.TextChoices):
    """Why someone outside the partners may read a partnership (see partnerships.access)."""

    REVIEWER = "reviewer", _("Reviewer")
    OBSERVER = "observer", _("Observer")


class AccessGrantQuerySet(models.QuerySet):
    def active(self) -> AccessGrantQuerySet:
        """Grants neither revoked nor expired: only these open anything."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class AccessGrant(models.Model):
    """Read access to one partnership for a person or an organisation outside its partners.

    Written and revoked only by ``partnerships.services.grant_create`` / ``grant_revoke``
    (a review panel seat creates one). What a grant opens, and what it never opens, is
    said once, in ``partnerships.access``.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_grants",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_grants",
        verbose_name=_("organisation"),
    )
    capacity = models.CharField(_("capacity"), max_length=20, choices=GrantCapacity.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    history = HistoricalRecords()
    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-granted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, organisation__isnull=False)
                | Q(user__isnull=False, organisation__isnull=True),
                name="grant_to_a_person_or_an_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.organisation} · {self.get_capacity_display()}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")
    EXPERTISE = "expertise", _("Expertise")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")


class ContributionStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    DELIVERED = "delivered", _("Delivered")
    DEFAULTED = "defaulted", _("Defaulted")


class ContributionQuerySet(models.QuerySet):
    def cost_sharing(self) -> models.QuerySet:
        """Per partner and currency: everything promised, what was delivered, what defaulted.

        One query; the only place these sums are computed."""
        return (
            self.values("partner_id", "currency")
            .annotate(
                pledged=Sum("amount"),
                delivered=Sum("amount", filter=Q(status=ContributionStatus.DELIVERED)),
                defaulted=Sum("amount", filter=Q(status=ContributionStatus.DEFAULTED)),
            )
            .order_by("partner_id", "currency")
        )


class Contribution(models.Model):
    """What a partner puts into the partnership: cost sharing from the beginning."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The cash amount, or the estimated value of an in-kind contribution."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency], help_text=_("ISO 4217 code.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContributionStatus.choices,
        default=ContributionStatus.PLEDGED,
    )
    date = models.DateField(_("date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["partner_id", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="contribution_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.organisation} {self.amount} {self.currency}"


class Milestone(models.Model):
    """A dated event on the partnership's timeline."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    achieved = models.BooleanField(_("achieved"), default=False)

    source_language = source_language_field()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title
