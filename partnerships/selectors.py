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
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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
    partnership: the same partners the partnership cards show. "Partnerships" is also the
    total of the public list.
    """
    return pagecache.remember("home-figures", _home_figures)


def _home_figures() -> HomeFigures:
    public = Partnership.objects.public()
    counts = public.aggregate(
        partnerships=Count("pk"),
        in_implementation=Count("pk", filter=Q(status=ActivityStatus.IMPLEMENTATION)),
        closed=Count("pk", filter=Q(status=ActivityStatus.CLOSED)),
    )
    organisations = (
        Partner.objects.current()
        .filter(partnership__in=public.values("pk"))
        .values("organisation_id")
        .distinct()
        .count()
    )
    return HomeFigures(organisations=organisations, countries=len(public_country_codes()), **counts)


def public_country_codes() -> frozenset[str]:
    """Every recipient country of a public partnership."""
    return pagecache.remember(
        "public-country-codes", lambda: frozenset(country_codes(Partnership.objects.public()))
    )


def organisation_count() -> int:
    """How many organisations there are: the total of the organisation list."""
    return pagecache.remember("organisation-count", Organisation.objects.count)


def sectors() -> list[Sector]:
    """The sectors (a code list), for the list's filter. Their names are in each
    instance's translated fields, so one list serves every language."""
    return pagecache.remember("sectors", lambda: list(Sector.objects.all()))


# --- lists -----------------------------------------------------------------------------------


def latest_public(count: int = 5) -> QuerySet[Partnership]:
    """The most recently updated public partnerships, as cards."""
    return Partnership.objects.public().for_list()[:count]


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


def country_codes_for(user) -> set[str]:
    """The recipient countries of the partnerships the user sees (the list's country
    choices): the public ones, shared by everyone, and the user's own others."""
    codes = set(public_country_codes())
    if user.is_authenticated:
        codes |= country_codes(hidden_visible_to(user))
    return codes


def visible_count(user) -> int:
    """How many partnerships the user sees (the unfiltered list's total): the public ones,
    shared by everyone, and the user's own others."""
    count = home_figures().partnerships
    if user.is_authenticated:
        count += hidden_visible_to(user).count()
    return count


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
