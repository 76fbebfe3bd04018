"""Demo communities for the demo world (called after partnerships' ``build_demo_world``).

Everything is made through the services, as a person would through the pages. Each
community is worked with by a demo organisation and linked to a public demo
partnership; missing organisations or partnerships are skipped, so the function is
safe on any database.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from communities import services
from communities.models import Community, NeedsAssessment
from partnerships.management.commands.seed_demo import ORGANISATIONS
from partnerships.models import Organisation, Partnership

_NAMES = {key: name for key, name, *_rest in ORGANISATIONS}

COMMUNITIES = [
    {
        "organisation": "tunza",
        "partnership": "Community radio and SMS for maize prices",
        "community": {
            "name": "Mnarani village",
            "country": "KE",
            "admin_area": "Kilifi County",
            "languages": "sw,nyf",
            "population_estimate": 4200,
            "latitude": "-3.6561",
            "longitude": "39.8507",
            "description": "Smallholder maize farmers on the creek, most selling to middlemen.",
        },
        "representatives": [
            ("Mama Zawadi Charo", "Women's farmer group chair", "+254 700 000 101")
        ],
        "method": "community_meeting",
        "language": "sw",
        "total": 46,
        "counts": {
            ("sex", "female"): 29,
            ("sex", "male"): 17,
            ("age_group", "youth"): 11,
            ("age_group", "adults"): 31,
            ("age_group", "older"): 4,  # small: published as "<5"
            ("disability", "with_disability"): 3,  # sensitive: published as "<10"
            ("disability", "without_disability"): 43,
        },
        "needs": [
            ("Daily maize prices in Swahili by SMS", "high", ["women", "poorest"], 900),
            ("A radio call-in slot at harvest time", "moderate", ["everyone"], None),
            ("Storage so farmers are not forced to sell", "critical", ["poorest"], 600),
        ],
        "assets": [
            ("organisations", "Women's farmer groups meeting weekly"),
            ("devices", "Most households own a basic phone"),
        ],
    },
    {
        "organisation": "sahel-women",
        "partnership": "Women's digital literacy circles",
        "community": {
            "name": "Pikine Est",
            "country": "SN",
            "admin_area": "Dakar region",
            "languages": "wo,fr",
            "description": "Peri-urban neighbourhood; many women run small trades.",
        },
        "representatives": [("Awa Diop", "Neighbourhood association", "+221 77 000 0202")],
        "method": "focus_group",
        "language": "wo",
        "total": 24,
        "counts": {
            ("sex", "female"): 22,
            ("sex", "male"): 2,  # small
            ("wealth_group", "poorest"): 9,
            ("wealth_group", "poor"): 12,
            ("wealth_group", "middle"): 3,  # small
        },
        "needs": [
            ("Confidence to use mobile money safely", "high", ["women"], 300),
            ("Training in Wolof, not only French", "high", ["women", "minority_language"], 300),
            ("Childcare during training sessions", "moderate", ["women", "children"], None),
        ],
        "assets": [("skills", "Tontine savings groups keep written accounts")],
    },
    {
        "organisation": "andes-radio",
        "partnership": "Quechua-language farm advice by voice",
        "community": {
            "name": "Comunidad de Ccorca",
            "country": "PE",
            "admin_area": "Cusco",
            "languages": "quz,es",
            "description": "Highland farming community; Quechua is the first language.",
        },
        "representatives": [("Juan Quispe Huamán", "Presidente comunal", "+51 984 000 303")],
        "method": "participatory_mapping",
        "language": "quz",
        "total": 38,
        "counts": {
            ("sex", "female"): 18,
            ("sex", "male"): 20,
            ("age_group", "youth"): 6,
            ("age_group", "adults"): 28,
            ("age_group", "older"): 4,  # small
        },
        "needs": [
            ("Advice on frost and planting dates in Quechua", "critical", ["everyone"], 1100),
            ("A way to ask the agronomist a question", "high", ["elderly"], None),
        ],
        "assets": [("infrastructure", "Community radio reaches every hamlet")],
    },
]


@transaction.atomic
def build_demo_communities() -> list[Community]:
    """Three communities (Kenya, Senegal, Peru), each with a validated assessment of a public
    demo partnership, small participant cells, ranked needs, assets, representatives, and
    one draft assessment in the first. Returns the communities made."""
    today = timezone.localdate()
    made = []
    for spec in COMMUNITIES:
        organisation = Organisation.objects.filter(name=_NAMES.get(spec["organisation"])).first()
        partnership = Partnership.objects.public().filter(title=spec["partnership"]).first()
        if organisation is None or partnership is None:
            continue
        community = services.community_create(
            by=None, organisation=organisation, **spec["community"]
        )
        for name, role, phone in spec["representatives"]:
            services.representative_add(community=community, name=name, role=role, phone=phone)
        _validated_assessment(spec, community, organisation, partnership, today)
        made.append(community)
    if made:
        _draft_assessment(made[0], today)
    return made


def _validated_assessment(spec, community, organisation, partnership, today) -> NeedsAssessment:
    assessment = services.assessment_create(
        by=None,
        community=community,
        partnership=partnership,
        title=f"Needs assessment in {community.name}",
        date=today - timedelta(days=300),
        method=spec["method"],
        facilitating_organisation=organisation,
        language=spec["language"],
        led_by_community=True,
        consent_recorded=True,
        internal_notes="Demo: internal notes are never published.",
    )
    services.assessment_set_participants(
        assessment=assessment, total=spec["total"], counts=spec["counts"]
    )
    for rank, (title, severity, groups, people) in enumerate(spec["needs"], start=1):
        services.need_add(
            assessment=assessment,
            title=title,
            severity=severity,
            priority_rank=rank,
            groups_affected=groups,
            people_affected=people,
        )
    for kind, title in spec["assets"]:
        services.asset_add(community=community, assessment=assessment, kind=kind, title=title)
    services.assessment_submit(assessment=assessment)
    return services.assessment_validate(assessment=assessment)


def _draft_assessment(community: Community, today) -> NeedsAssessment:
    assessment = services.assessment_create(
        by=None,
        community=community,
        title=f"Follow-up meeting in {community.name}",
        date=today - timedelta(days=10),
        method="key_informants",
        facilitating_organisation=community.organisations.first(),
        language="sw",
    )
    services.need_add(
        assessment=assessment, title="Solar charging at the market", severity="moderate"
    )
    return assessment
