"""Build a believable demo world, or N partnerships for benchmarks.

python manage.py seed_demo            # the demo world, with a login per role
python manage.py seed_demo --scale 500  # 500 more partnerships, bulk inserted
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from accounts.models import User
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

ORGANISATIONS = [
    # slug key, name, acronym, type, country
    ("ict-ministry", "Ministry of ICT and Innovation", "MoICT", OrganisationType.GOVERNMENT, "KE"),
    ("kilifi-county", "Kilifi County Government", "KCG", OrganisationType.GOVERNMENT, "KE"),
    ("open-learning", "Open Learning Exchange", "OLE", OrganisationType.INTERNATIONAL_NGO, "GH"),
    ("tunza", "Tunza Community Network", "TCN", OrganisationType.NATIONAL_NGO, "KE"),
    ("sahel-women", "Sahel Women Digital Alliance", "SWDA", OrganisationType.REGIONAL_NGO, "SN"),
    (
        "andes-radio",
        "Radio Comunitaria de los Andes",
        "RCA",
        OrganisationType.PARTNER_COUNTRY_NGO,
        "PE",
    ),
    ("connect-ppp", "Rural Connect Partnership", "RCP", OrganisationType.PUBLIC_PRIVATE, "UG"),
    ("undp-like", "Regional Development Programme", "RDP", OrganisationType.MULTILATERAL, "RW"),
    ("seed-fund", "Seedling Foundation", "SF", OrganisationType.FOUNDATION, "GB"),
    ("mawingu", "Mawingu Networks Ltd", "", OrganisationType.PRIVATE_SECTOR, "KE"),
    ("solar-co", "SunBridge Solar", "", OrganisationType.PRIVATE_SECTOR, "IN"),
    ("strathmore", "Centre for ICT4D Research", "CIR", OrganisationType.ACADEMIC, "ZA"),
    ("coop-union", "Coffee Growers' Cooperative Union", "CGCU", OrganisationType.OTHER, "CO"),
]

PARTNERSHIPS = [
    # title, problem, lead, partners (key, role), countries, sectors, status, visibility, start
    (
        "Community radio and SMS for maize prices",
        "Smallholder farmers sell to middlemen without knowing market prices, losing "
        "a third of their income; women farmers are the least informed.",
        "tunza",
        [
            ("seed-fund", OrganisationRole.FUNDING),
            ("mawingu", OrganisationRole.IMPLEMENTING),
            ("kilifi-county", OrganisationRole.EXTENDING),
        ],
        ["KE"],
        ["31166", "22030"],
        ActivityStatus.IMPLEMENTATION,
        Visibility.PUBLIC,
        -420,
    ),
    (
        "Solar-powered school computer labs",
        "Rural schools have donated computers that sit unused because there is no "
        "electricity and teachers were never trained to use them.",
        "open-learning",
        [
            ("solar-co", OrganisationRole.IMPLEMENTING),
            ("undp-like", OrganisationRole.FUNDING),
            ("ict-ministry", OrganisationRole.EXTENDING),
        ],
        ["GH", "KE"],
        ["11220", "23230", "22040"],
        ActivityStatus.FINALISATION,
        Visibility.PUBLIC,
        -900,
    ),
    (
        "Women's digital literacy circles",
        "Women in peri-urban settlements lack the confidence and basic e-skills to use "
        "mobile money and e-government services safely.",
        "sahel-women",
        [("seed-fund", OrganisationRole.FUNDING), ("strathmore", OrganisationRole.IMPLEMENTING)],
        ["SN"],
        ["11230", "15170"],
        ActivityStatus.CLOSED,
        Visibility.PUBLIC,
        -1400,
    ),
    (
        "Telemedicine for remote health posts",
        "Nurses at remote health posts cannot consult a doctor and refer patients on "
        "a two-day walk that many cannot afford.",
        "connect-ppp",
        [("ict-ministry", OrganisationRole.FUNDING), ("mawingu", OrganisationRole.IMPLEMENTING)],
        ["UG"],
        ["12220", "22020"],
        ActivityStatus.CANCELLED,
        Visibility.PUBLIC,
        -800,
    ),
    (
        "Quechua-language farm advice by voice",
        "Extension advice is published in Spanish text that Quechua-speaking farmers "
        "cannot read; radio call-in shows reach them but cannot answer individual questions.",
        "andes-radio",
        [("coop-union", OrganisationRole.IMPLEMENTING), ("seed-fund", OrganisationRole.FUNDING)],
        ["PE", "CO"],
        ["31166", "22030"],
        ActivityStatus.SUSPENDED,
        Visibility.PUBLIC,
        -600,
    ),
    (
        "Water point monitoring by mobile",
        "Broken hand pumps stay broken for months because nobody responsible hears about them.",
        "tunza",
        [
            ("kilifi-county", OrganisationRole.ACCOUNTABLE),
            ("mawingu", OrganisationRole.IMPLEMENTING),
        ],
        ["KE"],
        ["14031", "22040"],
        ActivityStatus.PIPELINE,
        Visibility.PUBLIC,
        60,
    ),
    (
        "Open budget tracking for county wards",
        "Residents cannot see how ward development funds are spent, and citizens' "
        "complaints go unanswered.",
        "kilifi-county",
        [("tunza", OrganisationRole.IMPLEMENTING), ("undp-like", OrganisationRole.FUNDING)],
        ["KE"],
        ["15112", "15150"],
        ActivityStatus.IMPLEMENTATION,
        Visibility.PRIVATE,
        -200,
    ),
    (
        "Youth coding clubs in refugee settlements",
        "Young people in settlements have phones but no path to digital work.",
        "open-learning",
        [("strathmore", OrganisationRole.IMPLEMENTING)],
        ["RW", "UG"],
        ["11330", "22040"],
        ActivityStatus.PIPELINE,
        Visibility.DRAFT,
        120,
    ),
]

USERS = [
    # email, name, organisation key, member role, what the login shows
    (
        "lead@demo.harambee.org",
        "Amina Otieno",
        "tunza",
        MemberRole.ADMIN,
        "partnership lead (Tunza)",
    ),
    (
        "staff@demo.harambee.org",
        "Joseph Mwangi",
        "mawingu",
        MemberRole.STAFF,
        "partner staff (Mawingu)",
    ),
    (
        "funder@demo.harambee.org",
        "Grace Adeyemi",
        "seed-fund",
        MemberRole.STAFF,
        "donor (Seedling Foundation)",
    ),
    (
        "panel@demo.harambee.org",
        "Dr. Lucía Quispe",
        "strathmore",
        MemberRole.STAFF,
        "review panel member (academia)",
    ),
    (
        "outsider@demo.harambee.org",
        "Sam Outsider",
        None,
        None,
        "signed-in user with no organisation",
    ),
]


class Command(BaseCommand):
    help = "Build a demo world (a login per role), or --scale N partnerships for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Add N generated partnerships.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo logins) when the database already has data.",
        )

    def handle(self, *args, scale: int, seed: int, if_empty: bool, **options):
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        random.seed(seed)
        with translation.override("en"):
            if scale:
                created = build_scale(scale)
                self.stdout.write(self.style.SUCCESS(f"Added {created} partnerships."))
                return
            if Organisation.objects.exists():
                if if_empty:
                    self.print_logins()
                    return
                raise CommandError("The database already has data; run on an empty database.")
            build_demo_world()
            # Imported here: the communities demo reads this module's ORGANISATIONS.
            from communities.demo import build_demo_communities

            build_demo_communities()
        self.print_logins()

    def print_logins(self) -> None:
        if not User.objects.filter(email="admin@demo.harambee.org").exists():
            return
        self.stdout.write(
            self.style.SUCCESS(f"Demo world ready. Logins (password: {DEMO_PASSWORD}):")
        )
        self.stdout.write("  admin@demo.harambee.org  — platform admin (/admin/)")
        for email, _name, _org, _role, label in USERS:
            self.stdout.write(f"  {email}  — {label}")


def _user(email: str, name: str, **extra) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def build_demo_world() -> None:
    """The small hand-written world, made through the real services."""
    admin = _user("admin@demo.harambee.org", "Platform Admin", is_staff=True, is_superuser=True)
    orgs = {}
    for key, name, acronym, org_type, country in ORGANISATIONS:
        orgs[key] = services.organisation_create(
            by=admin,
            name=name,
            acronym=acronym,
            type=org_type,
            country=country,
            description=f"{name} works on digital inclusion in {country}.",
        )
        orgs[key].members.filter(user=admin).delete()
    for email, name, org_key, role, _label in USERS:
        user = _user(email, name)
        if org_key:
            services.organisation_member_add(organisation=orgs[org_key], user=user, role=role)
    lead_user = User.objects.get(email="lead@demo.harambee.org")
    today = date.today()  # noqa: DTZ011 - a calendar date for demo data
    for n, (
        title,
        problem,
        lead,
        partners,
        countries,
        sectors,
        status,
        visibility,
        start,
    ) in enumerate(PARTNERSHIPS, start=1):
        begin = today + timedelta(days=start)
        partnership = services.partnership_create(
            by=lead_user,
            lead_organisation=orgs[lead],
            title=title,
            problem=problem,
            summary=f"{title}: a partnership of {len(partners) + 1} organisations.",
            sectors=Sector.objects.filter(code__in=sectors),
            recipient_countries=countries,
            status=status,
            visibility=visibility,
            planned_start=begin,
            planned_end=begin + timedelta(days=1095),
            actual_start=begin if start < 0 else None,
            iati_identifier=f"XM-DAC-47066-DEMO-{n:03d}",
        )
        lead_partner = partnership.partners.get()
        _contributions(lead_partner, cash=Decimal(5000 * n))
        for i, (key, role) in enumerate(partners):
            partner = services.partner_add(
                partnership=partnership,
                organisation=orgs[key],
                role=role,
                joined_on=begin + timedelta(days=30 * i),
                left_on=begin + timedelta(days=400) if (n == 4 and i == 1) else None,
                responsibilities="Delivers the service in the field."
                if role == OrganisationRole.IMPLEMENTING
                else "",
            )
            _contributions(partner, cash=Decimal(20000 * (i + 1)), defaulted=(n == 4 and i == 0))
        for months, label, achieved in [
            (1, "Community meetings on needs", True),
            (6, "Pilot in the first villages", start < -180),
            (18, "Independent review panel visit", start < -540),
        ]:
            services.milestone_create(
                partnership=partnership,
                title=label,
                date=begin + timedelta(days=30 * months),
                achieved=achieved,
            )


def _contributions(partner: Partner, *, cash: Decimal, defaulted: bool = False) -> None:
    services.contribution_create(
        partner=partner,
        kind=ContributionKind.CASH,
        amount=cash,
        currency="USD",
        status=ContributionStatus.DEFAULTED if defaulted else ContributionStatus.DELIVERED,
    )
    services.contribution_create(
        partner=partner,
        kind=ContributionKind.EXPERTISE,
        amount=cash / 4,
        currency="KES" if partner.organisation.country == "KE" else "USD",
        description="Staff time",
    )


@transaction.atomic
def build_scale(n: int) -> int:
    """N partnerships with proportional organisations, partners, contributions and
    milestones, in a handful of bulk inserts."""
    start = Partnership.objects.count()
    countries = ["KE", "UG", "TZ", "RW", "SN", "GH", "PE", "CO", "IN", "BD", "NP", "MZ"]
    org_count = max(10, n // 2)
    first_org = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create(
        Organisation(
            slug=f"bench-org-{first_org + i}",
            name=f"Benchmark Organisation {first_org + i}",
            type=random.choice(OrganisationType.values),
            country=random.choice(countries),
        )
        for i in range(org_count)
    )
    today = date.today()  # noqa: DTZ011
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            slug=f"bench-{start + i}",
            title=f"Benchmark partnership {start + i}",
            problem="A problem named by the community.",
            summary="Generated for benchmarks.",
            status=random.choice(ActivityStatus.values),
            visibility=random.choice(Visibility.values),
            recipient_countries=random.sample(countries, 2),
            planned_start=today - timedelta(days=random.randint(0, 900)),
            iati_identifier=f"XM-BENCH-{start + i}",
        )
        for i in range(n)
    )
    sectors = list(Sector.objects.values_list("code", flat=True))
    through = Partnership.sectors.through
    through.objects.bulk_create(
        through(partnership_id=p.pk, sector_id=code)
        for p in partnerships
        for code in random.sample(sectors, 2)
    )
    partners = Partner.objects.bulk_create(
        Partner(
            partnership=p,
            organisation=org,
            role=role,
            is_lead=(k == 0),
            joined_on=p.planned_start,
        )
        for p in partnerships
        for k, (org, role) in enumerate(zip(random.sample(orgs, 3), [2, 1, 4], strict=True))
    )
    Contribution.objects.bulk_create(
        Contribution(
            partner=partner,
            kind=ContributionKind.CASH,
            amount=Decimal(random.randint(1, 500) * 100),
            currency="USD",
            status=random.choice(ContributionStatus.values),
        )
        for partner in partners
        for _ in range(2)
    )
    Milestone.objects.bulk_create(
        Milestone(
            partnership=p, title=f"Milestone {m}", date=p.planned_start + timedelta(days=90 * m)
        )
        for p in partnerships
        for m in range(1, 4)
    )
    return len(partnerships)
