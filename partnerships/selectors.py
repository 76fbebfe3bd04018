"""Read models of partnerships: what pages, the API and the exports show, computed once.

Callers pass partnerships they reached through the visibility rule
(``Partnership.objects.visible_to`` or ``get_partnership_for_user``); nothing here
decides who may see what.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from harambee import pagecache
from harambee.content import Text, in_reader_language
from harambee.i18n import translated_fields
from partnerships import access
from partnerships.codelists import ActivityStatus
from partnerships.models import (
    Contribution,
    Invitation,
    Organisation,
    Partner,
    Partnership,
    Sector,
    Visibility,
)

# --- the partnership page --------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    date: date
    kind: str  # "milestone", "joined" or "left"
    text: str | Text  # a milestone's title is in the reader's language where it can be
    done: bool = True
    milestone_id: int | None = None


def timeline(partnership: Partnership) -> list[TimelineEvent]:
    """Milestones and partners joining and leaving, in date order.

    Needs ``Partnership.objects.for_detail()`` (milestones and ``all_partners`` prefetched).
    """
    language = get_language()
    events = [
        TimelineEvent(
            m.date,
            "milestone",
            in_reader_language(m, "title", language),
            m.achieved,
            milestone_id=m.pk,
        )
        for m in partnership.milestones.all()
    ]
    for partner in partnership.all_partners:
        name = str(partner.organisation)
        events.append(
            TimelineEvent(partner.joined_on, "joined", _("%(name)s joined") % {"name": name})
        )
        if partner.left_on:
            events.append(
                TimelineEvent(partner.left_on, "left", _("%(name)s left") % {"name": name})
            )
    return sorted(events, key=lambda e: e.date)


@dataclass(frozen=True)
class CostSharingRow:
    currency: str
    pledged: Decimal
    delivered: Decimal
    defaulted: Decimal


@dataclass(frozen=True)
class PartnerCostSharing:
    partner: Partner
    rows: list[CostSharingRow] = field(default_factory=list)


def cost_sharing(partnership: Partnership) -> list[PartnerCostSharing]:
    """Pledged, delivered and defaulted per partner and currency, in partner order (one
    query; the sums are ``Contribution.objects.cost_sharing``'s, the only place they are
    computed). Needs ``all_partners`` from ``Partnership.objects.for_detail()``."""
    sums = Contribution.objects.filter(partner__partnership=partnership).cost_sharing()
    by_partner: dict[int, list[CostSharingRow]] = defaultdict(list)
    zero = Decimal(0)
    for row in sums:
        by_partner[row["partner_id"]].append(
            CostSharingRow(
                currency=row["currency"],
                pledged=row["pledged"] or zero,
                delivered=row["delivered"] or zero,
                defaulted=row["defaulted"] or zero,
            )
        )
    return [
        PartnerCostSharing(partner, by_partner[partner.pk])
        for partner in partnership.all_partners
        if partner.pk in by_partner
    ]


def contributions_of(partnership: Partnership) -> QuerySet[Contribution]:
    """Each contribution, for the partners who correct them or mark them delivered."""
    return (
        Contribution.objects.filter(partner__partnership=partnership)
        .select_related("partner__organisation")
        .order_by("partner__organisation__name", "date", "pk")
    )


# --- site-wide figures -----------------------------------------------------------------------
# Each is computed once per public version and day (``harambee.pagecache``), so a page
# that shows one does not read every row to show it; none is ever cached per user.


@dataclass(frozen=True)
class HomeFigures:
    partnerships: int
    in_implementation: int
    closed: int
    organisations: int
    countries: int


def home_figures() -> HomeFigures:
    """The home page's key figures over public partnerships.

    "Organisations" counts the organisations that are current partners of a public
    partnership: the same partners the partnership cards show. "Partnerships", "In
    implementation" and "Closed" are the totals of the public list with no filter and with
    those statuses (``public_counts``).
    """
    return pagecache.remember("home-figures", _home_figures)


def _home_figures() -> HomeFigures:
    counts = public_counts()
    public = Partnership.objects.public()
    organisations = (
        Partner.objects.current()
        .filter(partnership__in=public.values("pk"))
        .values("organisation_id")
        .distinct()
        .count()
    )
    return HomeFigures(
        partnerships=counts.total,
        in_implementation=counts.by_status.get(ActivityStatus.IMPLEMENTATION, 0),
        closed=counts.by_status.get(ActivityStatus.CLOSED, 0),
        organisations=organisations,
        countries=len(counts.by_country),
    )


@dataclass(frozen=True)
class PublicCounts:
    """How many public partnerships there are by status, by recipient country and by
    sector: the totals of the public list with no filter or one of those."""

    by_status: dict[int, int]
    by_country: dict[str, int]
    by_sector: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def public_counts() -> PublicCounts:
    """The public list's totals (three grouped queries, once per public version)."""
    return pagecache.remember("public-counts", _public_counts)


def _public_counts() -> PublicCounts:
    public = Partnership.objects.public().order_by()
    by_status = dict(public.values_list("status").annotate(count=Count("pk")))
    by_country: dict[str, int] = defaultdict(int)
    # Grouped by the stored list of codes: there are far fewer lists than partnerships.
    for value, count in public.values_list("recipient_countries").annotate(count=Count("pk")):
        for code in {code for code in str(value).split(",") if code}:
            by_country[code] += count
    tagged = Partnership.sectors.through.objects.filter(partnership__visibility=Visibility.PUBLIC)
    by_sector = dict(
        tagged.order_by().values_list("sector_id").annotate(count=Count("partnership_id"))
    )
    return PublicCounts(by_status, dict(by_country), by_sector)


def public_count(filters: dict) -> int | None:
    """How many public partnerships the list's (valid) filters find, when the site-wide
    figures say it: with no filter, or with one of country, sector and status. None for
    the others (a search, a partner, several at once), which the paginator counts."""
    counts = public_counts()
    if not filters:
        return counts.total
    if len(filters) > 1:
        return None
    [(name, value)] = filters.items()
    by_value = {
        "status": counts.by_status,
        "country": counts.by_country,
        "sector": counts.by_sector,
    }.get(name)
    return None if by_value is None else by_value.get(value, 0)


@dataclass(frozen=True)
class FilterChoices:
    """The choices of the partnership list's filters, in one language: (code, name)."""

    countries: tuple[tuple[str, str], ...]
    sectors: tuple[tuple[str, str], ...]


def filter_choices(user) -> FilterChoices:
    """The list's filter choices in the reader's language: the recipient countries of the
    partnerships the user sees (the public ones, the same for everyone, and the user's own
    others), by name, and every sector (a code list)."""
    public = pagecache.remember(f"filter-choices:{get_language()}", _public_filter_choices)
    if user.is_authenticated:
        own = country_codes(hidden_visible_to(user))
        if own - set(public_counts().by_country):
            codes = {*public_counts().by_country, *own}
            return FilterChoices(_country_choices(codes), public.sectors)
    return public


def _public_filter_choices() -> FilterChoices:
    return FilterChoices(
        countries=_country_choices(public_counts().by_country),
        sectors=tuple((code, f"{code} {name}") for code, name in sector_names().items()),
    )


def _country_choices(codes: Iterable[str]) -> tuple[tuple[str, str], ...]:
    names = dict(countries)
    chosen = ((code, names[code]) for code in codes if code in names)
    return tuple(sorted(chosen, key=lambda c: c[1]))


def organisation_count() -> int:
    """How many organisations there are: the total of the organisation list."""
    return pagecache.remember("organisation-count", Organisation.objects.count)


# --- lists -----------------------------------------------------------------------------------


def latest_public(count: int = 5) -> QuerySet[Partnership]:
    """The most recently updated public partnerships, for their cards."""
    return Partnership.objects.public().for_list()[:count]


def sector_names() -> dict[str, str]:
    """Every sector's name in the reader's language (with the model's fallback to
    English), by code: a code list, read once per public version and language."""
    return pagecache.remember(
        f"sector-names:{get_language()}",
        lambda: {sector.code: sector.name for sector in Sector.objects.all()},
    )


def sectors_of(partnership: Partnership) -> list[tuple[str, str]]:
    """The partnership's sectors as (code, name in the reader's language), by code: one
    query over its own rows of the sector table."""
    tagged = Partnership.sectors.through.objects.filter(partnership_id=partnership.pk)
    names = sector_names()
    codes = tagged.order_by("sector_id").values_list("sector_id", flat=True)
    return [(code, names.get(code, code)) for code in codes]


def partnership_cards(partnerships: Iterable[Partnership]) -> list[Partnership]:
    """The partnerships (a page of them, from ``for_list()``) with what their cards show
    besides their own columns: ``current_partners``, the names of the organisations that
    have not left (lead first; an organisation's acronym where it has one), and
    ``sector_names``, in the reader's language. Two queries over these partnerships' own
    rows."""
    partnerships = list(partnerships)
    ids = [partnership.pk for partnership in partnerships]
    names: dict[int, list[str]] = defaultdict(list)
    # Each partner's organisation by its key, row by row: with a join, PostgreSQL would
    # rather read every organisation into a hash table than look up sixty of them.
    organisation = Organisation.objects.filter(pk=OuterRef("organisation_id")).order_by()
    partners = (
        Partner.objects.current()
        .filter(partnership_id__in=ids)
        .annotate(
            acronym=Subquery(organisation.values("acronym")),
            name=Subquery(organisation.values("name")),
        )
        .order_by("-is_lead", "joined_on", "pk")
        .values_list("partnership_id", "acronym", "name")
    )
    for partnership_id, acronym, name in partners:
        names[partnership_id].append(acronym or name)
    sectors: dict[int, list[str]] = defaultdict(list)
    tagged = Partnership.sectors.through.objects.filter(partnership_id__in=ids)
    sector_name = sector_names()
    for partnership_id, code in tagged.order_by("sector_id").values_list(
        "partnership_id", "sector_id"
    ):
        sectors[partnership_id].append(sector_name.get(code, code))
    for partnership in partnerships:
        partnership.current_partners = names[partnership.pk]
        partnership.sector_names = sectors[partnership.pk]
    return partnerships


def country_codes(queryset: QuerySet[Partnership]) -> set[str]:
    """Every recipient country used in these partnerships (one query)."""
    codes: set[str] = set()
    for value in queryset.order_by().values_list("recipient_countries", flat=True).distinct():
        codes.update(code for code in str(value).split(",") if code)
    return codes


def hidden_visible_to(user) -> QuerySet[Partnership]:
    """The partnerships the user sees that are not public: drafts and private ones their
    organisations are partners in, or that a grant opens to them.

    Reached from the user's own partner rows and grants, so the query is as small as their
    work however many partnerships there are (for a platform admin, every non-public one),
    and still within ``visible_to``, so it can never show more than the visibility rule.
    """
    if not user.is_authenticated:
        return Partnership.objects.none()
    hidden = Partnership.objects.visible_to(user).exclude(visibility=Visibility.PUBLIC)
    if user.is_superuser:
        return hidden
    partnered = access.partnered_ids(user).order_by()
    own = partnered.union(access.grants_of(user).order_by().values("partnership_id"))
    return hidden.filter(pk__in=own)


def with_public_partnership_counts(organisations: Iterable[Organisation]) -> list[Organisation]:
    """The organisations (a page of them), each with ``public_partnership_count``: the
    public partnerships it is a current partner in, as the partnership cards count them.
    One grouped query over these organisations' partner rows only."""
    organisations = list(organisations)
    counts = dict(
        Partner.objects.current()
        .filter(
            organisation_id__in=[o.pk for o in organisations],
            partnership__visibility=Visibility.PUBLIC,
        )
        .order_by()
        .values("organisation_id")
        .annotate(count=Count("partnership_id", distinct=True))
        .values_list("organisation_id", "count")
    )
    for organisation in organisations:
        organisation.public_partnership_count = counts.get(organisation.pk, 0)
    return organisations


# --- a person's own work ---------------------------------------------------------------------


def my_partnerships(user) -> QuerySet[Partnership]:
    """The partnerships the user's organisations are partners in, drafts included, with
    whether one of them leads it; most recently updated first."""
    lead_of = Partner.objects.current().filter(
        organisation_id__in=access.organisation_ids(user), is_lead=True
    )
    return (
        access.partnerships_of(user)
        .defer(*translated_fields("problem"), *translated_fields("summary"))
        .annotate(user_leads=Exists(lead_of.filter(partnership_id=OuterRef("pk"))))
        .order_by("-updated_at", "pk")
    )


def open_invitations_for(user) -> QuerySet[Invitation]:
    """Invitations to join an organisation, sent to one of the user's verified addresses,
    not yet accepted and not expired."""
    addresses = EmailAddress.objects.filter(user=user, verified=True)
    lowered = addresses.annotate(lowered=Lower("email")).values("lowered")  # stored lower case
    since = timezone.now() - Invitation.VALID_FOR
    return (
        Invitation.objects.filter(accepted_at__isnull=True, sent_at__gt=since, email__in=lowered)
        .select_related("organisation")
        .order_by("-sent_at")
    )
