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
from harambee.services import save_changes
from partnerships.demo import in_four_languages
from partnerships.models import Organisation, Partnership

# "written_in" is the language the facilitating organisation wrote the community, its
# assessments, needs and assets in (the others are translations).
COMMUNITIES = [
    {
        "key": "mnarani",
        "organisation": "tunza",
        "partnership": "maize-prices",
        "written_in": "sw",
        "community": {
            "name": "Mnarani village",
            "country": "KE",
            "admin_area": "Kilifi County",
            "languages": "sw,nyf",
            "population_estimate": 4200,
            "latitude": "-3.6561",
            "longitude": "39.8507",
        },
        "description": {
            "sw": "Wakulima wadogo wa mahindi kando ya kijito; wengi wao huuza mavuno yao kwa "
            "madalali.",
            "en": "Smallholder maize farmers on the creek, most selling to middlemen.",
            "fr": "Petits producteurs de maïs installés le long de la crique ; la plupart vendent "
            "leur récolte à des intermédiaires.",
            "es": "Pequeños productores de maíz a orillas del estero; la mayoría vende su cosecha "
            "a intermediarios.",
        },
        "representatives": [
            ("Mama Zawadi Charo", "Women's farmer group chair", "+254 700 000 101")
        ],
        "assessment_title": {
            "sw": "Tathmini ya mahitaji ya kijiji cha Mnarani",
            "en": "Needs assessment in Mnarani village",
            "fr": "Évaluation des besoins du village de Mnarani",
            "es": "Diagnóstico de necesidades en la aldea de Mnarani",
        },
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
            # title, description, severity, groups affected, people affected
            (
                {
                    "sw": "Bei za mahindi za kila siku kwa SMS, kwa Kiswahili",
                    "en": "Daily maize prices in Swahili by SMS",
                    "fr": "Le prix du maïs chaque jour par SMS, en swahili",
                    "es": "Precios diarios del maíz por SMS, en suajili",
                },
                {
                    "sw": "Wakulima wanataka kujua bei ya mahindi katika masoko ya Kilifi na "
                    "Mariakani kabla madalali hawajafika shambani.",
                    "en": "Farmers want to know the maize price at the Kilifi and Mariakani "
                    "markets before the middlemen reach the farm.",
                    "fr": "Les agriculteurs veulent connaître le prix du maïs sur les marchés de "
                    "Kilifi et de Mariakani avant que les intermédiaires n'arrivent au champ.",
                    "es": "Los agricultores quieren saber el precio del maíz en los mercados de "
                    "Kilifi y Mariakani antes de que los intermediarios lleguen a la finca.",
                },
                "high",
                ["women", "poorest"],
                900,
            ),
            (
                {
                    "sw": "Kipindi cha redio cha kupiga simu wakati wa mavuno",
                    "en": "A radio call-in slot at harvest time",
                    "fr": "Une émission de radio avec appels des auditeurs au moment de la récolte",
                    "es": "Un espacio radial con llamadas del público en época de cosecha",
                },
                {
                    "sw": "Wakati wa mavuno, wakulima wangependa kuuliza maswali hewani na "
                    "kusikia jinsi majirani zao wanavyouza.",
                    "en": "At harvest, farmers would like to ask their questions on air and hear "
                    "how their neighbours are selling.",
                    "fr": "À la récolte, les agriculteurs aimeraient poser leurs questions à "
                    "l'antenne et entendre comment leurs voisins vendent.",
                    "es": "En la cosecha, los agricultores quieren hacer sus preguntas al aire y "
                    "saber cómo venden sus vecinos.",
                },
                "moderate",
                ["everyone"],
                None,
            ),
            (
                {
                    "sw": "Maghala ili wakulima wasilazimike kuuza mapema",
                    "en": "Storage so farmers are not forced to sell",
                    "fr": "Des lieux de stockage pour ne plus être obligés de vendre",
                    "es": "Almacenes para que los agricultores no se vean obligados a vender",
                },
                {
                    "sw": "Bila mahali salama pa kuhifadhi mahindi, familia maskini huuza mara "
                    "tu baada ya kuvuna, wakati bei iko chini kabisa.",
                    "en": "Without a safe place to store maize, the poorest families sell "
                    "straight after harvest, when the price is at its lowest.",
                    "fr": "Faute d'endroit sûr pour stocker le maïs, les familles les plus "
                    "pauvres vendent juste après la récolte, quand les prix sont au plus bas.",
                    "es": "Sin un lugar seguro donde guardar el maíz, las familias más pobres "
                    "venden justo después de la cosecha, cuando el precio está más bajo.",
                },
                "critical",
                ["poorest"],
                600,
            ),
        ],
        "assets": [
            (
                "organisations",
                {
                    "sw": "Vikundi vya wakulima wanawake vinavyokutana kila wiki",
                    "en": "Women's farmer groups meeting weekly",
                    "fr": "Des groupements d'agricultrices qui se réunissent chaque semaine",
                    "es": "Grupos de agricultoras que se reúnen cada semana",
                },
            ),
            (
                "devices",
                {
                    "sw": "Kaya nyingi zina simu ya kawaida",
                    "en": "Most households own a basic phone",
                    "fr": "La plupart des foyers ont un téléphone simple",
                    "es": "La mayoría de los hogares tiene un teléfono básico",
                },
            ),
        ],
    },
    {
        "key": "pikine-est",
        "organisation": "sahel-women",
        "partnership": "literacy-circles",
        "written_in": "fr",
        "community": {
            "name": "Pikine Est",
            "country": "SN",
            "admin_area": "Dakar region",
            "languages": "wo,fr",
        },
        "description": {
            "fr": "Quartier périurbain de la banlieue de Dakar ; beaucoup de femmes y tiennent "
            "un petit commerce.",
            "en": "Peri-urban neighbourhood on the edge of Dakar; many women run small trades.",
            "es": "Barrio periurbano en las afueras de Dakar; muchas mujeres tienen un pequeño "
            "comercio.",
            "sw": "Mtaa ulio pembezoni mwa jiji la Dakar; wanawake wengi huendesha biashara "
            "ndogondogo.",
        },
        "representatives": [("Awa Diop", "Neighbourhood association", "+221 77 000 0202")],
        "assessment_title": {
            "fr": "Évaluation des besoins à Pikine Est",
            "en": "Needs assessment in Pikine Est",
            "es": "Diagnóstico de necesidades en Pikine Est",
            "sw": "Tathmini ya mahitaji katika mtaa wa Pikine Est",
        },
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
            (
                {
                    "fr": "Oser utiliser le mobile money sans risque",
                    "en": "Confidence to use mobile money safely",
                    "es": "Confianza para usar el dinero móvil con seguridad",
                    "sw": "Ujasiri wa kutumia pesa kwa simu kwa usalama",
                },
                {
                    "fr": "Beaucoup de femmes confient leur téléphone à un proche pour envoyer "
                    "de l'argent, et certaines en ont déjà perdu à cause d'arnaques par SMS.",
                    "en": "Many women hand their phone to a relative to send money, and some "
                    "have already lost money to SMS scams.",
                    "es": "Muchas mujeres dejan su teléfono a un familiar para enviar dinero, y "
                    "algunas ya han perdido dinero por estafas por SMS.",
                    "sw": "Wanawake wengi humpa ndugu simu yao ili awatumie pesa, na baadhi yao "
                    "wameshapoteza pesa kwa utapeli wa SMS.",
                },
                "high",
                ["women"],
                300,
            ),
            (
                {
                    "fr": "Des formations en wolof, pas seulement en français",
                    "en": "Training in Wolof, not only French",
                    "es": "Formación en wolof, no solo en francés",
                    "sw": "Mafunzo kwa Kiwolof, si kwa Kifaransa pekee",
                },
                {
                    "fr": "Les femmes qui n'ont pas été scolarisées en français décrochent quand "
                    "la formation n'est donnée que dans cette langue.",
                    "en": "Women who did not go to school in French drop out when training is "
                    "given only in that language.",
                    "es": "Las mujeres que no fueron a la escuela en francés abandonan cuando la "
                    "formación se imparte solo en ese idioma.",
                    "sw": "Wanawake ambao hawakusoma kwa Kifaransa huacha mafunzo yanapotolewa "
                    "kwa lugha hiyo pekee.",
                },
                "high",
                ["women", "minority_language"],
                300,
            ),
            (
                {
                    "fr": "Une garde d'enfants pendant les séances",
                    "en": "Childcare during training sessions",
                    "es": "Cuidado de los niños durante las sesiones",
                    "sw": "Malezi ya watoto wakati wa vipindi vya mafunzo",
                },
                {
                    "fr": "Les mères ne peuvent venir aux séances que si quelqu'un garde les "
                    "jeunes enfants à côté.",
                    "en": "Mothers can come to the sessions only if someone looks after the "
                    "small children nearby.",
                    "es": "Las madres solo pueden asistir a las sesiones si alguien cuida de los "
                    "niños pequeños cerca.",
                    "sw": "Akina mama wanaweza kuhudhuria vipindi tu ikiwa kuna mtu wa "
                    "kuwaangalia watoto wadogo karibu.",
                },
                "moderate",
                ["women", "children"],
                None,
            ),
        ],
        "assets": [
            (
                "skills",
                {
                    "fr": "Les tontines tiennent des comptes écrits",
                    "en": "Tontine savings groups keep written accounts",
                    "es": "Los grupos de ahorro rotativo (tontinas) llevan cuentas por escrito",
                    "sw": "Vikundi vya akiba vya mzunguko (tontine) hutunza hesabu kwa maandishi",
                },
            )
        ],
    },
    {
        "key": "ccorca",
        "organisation": "andes-radio",
        "partnership": "quechua-voice",
        "written_in": "es",
        "community": {
            "name": "Comunidad de Ccorca",
            "country": "PE",
            "admin_area": "Cusco",
            "languages": "quz,es",
        },
        "description": {
            "es": "Comunidad campesina de las alturas de Cusco; el quechua es la lengua materna.",
            "en": "Highland farming community; Quechua is the first language.",
            "fr": "Communauté paysanne des hauts plateaux ; le quechua est la langue maternelle.",
            "sw": "Jamii ya wakulima wa nyanda za juu; Kikechua ndiyo lugha ya kwanza.",
        },
        "representatives": [("Juan Quispe Huamán", "Presidente comunal", "+51 984 000 303")],
        "assessment_title": {
            "es": "Diagnóstico de necesidades en la comunidad de Ccorca",
            "en": "Needs assessment in the community of Ccorca",
            "fr": "Évaluation des besoins dans la communauté de Ccorca",
            "sw": "Tathmini ya mahitaji katika jamii ya Ccorca",
        },
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
            (
                {
                    "es": "Avisos de heladas y fechas de siembra en quechua",
                    "en": "Advice on frost and planting dates in Quechua",
                    "fr": "Des conseils sur le gel et les dates de semis, en quechua",
                    "sw": "Ushauri kuhusu baridi kali na tarehe za kupanda, kwa Kikechua",
                },
                {
                    "es": "Las heladas tardías arruinaron dos campañas de papa; las familias "
                    "necesitan el pronóstico a tiempo y en su idioma.",
                    "en": "Late frosts ruined two potato harvests; families need the forecast "
                    "in time and in their own language.",
                    "fr": "Des gelées tardives ont ruiné deux récoltes de pommes de terre ; les "
                    "familles ont besoin des prévisions à temps et dans leur langue.",
                    "sw": "Baridi kali iliyochelewa iliharibu mavuno mawili ya viazi; familia "
                    "zinahitaji utabiri wa hali ya hewa mapema na kwa lugha yao wenyewe.",
                },
                "critical",
                ["everyone"],
                1100,
            ),
            (
                {
                    "es": "Una forma de hacerle preguntas al agrónomo",
                    "en": "A way to ask the agronomist a question",
                    "fr": "Un moyen de poser une question à l'agronome",
                    "sw": "Njia ya kumuuliza mtaalamu wa kilimo swali",
                },
                {
                    "es": "Los mayores no leen ni escriben mensajes; quieren dejar su pregunta "
                    "de viva voz y escuchar la respuesta.",
                    "en": "Older people do not read or write messages; they want to leave a "
                    "spoken question and hear the answer.",
                    "fr": "Les anciens ne lisent ni n'écrivent de messages ; ils veulent laisser "
                    "leur question de vive voix et entendre la réponse.",
                    "sw": "Wazee hawasomi wala kuandika ujumbe; wanataka kuacha swali lao kwa "
                    "sauti na kusikia jibu.",
                },
                "high",
                ["elderly"],
                None,
            ),
        ],
        "assets": [
            (
                "infrastructure",
                {
                    "es": "La radio comunitaria llega a todos los anexos",
                    "en": "Community radio reaches every hamlet",
                    "fr": "La radio communautaire atteint chaque hameau",
                    "sw": "Redio ya jamii inafika kila kitongoji",
                },
            )
        ],
    },
]

# The draft follow-up in the first community, written in its language.
FOLLOW_UP = {
    "title": {
        "sw": "Mkutano wa ufuatiliaji katika kijiji cha Mnarani",
        "en": "Follow-up meeting in Mnarani village",
        "fr": "Réunion de suivi au village de Mnarani",
        "es": "Reunión de seguimiento en la aldea de Mnarani",
    },
    "need": {
        "sw": "Kuchaji simu kwa nishati ya jua sokoni",
        "en": "Solar charging at the market",
        "fr": "Recharge solaire des téléphones au marché",
        "es": "Carga solar de teléfonos en el mercado",
    },
    "need_description": {
        "sw": "Wafanyabiashara hutembea hadi mjini kuchaji simu zao; kituo cha kuchaji kwa "
        "nishati ya jua sokoni kingewaokolea muda na pesa.",
        "en": "Traders walk to town to charge their phones; a solar charging point at the "
        "market would save them time and money.",
        "fr": "Les commerçants vont jusqu'en ville pour recharger leur téléphone ; une borne "
        "solaire au marché leur ferait gagner du temps et de l'argent.",
        "es": "Los comerciantes caminan hasta el pueblo para cargar el teléfono; un punto de "
        "carga solar en el mercado les ahorraría tiempo y dinero.",
    },
}


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
            by=None,
            organisation=organisation,
            source_language=spec["written_in"],
            **spec["community"],
            **in_four_languages("description", spec["description"]),
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
        date=assessment_date(partnership, world.today, 30),
        method=spec["method"],
        facilitating_organisation=organisation,
        language=spec["language"],
        led_by_community=True,
        consent_recorded=True,
        internal_notes="Demo: internal notes are never published.",
        source_language=spec["written_in"],
        **in_four_languages("title", spec["assessment_title"]),
    )
    services.assessment_set_participants(
        assessment=assessment, total=spec["total"], counts=spec["counts"]
    )
    for rank, (title, description, severity, groups, people) in enumerate(spec["needs"], 1):
        services.need_add(
            assessment=assessment,
            severity=severity,
            priority_rank=rank,
            groups_affected=groups,
            people_affected=people,
            source_language=spec["written_in"],
            **in_four_languages("title", title),
            **in_four_languages("description", description),
        )
    for kind, title in spec["assets"]:
        _asset(community, assessment, kind, title, spec["written_in"])
    services.assessment_submit(assessment=assessment)
    return services.assessment_validate(
        assessment=assessment,
        validation_method=ValidationMethod.COMMUNITY_MEETING,
        validated_on=validation_date(assessment.date, world.today),
    )


def _asset(community, assessment, kind: str, title: dict[str, str], written_in: str):
    """An asset through the service, which takes its title in one language; the others'
    columns are then filled in as a translator would (English stays in ``title``)."""
    columns = in_four_languages("title", title)
    asset = services.asset_add(
        community=community,
        assessment=assessment,
        kind=kind,
        title=columns.pop("title"),
        source_language=written_in,
    )
    save_changes(asset, columns)
    return asset


def validation_date(held: date, today: date) -> date:
    """When the community confirmed a demo assessment: at a meeting two weeks after it was
    held, never in the future."""
    return min(held + timedelta(days=14), today)


def _draft_assessment(community: Community, organisation: Organisation, world) -> NeedsAssessment:
    assessment = services.assessment_create(
        by=None,
        community=community,
        date=world.today - timedelta(days=10),
        method="key_informants",
        facilitating_organisation=organisation,
        language="sw",
        source_language="sw",
        **in_four_languages("title", FOLLOW_UP["title"]),
    )
    services.need_add(
        assessment=assessment,
        severity="moderate",
        source_language="sw",
        **in_four_languages("title", FOLLOW_UP["need"]),
        **in_four_languages("description", FOLLOW_UP["need_description"]),
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
