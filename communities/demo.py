"""The communities part of the demo world: communities, needs assessments and needs.

``build(world)`` runs after partnerships' (see ``harambee.demo`` for the contract) and finds
the organisations and partnerships it needs in the world by key. The hand-written world is
made through the services, as a person would through the pages; missing organisations or
partnerships are skipped, so it is safe on any world. It publishes
``world.made("communities")``, ``world.made("assessments")`` and ``world.made("needs")``.
"""

from __future__ import annotations

from datetime import date, timedelta

from communities import services
from communities.models import (
    AssessmentMethod,
    AssessmentStatus,
    AssetKind,
    Community,
    CommunityAsset,
    Need,
    NeedsAssessment,
    NeedStatus,
    ParticipantCount,
    ValidationMethod,
)
from harambee.bulk import bulk_insert
from harambee.demo import World, insert_returning_objects, translated
from partnerships.models import Organisation, Partnership

COMMUNITIES = [
    {
        "key": "mnarani",
        "organisation": "tunza",
        "partnership": "maize-prices",
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
        "key": "pikine-est",
        "organisation": "sahel-women",
        "partnership": "literacy-circles",
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
        "key": "ccorca",
        "organisation": "andes-radio",
        "partnership": "quechua-voice",
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


def build(world: World) -> None:
    """The three hand-written communities, or one community per ten ``world.scale``
    partnerships."""
    if world.scale:
        build_scale(world)
    else:
        build_demo_communities(world)


# --- the hand-written world ------------------------------------------------------------------


def build_demo_communities(world: World) -> list[Community]:
    """Three communities (Kenya, Senegal, Peru), each with a validated assessment of a public
    demo partnership, small participant cells, ranked needs, assets, representatives, and
    one draft assessment in the first. Returns the communities made."""
    made: dict[str, Community] = {}
    for spec in COMMUNITIES:
        organisation = world.organisations.get(spec["organisation"])
        partnership = world.partnerships.get(spec["partnership"])
        if organisation is None or partnership is None or not partnership.is_public:
            continue
        community = services.community_create(
            by=None, organisation=organisation, **spec["community"]
        )
        for name, role, phone in spec["representatives"]:
            services.representative_add(community=community, name=name, role=role, phone=phone)
        assessment = _validated_assessment(spec, community, organisation, partnership, world)
        made[spec["key"]] = world.made("communities")[spec["key"]] = community
        _publish(world, spec["key"], assessment)
    first = COMMUNITIES[0]
    if first["key"] in made:
        organisation = world.organisations[first["organisation"]]
        draft = _draft_assessment(made[first["key"]], organisation, world)
        _publish(world, f"{first['key']}-follow-up", draft)
    return list(made.values())


def _publish(world: World, key: str, assessment: NeedsAssessment) -> None:
    world.made("assessments")[key] = assessment
    for need in assessment.needs.all():
        world.made("needs")[f"{key}-{need.priority_rank}"] = need


def assessment_date(partnership: Partnership | None, today: date, days_after_start: int) -> date:
    """When a demo assessment was held: around the partnership's start (its first milestone
    is the community meetings on needs), never in the future."""
    start = partnership.actual_start if partnership and partnership.actual_start else today
    return min(start + timedelta(days=days_after_start), today)


def _validated_assessment(spec, community, organisation, partnership, world) -> NeedsAssessment:
    assessment = services.assessment_create(
        by=None,
        community=community,
        partnership=partnership,
        title=f"Needs assessment in {community.name}",
        date=assessment_date(partnership, world.today, 30),
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
    return services.assessment_validate(
        assessment=assessment,
        validation_method=ValidationMethod.COMMUNITY_MEETING,
        validated_on=validation_date(assessment.date, world.today),
    )


def validation_date(held: date, today: date) -> date:
    """When the community confirmed a demo assessment: at a meeting two weeks after it was
    held, never in the future."""
    return min(held + timedelta(days=14), today)


def _draft_assessment(community: Community, organisation: Organisation, world) -> NeedsAssessment:
    assessment = services.assessment_create(
        by=None,
        community=community,
        title=f"Follow-up meeting in {community.name}",
        date=world.today - timedelta(days=10),
        method="key_informants",
        facilitating_organisation=organisation,
        language="sw",
    )
    services.need_add(
        assessment=assessment, title="Solar charging at the market", severity="moderate"
    )
    return assessment


# --- benchmark scale -------------------------------------------------------------------------

PARTNERSHIPS_PER_COMMUNITY = 10
# The languages communities in each generated country speak (ISO 639), the first used in
# their assessments.
SCALE_LANGUAGES = {
    "KE": "sw,en",
    "UG": "lg,en",
    "TZ": "sw",
    "RW": "rw,fr",
    "SN": "wo,fr",
    "GH": "tw,en",
    "PE": "quz,es",
    "CO": "es",
    "IN": "hi",
    "BD": "bn",
    "NP": "ne",
    "MZ": "pt",
}
SCALE_NEEDS = [
    # title, severity, groups affected
    ("Market prices by SMS in the local language", "high", ["women", "poorest"]),
    ("A place to charge phones", "moderate", ["everyone"]),
    ("Teachers trained to use the school computers", "high", ["children", "youth"]),
    ("Affordable mobile data", "critical", ["poorest", "youth"]),
    ("A health advice line for remote villages", "high", ["elderly", "women"]),
    ("Broken water points reported to someone who fixes them", "critical", ["women"]),
    ("Public notices in audio and sign language", "moderate", ["disabilities"]),
    ("Radio programmes in the minority language", "moderate", ["minority_language"]),
    ("Using mobile money safely", "high", ["women", "elderly"]),
    ("Digital skills that lead to paid work", "high", ["youth"]),
]
SCALE_ASSETS = [
    (AssetKind.ORGANISATIONS, "Savings groups that meet every week"),
    (AssetKind.DEVICES, "Most households own a basic phone"),
    (AssetKind.INFRASTRUCTURE, "A community radio station"),
    (AssetKind.SKILLS, "Young people who repair phones"),
    (AssetKind.CONNECTIVITY, "Mobile coverage at the market"),
]
SCALE_METHODS = [m for m in AssessmentMethod.values if m != AssessmentMethod.OTHER]


def build_scale(world: World) -> None:
    """One community per ten partnerships of ``world.partnerships``, each worked with by the
    lead of a public partnership and with one to three validated assessments of public
    partnerships (every fourth with a draft too), participant counts in three dimensions
    with small cells, and three to five needs each; a fixed number of set-based inserts."""
    homes = [(key, p) for key, p in world.partnerships.items() if p.is_public]
    if not homes:
        return
    count = -(-world.scale // PARTNERSHIPS_PER_COMMUNITY)  # rounded up
    first = Community.objects.count()
    chosen = [homes[i % len(homes)] for i in range(count)]
    organisations = [world.organisations[world.leads[key]] for key, _p in chosen]
    communities = insert_returning_objects(
        Community, [_scale_community(world, first + i, p) for i, (_k, p) in enumerate(chosen)]
    )
    world.made("communities").update((c.slug, c) for c in communities)
    bulk_insert(
        Community.organisations.through,
        [
            {"community_id": c.pk, "organisation_id": o.pk}
            for c, o in zip(communities, organisations, strict=True)
        ],
    )
    plans = [
        plan
        for i, (c, o, (_k, home)) in enumerate(zip(communities, organisations, chosen, strict=True))
        for plan in _scale_plans(world, c, o, home, homes, draft=i % 4 == 0)
    ]
    _scale_assessments(world, plans)


def _scale_community(world: World, number: int, home: Partnership) -> dict:
    country = home.recipient_countries[0].code
    return {
        "slug": f"bench-community-{number}",
        "name": f"Benchmark community {number}",
        "country": country,
        "admin_area": "",
        "latitude": None,
        "longitude": None,
        "population_estimate": world.random.randint(300, 20000),
        "languages": SCALE_LANGUAGES.get(country, "en"),
        **translated(description="Generated for benchmarks."),
    }


def _scale_plans(world, community, organisation, home, homes, *, draft: bool) -> list[dict]:
    """The assessments of one community: validated ones (the first of its home partnership,
    the others of any public one), then perhaps a draft follow-up without a partnership."""
    others = [world.random.choice(homes)[1] for _ in range(world.random.randint(0, 2))]
    plans = [
        _scale_assessment(world, community, organisation, p, j, AssessmentStatus.VALIDATED)
        for j, p in enumerate([home, *others], start=1)
    ]
    if draft:
        plans.append(
            _scale_assessment(world, community, organisation, None, 0, AssessmentStatus.DRAFT)
        )
    return plans


def _scale_assessment(world, community, organisation, partnership, number, status) -> dict:
    validated = status == AssessmentStatus.VALIDATED
    title = (
        f"Needs assessment {number} in {community.name}"
        if validated
        else (f"Follow-up meeting in {community.name}")
    )
    when = assessment_date(partnership, world.today, world.random.randint(-60, 60))
    return {
        "key": f"{community.slug}-{number if validated else 'follow-up'}",
        "community_id": community.pk,
        "partnership_id": partnership.pk if partnership else None,
        **translated(title=title),
        "date": when if validated else world.today - timedelta(days=world.random.randint(1, 30)),
        "validation_method": ValidationMethod.COMMUNITY_MEETING if validated else "",
        "validated_on": validation_date(when, world.today) if validated else None,
        "method": world.random.choice(SCALE_METHODS),
        "facilitating_organisation_id": organisation.pk,
        "led_by_community": world.random.random() < 0.5,
        "language": community.languages.split(",")[0],
        "consent_recorded": validated,
        "status": status,
        "participants_total": world.random.randint(18, 90),
        "internal_notes": "Generated for benchmarks; never published.",
        "created_by": None,
    }


def _scale_assessments(world: World, plans: list[dict]) -> None:
    keys = [plan.pop("key") for plan in plans]
    assessments = insert_returning_objects(NeedsAssessment, plans)
    world.made("assessments").update(zip(keys, assessments, strict=True))
    bulk_insert(ParticipantCount, [row for a in assessments for row in _scale_counts(world, a)])
    needs = {
        f"{key}-{row['priority_rank']}": row
        for key, assessment in zip(keys, assessments, strict=True)
        for row in _scale_needs(world, assessment)
    }
    made = insert_returning_objects(Need, list(needs.values()))
    world.made("needs").update(zip(needs, made, strict=True))
    firsts: dict[int, NeedsAssessment] = {}
    for assessment in assessments:
        if assessment.status == AssessmentStatus.VALIDATED:
            firsts.setdefault(assessment.community_id, assessment)
    bulk_insert(CommunityAsset, [_scale_asset(world, a) for a in firsts.values()])


def _scale_counts(world: World, assessment: NeedsAssessment) -> list[dict]:
    """Sex, age group and disability cells that add up to the total, with the small cells
    (older people, people with a disability) that publication must suppress."""
    rng, total = world.random, assessment.participants_total
    female = rng.randint(total // 3, 2 * total // 3)
    youth = rng.randint(5, total // 3)
    older = rng.randint(1, 4)  # published as "<5"
    disabled = rng.randint(1, 6)  # a sensitive dimension: published as "<10"
    cells = {
        ("sex", "female"): female,
        ("sex", "male"): total - female,
        ("age_group", "youth"): youth,
        ("age_group", "adults"): total - youth - older,
        ("age_group", "older"): older,
        ("disability", "with_disability"): disabled,
        ("disability", "without_disability"): total - disabled,
    }
    return [
        {"assessment_id": assessment.pk, "dimension": d, "category": c, "count": n}
        for (d, c), n in cells.items()
    ]


def _scale_needs(world: World, assessment: NeedsAssessment) -> list[dict]:
    picked = world.random.sample(SCALE_NEEDS, world.random.randint(3, 5))
    return [
        {
            "assessment_id": assessment.pk,
            **translated(title=title, description=""),
            "sector_id": None,
            "priority_rank": rank,
            "severity": severity,
            "groups_affected": groups,
            "people_affected": world.random.choice([None, world.random.randint(20, 3000)]),
            "status": NeedStatus.OPEN,
        }
        for rank, (title, severity, groups) in enumerate(picked, start=1)
    ]


def _scale_asset(world: World, assessment: NeedsAssessment) -> dict:
    kind, title = world.random.choice(SCALE_ASSETS)
    return {
        "community_id": assessment.community_id,
        "assessment_id": assessment.pk,
        "kind": kind,
        **translated(title=title, description=""),
    }
