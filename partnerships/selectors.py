"""Read models of partnerships: what pages, the API and the exports show, computed once.

Callers pass partnerships they reached through the visibility rule
(``Partnership.objects.visible_to`` or ``get_partnership_for_user``); nothing here
decides who may see what.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from harambee.content import Text, in_reader_language
from harambee.i18n import translated_fields
from partnerships import access
from partnerships.codelists import ActivityStatus
from partnerships.models import Contribution, Invitation, Partner, Partnership

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
    partnership: the same partners the partnership cards show.
    """
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
    return HomeFigures(organisations=organisations, countries=len(country_codes(public)), **counts)


def latest_public(count: int = 5) -> QuerySet[Partnership]:
    """The most recently updated public partnerships, as cards."""
    return Partnership.objects.public().for_list().order_by("-updated_at")[:count]


def country_codes(queryset: QuerySet[Partnership]) -> set[str]:
    """Every recipient country used in these partnerships (one query)."""
    codes: set[str] = set()
    for value in queryset.order_by().values_list("recipient_countries", flat=True).distinct():
        codes.update(code for code in str(value).split(",") if code)
    return codes


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
