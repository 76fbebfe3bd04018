"""The partnerships part of the demo world: people, organisations and partnerships.

``build(world)`` is called first among the apps by ``seed_demo`` (see ``harambee.demo`` for
the contract). It fills ``world.admin``, ``world.users``, ``world.organisations``,
``world.partnerships`` and ``world.leads`` for the apps after it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress

from accounts.models import User
from harambee.bulk import bulk_insert
from harambee.demo import World, insert_returning_ids, insert_returning_objects, translated
from partnerships import services
from partnerships.codelists import ActivityStatus, OrganisationRole, OrganisationType
from partnerships.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    MemberRole,
    Milestone,
    Organisation,
    Partner,
    Partnership,
    Sector,
    Visibility,
)

DEMO_PASSWORD = "harambee-demo"  # noqa: S105 - printed for the demo on purpose
ADMIN_EMAIL = "admin@demo.harambee.org"

ORGANISATIONS = [
    # key, name, acronym, type, country, IATI organisation identifier
    (
        "ict-ministry",
        "Ministry of ICT and Innovation",
        "MoICT",
        OrganisationType.GOVERNMENT,
        "KE",
        "KE-GOV-MOICT",
    ),
    (
        "kilifi-county",
        "Kilifi County Government",
        "KCG",
        OrganisationType.GOVERNMENT,
        "KE",
        "KE-GOV-KILIFI",
    ),
    (
        "open-learning",
        "Open Learning Exchange",
        "OLE",
        OrganisationType.INTERNATIONAL_NGO,
        "GH",
        "GH-RGD-CG0412",
    ),
    (
        "tunza",
        "Tunza Community Network",
        "TCN",
        OrganisationType.NATIONAL_NGO,
        "KE",
        "KE-NCB-TCN001",
    ),
    (
        "sahel-women",
        "Sahel Women Digital Alliance",
        "SWDA",
        OrganisationType.REGIONAL_NGO,
        "SN",
        "SN-NINEA-0051234",
    ),
    (
        "andes-radio",
        "Radio Comunitaria de los Andes",
        "RCA",
        OrganisationType.PARTNER_COUNTRY_NGO,
        "PE",
        "PE-RUC-20512345678",
    ),
    (
        "connect-ppp",
        "Rural Connect Partnership",
        "RCP",
        OrganisationType.PUBLIC_PRIVATE,
        "UG",
        "UG-RSB-80020001234",
    ),
    (
        "undp-like",
        "Regional Development Programme",
        "RDP",
        OrganisationType.MULTILATERAL,
        "RW",
        "XM-DAC-41999",
    ),
    (
        "seed-fund",
        "Seedling Foundation",
        "SF",
        OrganisationType.FOUNDATION,
        "GB",
        "GB-CHC-1123456",
    ),
    (
        "mawingu",
        "Mawingu Networks Ltd",
        "",
        OrganisationType.PRIVATE_SECTOR,
        "KE",
        "KE-RCO-CPR2014001",
    ),
    (
        "solar-co",
        "SunBridge Solar",
        "",
        OrganisationType.PRIVATE_SECTOR,
        "IN",
        "IN-MCA-U40106KA2015PTC081234",
    ),
    (
        "strathmore",
        "Centre for ICT4D Research",
        "CIR",
        OrganisationType.ACADEMIC,
        "ZA",
        "ZA-CIP-2001012345",
    ),
    (
        "coop-union",
        "Coffee Growers' Cooperative Union",
        "CGCU",
        OrganisationType.OTHER,
        "CO",
        "CO-RUE-860007538",
    ),
]

# Each partnership's activity identifier is its lead's organisation identifier, "-", and
# its key in capitals (IATI's rule). "start" is in days from today: pipeline partnerships
# start in the future. "left" is when a partner left, in days after the start;
# "defaulted" partners did not pay their cash.
PARTNERSHIPS = [
    {
        "key": "maize-prices",
        "title": "Community radio and SMS for maize prices",
        "problem": "Smallholder farmers sell to middlemen without knowing market prices, "
        "losing a third of their income; women farmers are the least informed.",
        "lead": "tunza",
        "partners": [
            ("seed-fund", OrganisationRole.FUNDING),
            ("mawingu", OrganisationRole.IMPLEMENTING),
            ("kilifi-county", OrganisationRole.EXTENDING),
        ],
        "countries": ["KE"],
        "sectors": ["31166", "22030"],
        "status": ActivityStatus.IMPLEMENTATION,
        "visibility": Visibility.PUBLIC,
        "start": -420,
    },
    {
        "key": "solar-labs",
        "title": "Solar-powered school computer labs",
        "problem": "Rural schools have donated computers that sit unused because there is "
        "no electricity and teachers were never trained to use them.",
        "lead": "open-learning",
        "partners": [
            ("solar-co", OrganisationRole.IMPLEMENTING),
            ("undp-like", OrganisationRole.FUNDING),
            ("ict-ministry", OrganisationRole.EXTENDING),
        ],
        "countries": ["GH", "KE"],
        "sectors": ["11220", "23230", "22040"],
        "status": ActivityStatus.FINALISATION,
        "visibility": Visibility.PUBLIC,
        "start": -900,
    },
    {
        "key": "literacy-circles",
        "title": "Women's digital literacy circles",
        "problem": "Women in peri-urban settlements lack the confidence and basic e-skills "
        "to use mobile money and e-government services safely.",
        "lead": "sahel-women",
        "partners": [
            ("seed-fund", OrganisationRole.FUNDING),
            ("strathmore", OrganisationRole.IMPLEMENTING),
        ],
        "countries": ["SN"],
        "sectors": ["11230", "15170"],
        "status": ActivityStatus.CLOSED,
        "visibility": Visibility.PUBLIC,
        "start": -1400,
    },
    {
        "key": "telemedicine",
        "title": "Telemedicine for remote health posts",
        "problem": "Nurses at remote health posts cannot consult a doctor and refer "
        "patients on a two-day walk that many cannot afford.",
        "lead": "connect-ppp",
        "partners": [
            ("ict-ministry", OrganisationRole.FUNDING),
            ("mawingu", OrganisationRole.IMPLEMENTING),
        ],
        "countries": ["UG"],
        "sectors": ["12220", "22020"],
        "status": ActivityStatus.CANCELLED,
        "visibility": Visibility.PUBLIC,
        "start": -800,
        "left": {"mawingu": 400},
        "defaulted": {"ict-ministry"},
        "cancelled_after": 420,  # days after the start: soon after the implementer left
    },
    {
        "key": "quechua-voice",
        "title": "Quechua-language farm advice by voice",
        "problem": "Extension advice is published in Spanish text that Quechua-speaking "
        "farmers cannot read; radio call-in shows reach them but cannot answer individual "
        "questions.",
        "lead": "andes-radio",
        "partners": [
            ("coop-union", OrganisationRole.IMPLEMENTING),
            ("seed-fund", OrganisationRole.FUNDING),
        ],
        "countries": ["PE", "CO"],
        "sectors": ["31166", "22030"],
        "status": ActivityStatus.SUSPENDED,
        "visibility": Visibility.PUBLIC,
        "start": -600,
    },
    {
        "key": "water-points",
        "title": "Water point monitoring by mobile",
        "problem": "Broken hand pumps stay broken for months because nobody responsible "
        "hears about them.",
        "lead": "tunza",
        "partners": [
            ("kilifi-county", OrganisationRole.ACCOUNTABLE),
            ("mawingu", OrganisationRole.IMPLEMENTING),
        ],
        "countries": ["KE"],
        "sectors": ["14031", "22040"],
        "status": ActivityStatus.PIPELINE,
        "visibility": Visibility.PUBLIC,
        "start": 60,
    },
    {
        "key": "open-budget",
        "title": "Open budget tracking for county wards",
        "problem": "Residents cannot see how ward development funds are spent, and "
        "citizens' complaints go unanswered.",
        "lead": "kilifi-county",
        "partners": [
            ("tunza", OrganisationRole.IMPLEMENTING),
            ("undp-like", OrganisationRole.FUNDING),
        ],
        "countries": ["KE"],
        "sectors": ["15112", "15150"],
        "status": ActivityStatus.IMPLEMENTATION,
        "visibility": Visibility.PRIVATE,
        "start": -200,
    },
    {
        "key": "coding-clubs",
        "title": "Youth coding clubs in refugee settlements",
        "problem": "Young people in settlements have phones but no path to digital work.",
        "lead": "open-learning",
        "partners": [("strathmore", OrganisationRole.IMPLEMENTING)],
        "countries": ["RW", "UG"],
        "sectors": ["11330", "22040"],
        "status": ActivityStatus.PIPELINE,
        "visibility": Visibility.DRAFT,
        "start": 120,
    },
]

USERS = [
    # key, email, name, organisation key, member role, what the login shows
    (
        "lead",
        "lead@demo.harambee.org",
        "Amina Otieno",
        "tunza",
        MemberRole.ADMIN,
        "partnership lead (Tunza)",
    ),
    (
        "staff",
        "staff@demo.harambee.org",
        "Joseph Mwangi",
        "mawingu",
        MemberRole.STAFF,
        "partner staff (Mawingu)",
    ),
    (
        "funder",
        "funder@demo.harambee.org",
        "Grace Adeyemi",
        "seed-fund",
        MemberRole.STAFF,
        "donor (Seedling Foundation)",
    ),
    (
        "panel",
        "panel@demo.harambee.org",
        "Dr. Lucía Quispe",
        "strathmore",
        MemberRole.STAFF,
        "review panel member (academia)",
    ),
    (
        "outsider",
        "outsider@demo.harambee.org",
        "Sam Outsider",
        None,
        None,
        "signed-in user with no organisation",
    ),
]

MILESTONES = [
    # months after the start, title
    (1, "Community meetings on needs"),
    (6, "Pilot in the first villages"),
    (18, "Independent review panel visit"),
]
PLANNED_DAYS = 1095  # every demo partnership is planned for three years
NOT_REACHED = "Not reached: the partnership was cancelled before this date."


def build(world: World) -> None:
    """The hand-written world, or ``world.scale`` generated partnerships."""
    if world.scale:
        build_scale(world, world.scale)
    else:
        build_demo_world(world)


# --- the hand-written world ------------------------------------------------------------------


def build_demo_world(world: World) -> None:
    """The platform admin, a login per role, thirteen organisations and eight partnerships
    (every status, visibility and organisation type), made through the real services."""
    world.admin = _user(ADMIN_EMAIL, "Platform Admin", is_staff=True, is_superuser=True)
    for spec in ORGANISATIONS:
        world.organisations[spec[0]] = _organisation(world.admin, *spec)
    for key, email, name, org_key, role, _label in USERS:
        world.users[key] = _user(email, name)
        if org_key:
            services.organisation_member_add(
                organisation=world.organisations[org_key], user=world.users[key], role=role
            )
    for number, spec in enumerate(PARTNERSHIPS, start=1):
        world.partnerships[spec["key"]] = _partnership(world, spec, number)
        world.leads[spec["key"]] = spec["lead"]


def _user(email: str, name: str, **extra) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _organisation(admin, key, name, acronym, org_type, country, iati_identifier) -> Organisation:
    organisation = services.organisation_create(
        by=admin,
        name=name,
        acronym=acronym,
        type=org_type,
        country=country,
        iati_identifier=iati_identifier,
        description=f"{name} works on digital inclusion in {country}.",
    )
    # The platform admin made it but does not work there; its demo staff are added next.
    organisation.members.filter(user=admin).delete()
    return organisation


def _partnership(world: World, spec: dict, number: int) -> Partnership:
    begin = world.today + timedelta(days=spec["start"])
    lead = world.organisations[spec["lead"]]
    stopped = _stopped_on(spec, begin)
    partnership = services.partnership_create(
        # Created by a member of the lead where the demo has one, else by the admin.
        by=world.users["lead"] if spec["lead"] == "tunza" else world.admin,
        lead_organisation=lead,
        title=spec["title"],
        problem=spec["problem"],
        summary=f"{spec['title']}: a partnership of {len(spec['partners']) + 1} organisations.",
        sectors=Sector.objects.filter(code__in=spec["sectors"]),
        recipient_countries=spec["countries"],
        status=spec["status"],
        visibility=spec["visibility"],
        planned_start=begin,
        planned_end=begin + timedelta(days=PLANNED_DAYS),
        actual_start=begin if begin <= world.today else None,
        actual_end=stopped,
        iati_identifier=f"{lead.iati_identifier}-{spec['key'].upper()}",
    )
    lead_partner = partnership.partners.get()
    _contributions(lead_partner, spec, spec["lead"], cash=Decimal(5000 * number))
    for i, (key, role) in enumerate(spec["partners"]):
        partner = _partner(world, partnership, spec, key, role, begin + timedelta(days=30 * i))
        _contributions(partner, spec, key, cash=Decimal(20000 * (i + 1)))
    _milestones(world, partnership, begin, stopped)
    return partnership


def _stopped_on(spec: dict, begin: date) -> date | None:
    """When a closed or cancelled partnership actually ended."""
    if spec["status"] == ActivityStatus.CLOSED:
        return begin + timedelta(days=PLANNED_DAYS)
    if spec["status"] == ActivityStatus.CANCELLED:
        return begin + timedelta(days=spec["cancelled_after"])
    return None


def _partner(world, partnership, spec, key, role, joined_on: date) -> Partner:
    left_after = spec.get("left", {}).get(key)
    return services.partner_add(
        partnership=partnership,
        organisation=world.organisations[key],
        role=role,
        # Partners of a partnership that has not started joined when they signed up (today).
        joined_on=min(joined_on, world.today),
        left_on=partnership.actual_start + timedelta(days=left_after) if left_after else None,
        responsibilities="Delivers the service in the field."
        if role == OrganisationRole.IMPLEMENTING
        else "",
    )


def _contributions(partner: Partner, spec: dict, key: str, *, cash: Decimal) -> None:
    """Cash is delivered once the partnership has started (unless defaulted), pledged
    before; staff time is delivered when the partnership has closed, pledged while it runs."""
    if key in spec.get("defaulted", ()):
        status = ContributionStatus.DEFAULTED
    elif spec["start"] < 0:
        status = ContributionStatus.DELIVERED
    else:
        status = ContributionStatus.PLEDGED
    services.contribution_create(
        partner=partner,
        kind=ContributionKind.CASH,
        amount=cash,
        currency="USD",
        status=status,
        date=partner.joined_on if status == ContributionStatus.DELIVERED else None,
    )
    closed = spec["status"] == ActivityStatus.CLOSED
    services.contribution_create(
        partner=partner,
        kind=ContributionKind.EXPERTISE,
        amount=cash / 4,
        currency="KES" if partner.organisation.country == "KE" else "USD",
        description="Staff time",
        status=ContributionStatus.DELIVERED if closed else ContributionStatus.PLEDGED,
    )


def _milestones(world: World, partnership: Partnership, begin: date, stopped: date | None):
    for months, title in MILESTONES:
        when = begin + timedelta(days=30 * months)
        achieved, description = milestone_state(when, world.today, partnership.status, stopped)
        services.milestone_create(
            partnership=partnership,
            title=title,
            date=when,
            achieved=achieved,
            description=description,
        )


def milestone_state(when: date, today: date, status: int, stopped: date | None) -> tuple[bool, str]:
    """(achieved, description) of a demo milestone: reached when its date has passed,
    unless a cancelled partnership stopped before it, which the description says."""
    if status == ActivityStatus.CANCELLED and stopped and when > stopped:
        return False, NOT_REACHED if when <= today else ""
    return when <= today, ""


# --- benchmark scale -------------------------------------------------------------------------

SCALE_COUNTRIES = ["KE", "UG", "TZ", "RW", "SN", "GH", "PE", "CO", "IN", "BD", "NP", "MZ"]
SCALE_ROLES = [
    OrganisationRole.ACCOUNTABLE,
    OrganisationRole.FUNDING,
    OrganisationRole.IMPLEMENTING,
]
# How many days ago a generated partnership in each status started (negative: it starts
# in the future), so that closed ones ended before today and pipeline ones have not begun.
SCALE_STARTED_DAYS_AGO = {
    ActivityStatus.PIPELINE: (-365, -30),
    ActivityStatus.IMPLEMENTATION: (60, 900),
    ActivityStatus.FINALISATION: (900, 1080),
    ActivityStatus.CLOSED: (1200, 1800),
    ActivityStatus.CANCELLED: (120, 900),
    ActivityStatus.SUSPENDED: (120, 900),
}


def build_scale(world: World, n: int) -> None:
    """N partnerships with proportional organisations, partners, contributions and
    milestones, in a fixed number of set-based inserts (whatever N is)."""
    organisations = _scale_organisations(world, max(10, n // 2))
    first = Partnership.objects.count()
    cast = [world.random.sample(organisations, len(SCALE_ROLES)) for _ in range(n)]
    rows = [_scale_partnership(world, first + i, orgs[0]) for i, orgs in enumerate(cast)]
    # The first of each run is public, so the apps after this one always have one to use.
    rows[0]["visibility"] = Visibility.PUBLIC
    partnerships = insert_returning_objects(Partnership, rows)
    for partnership, orgs in zip(partnerships, cast, strict=True):
        world.partnerships[partnership.slug] = partnership
        world.leads[partnership.slug] = orgs[0].slug
    _scale_sectors(world, partnerships)
    partner_ids = _scale_partners(world, partnerships, cast)
    _scale_contributions(world, partnerships, partner_ids)
    bulk_insert(Milestone, [row for p in partnerships for row in _scale_milestones(world, p)])


def _scale_organisations(world: World, count: int) -> list[Organisation]:
    first = Organisation.objects.count()
    rows = [
        {
            "slug": f"bench-org-{first + i}",
            "name": f"Benchmark Organisation {first + i}",
            "type": world.random.choice(OrganisationType.values),
            "country": world.random.choice(SCALE_COUNTRIES),
            "iati_identifier": f"XI-IATI-BENCH{first + i}",
            **translated(description="Generated for benchmarks."),
        }
        for i in range(count)
    ]
    organisations = insert_returning_objects(Organisation, rows)
    world.organisations.update((o.slug, o) for o in organisations)
    return organisations


def _scale_partnership(world: World, number: int, lead: Organisation) -> dict:
    status = world.random.choice(ActivityStatus.values)
    low, high = SCALE_STARTED_DAYS_AGO[status]
    start = world.today - timedelta(days=world.random.randint(low, high))
    planned_end = start + timedelta(days=PLANNED_DAYS)
    ended = {
        ActivityStatus.CLOSED: planned_end,
        ActivityStatus.CANCELLED: start + timedelta(days=(world.today - start).days // 2),
    }.get(status)
    return {
        "slug": f"bench-{number}",
        **translated(
            title=f"Benchmark partnership {number}",
            problem="A problem named by the community.",
            summary="Generated for benchmarks.",
        ),
        "status": status,
        "visibility": world.random.choice(Visibility.values),
        "recipient_countries": world.random.sample(SCALE_COUNTRIES, 2),
        "planned_start": start,
        "planned_end": planned_end,
        "actual_start": start if start <= world.today else None,
        "actual_end": ended,
        "iati_identifier": f"{lead.iati_identifier}-P{number}",
        "created_by": None,
    }


def _scale_sectors(world: World, partnerships: list[Partnership]) -> None:
    sectors = list(Sector.objects.values_list("code", flat=True))
    rows = [
        {"partnership_id": p.pk, "sector_id": code}
        for p in partnerships
        for code in world.random.sample(sectors, 2)
    ]
    bulk_insert(Partnership.sectors.through, rows)


def _scale_partners(world, partnerships, cast) -> list[int]:
    rows = [
        {
            "partnership_id": p.pk,
            "organisation_id": org.pk,
            "role": role,
            "is_lead": k == 0,
            "joined_on": min(p.planned_start, world.today),
            "left_on": None,
            "responsibilities": "",
        }
        for p, orgs in zip(partnerships, cast, strict=True)
        for k, (org, role) in enumerate(zip(orgs, SCALE_ROLES, strict=True))
    ]
    return insert_returning_ids(Partner, rows)


def _scale_contributions(world, partnerships, partner_ids: list[int]) -> None:
    per_partnership = len(SCALE_ROLES)
    rows = [
        {
            "partner_id": partner_id,
            "kind": ContributionKind.CASH,
            "description": "",
            "amount": Decimal(world.random.randint(1, 500) * 100),
            "currency": "USD",
            "status": _scale_contribution_status(world, partnerships[i // per_partnership]),
            "date": None,
        }
        for i, partner_id in enumerate(partner_ids)
        for _ in range(2)
    ]
    bulk_insert(Contribution, rows)


def _scale_contribution_status(world: World, partnership: Partnership) -> str:
    """Nothing is delivered or defaulted before a partnership starts, and nothing is still
    only pledged once it has closed."""
    if partnership.actual_start is None:
        return ContributionStatus.PLEDGED
    if partnership.status == ActivityStatus.CLOSED:
        return world.random.choice([ContributionStatus.DELIVERED, ContributionStatus.DEFAULTED])
    return world.random.choice(ContributionStatus.values)


def _scale_milestones(world: World, partnership: Partnership) -> list[dict]:
    rows = []
    for m in range(1, 4):
        when = partnership.planned_start + timedelta(days=90 * m)
        achieved, description = milestone_state(
            when, world.today, partnership.status, partnership.actual_end
        )
        rows.append(
            {
                "partnership_id": partnership.pk,
                **translated(title=f"Milestone {m}", description=description),
                "date": when,
                "achieved": achieved,
            }
        )
    return rows
