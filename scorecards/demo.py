"""The scorecards part of the demo world: outcomes, indicators, readings and evidence.

``build(world)`` runs after communities' (see ``harambee.demo`` for the contract) and
finds what it needs by key: the partnerships ``maize-prices`` and ``literacy-circles``,
their organisations, the demo logins, and the needs ``world.made("needs")`` published
(``mnarani-1``...). Missing pieces are skipped.

The hand-written world goes through the services, as people would through the pages:
- Tunza's maize prices partnership (written in Swahili) has four outcomes linked to the
  needs of Mnarani, one of them an unintended negative one that addresses no need, and
  indicators of every measure, cumulative and level, ascending and descending. Mawingu's
  Joseph reports; Amina, Tunza's only staff member, verifies, and what she reports
  herself the Seedling Foundation's Grace verifies. Its readings are in every state
  (draft, submitted, returned with a reason, verified, corrected and superseded, one with
  no value), a target is revised with a reason, and its indicators are on track, at risk,
  off track, achieved, overdue, reported and without data;
- the closed literacy circles (written in French) ended with one target achieved and one
  not, and a need of Pikine Est that no outcome addressed.

Evidence is links and video links only: a demo build writes no files.

``--scale N`` adds about ten indicators and a hundred readings per generated
partnership, set-based (``build_scale``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from communities.models import AssessmentStatus, Need
from harambee.bulk import bulk_insert
from harambee.demo import World, translated
from partnerships import services as partnership_services
from partnerships.codelists import OrganisationRole
from partnerships.demo import in_four_languages
from partnerships.models import MemberRole, Partner, Partnership
from scorecards import demo_history, demo_lessons, services
from scorecards.models import (
    Evidence,
    EvidenceKind,
    Indicator,
    IndicatorMeasure,
    Intention,
    Outcome,
    Reading,
    ReadingStatus,
    ResultType,
    RevisionReason,
    RubricLevel,
    Target,
)
from scorecards.status import add_months


def build(world: World) -> None:
    """The hand-written scorecards, or ``world.scale`` partnerships' worth of rows."""
    if world.scale:
        build_scale(world)
    else:
        build_demo_scorecards(world)
    demo_history.build(world)  # the recheck's last 90 days, once the readings exist
    demo_lessons.build(world)  # lessons of every kind, once outcomes and history exist


# --- dates -----------------------------------------------------------------------------------


def quarter_end(day: date) -> date:
    """The last day of the latest quarter that ends on or before ``day``."""
    month = (day.month - 1) // 3 * 3 + 3
    end = add_months(date(day.year, month, 1), 1) - timedelta(days=1)
    return end if end <= day else add_months(end, -3)


def _moment(day: date) -> datetime:
    """Noon of ``day``, never later than now (demo readings are verified in the past)."""
    noon = timezone.make_aware(datetime.combine(day, time(12)))
    return min(noon, timezone.now())


def _fraction(start: date, end: date, day: date) -> Decimal:
    return Decimal((day - start).days) / Decimal((end - start).days)


def _one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- texts (each in four languages) ----------------------------------------------------------

T = {
    "prices": {
        "sw": "Wakulima wanajua bei ya mahindi ya siku kabla ya kuuza",
        "en": "Farmers know the day's maize price before they sell",
        "fr": "Les agriculteurs connaissent le prix du maïs du jour avant de vendre",
        "es": "Los agricultores conocen el precio del maíz del día antes de vender",
    },
    "prices-description": {
        "sw": "Bei za masoko matatu ya karibu kwa SMS kila asubuhi, kwa Kiswahili.",
        "en": "The prices of the three nearest markets by SMS every morning, in Swahili.",
        "fr": "Les prix des trois marchés les plus proches par SMS chaque matin, en swahili.",
        "es": "Los precios de los tres mercados más cercanos por SMS cada mañana, en suajili.",
    },
    "radio": {
        "sw": "Kipindi cha redio cha kila wiki kinajibu maswali ya wakulima",
        "en": "A weekly radio programme answers farmers' questions",
        "fr": "Une émission de radio hebdomadaire répond aux questions des agriculteurs",
        "es": "Un programa de radio semanal responde a las preguntas de los agricultores",
    },
    "storage": {
        "sw": "Wakulima wanahifadhi mahindi na kuuza bei zinapopanda",
        "en": "Farmers store their maize and sell when prices recover",
        "fr": "Les agriculteurs stockent leur maïs et vendent quand les prix remontent",
        "es": "Los agricultores guardan su maíz y venden cuando los precios se recuperan",
    },
    "middlemen": {
        "sw": "Baadhi ya madalali waliacha kununua kwa wakulima wanaolinganisha bei",
        "en": "Some middlemen stopped buying from farmers who compare prices",
        "fr": "Certains intermédiaires n'achètent plus aux agriculteurs qui comparent les prix",
        "es": "Algunos intermediarios dejaron de comprar a quienes comparan precios",
    },
    "middlemen-description": {
        "sw": "Hatukutarajia hili. Tunalifuatilia na kulijadili na vikundi vya wakulima.",
        "en": "We did not expect this. We track it and discuss it with the farmer groups.",
        "fr": "Nous ne l'avions pas prévu. Nous le suivons et en parlons avec les groupements.",
        "es": "No lo esperábamos. Lo seguimos y lo hablamos con los grupos de agricultores.",
    },
    "farmers-sms": {
        "sw": "Wakulima wanaopokea SMS ya bei ya kila siku",
        "en": "Farmers receiving the daily price SMS",
        "fr": "Agriculteurs qui reçoivent le SMS quotidien des prix",
        "es": "Agricultores que reciben el SMS diario de precios",
    },
    "farmers": {"sw": "wakulima", "en": "farmers", "fr": "agriculteurs", "es": "agricultores"},
    "selling-below": {
        "sw": "Wakulima wanaouza chini ya bei ya soko",
        "en": "Farmers selling below the market price",
        "fr": "Agriculteurs qui vendent en dessous du prix du marché",
        "es": "Agricultores que venden por debajo del precio de mercado",
    },
    "percent": {"sw": "%", "en": "%", "fr": "%", "es": "%"},
    "trust": {
        "sw": "Imani ya wakulima kwa ujumbe wa bei",
        "en": "Farmers' trust in the price messages",
        "fr": "Confiance des agriculteurs dans les messages de prix",
        "es": "Confianza de los agricultores en los mensajes de precios",
    },
    "stories": {
        "sw": "Jinsi wakulima wanawake wanavyoeleza majadiliano yao na madalali",
        "en": "How women farmers describe bargaining with middlemen",
        "fr": "Comment les agricultrices racontent leurs négociations avec les intermédiaires",
        "es": "Cómo cuentan las agricultoras su negociación con los intermediarios",
    },
    "programmes": {
        "sw": "Vipindi vya redio vya kupiga simu vilivyorushwa kwa robo mwaka",
        "en": "Radio call-in programmes aired in the quarter",
        "fr": "Émissions de radio avec appels diffusées dans le trimestre",
        "es": "Programas de radio con llamadas emitidos en el trimestre",
    },
    "programme-unit": {"sw": "vipindi", "en": "programmes", "fr": "émissions", "es": "programas"},
    "officers": {
        "sw": "Maafisa ugani wa kaunti waliofunzwa kutumia bei za SMS",
        "en": "County extension officers trained to use the SMS prices",
        "fr": "Agents de vulgarisation du comté formés aux prix par SMS",
        "es": "Extensionistas del condado formados en los precios por SMS",
    },
    "officer-unit": {"sw": "maafisa", "en": "officers", "fr": "agents", "es": "extensionistas"},
    "board": {
        "sw": "Ubao wa bei unatumika katika soko la Kilifi (1 = ndiyo, 0 = hapana)",
        "en": "A price board is in use at Kilifi market (1 = yes, 0 = no)",
        "fr": "Un tableau des prix est utilisé au marché de Kilifi (1 = oui, 0 = non)",
        "es": "Hay una pizarra de precios en uso en el mercado de Kilifi (1 = sí, 0 = no)",
    },
    "households": {
        "sw": "Kaya zinazotumia ghala la pamoja",
        "en": "Households using the shared maize store",
        "fr": "Foyers qui utilisent le magasin de maïs commun",
        "es": "Hogares que usan el almacén de maíz compartido",
    },
    "household-unit": {"sw": "kaya", "en": "households", "fr": "foyers", "es": "hogares"},
    "refused": {
        "sw": "Wakulima waliokataliwa na madalali baada ya kulinganisha bei",
        "en": "Farmers turned away by middlemen after comparing prices",
        "fr": "Agriculteurs refusés par des intermédiaires après avoir comparé les prix",
        "es": "Agricultores rechazados por intermediarios tras comparar precios",
    },
    "confident": {
        "fr": "Femmes qui envoient de l'argent par mobile seules, sans aide",
        "en": "Women who send mobile money on their own, without help",
        "es": "Mujeres que envían dinero móvil solas, sin ayuda",
        "sw": "Wanawake wanaotuma pesa kwa simu wenyewe, bila msaada",
    },
    "own-phone": {
        "fr": "Les femmes utilisent le mobile money sans confier leur téléphone",
        "en": "Women use mobile money without handing their phone to others",
        "es": "Las mujeres usan el dinero móvil sin dejar su teléfono a otros",
        "sw": "Wanawake wanatumia pesa kwa simu bila kumpa mtu mwingine simu yao",
    },
    "wolof": {
        "fr": "Les cercles d'apprentissage se tiennent en wolof",
        "en": "The learning circles are held in Wolof",
        "es": "Los círculos de aprendizaje se imparten en wolof",
        "sw": "Vikundi vya kujifunza vinaendeshwa kwa Kiwolof",
    },
    "completed": {
        "fr": "Femmes qui ont terminé un cercle d'apprentissage",
        "en": "Women who completed a learning circle",
        "es": "Mujeres que completaron un círculo de aprendizaje",
        "sw": "Wanawake waliomaliza kikundi cha kujifunza",
    },
    "women": {"fr": "femmes", "en": "women", "es": "mujeres", "sw": "wanawake"},
}

TRUST_LEVELS = [
    {
        "sw": ("Hawaamini", "Wakulima hupuuza ujumbe na kuuliza madalali."),
        "en": ("No trust", "Farmers ignore the messages and ask the middlemen."),
        "fr": ("Aucune confiance", "Les agriculteurs ignorent les messages et demandent aux "
               "intermédiaires."),
        "es": ("Ninguna confianza", "Los agricultores ignoran los mensajes y preguntan a los "
               "intermediarios."),
    },
    {
        "sw": ("Wanashuku", "Wakulima husoma ujumbe lakini huhakikisha kwa majirani."),
        "en": ("Doubtful", "Farmers read the messages but check with neighbours first."),
        "fr": ("Méfiants", "Les agriculteurs lisent les messages mais vérifient auprès des "
               "voisins."),
        "es": ("Dudosos", "Los agricultores leen los mensajes pero consultan antes a los "
               "vecinos."),
    },
    {
        "sw": ("Wanaamini kiasi", "Wakulima hutumia bei kujadiliana mara nyingine."),
        "en": ("Some trust", "Farmers use the prices to bargain some of the time."),
        "fr": ("Confiance partielle", "Les agriculteurs s'appuient parfois sur les prix pour "
               "négocier."),
        "es": ("Algo de confianza", "Los agricultores usan los precios para negociar a veces."),
    },
    {
        "sw": ("Wanaamini", "Wakulima hutegemea bei kila wanapouza."),
        "en": ("Trust", "Farmers rely on the prices whenever they sell."),
        "fr": ("Confiance", "Les agriculteurs s'appuient sur les prix à chaque vente."),
        "es": ("Confianza", "Los agricultores se basan en los precios cada vez que venden."),
    },
    {
        "sw": ("Wanaamini na kushirikisha", "Wakulima hutegemea bei na kuwaambia wengine."),
        "en": ("Trust and share", "Farmers rely on the prices and pass them on to others."),
        "fr": ("Confiance et partage", "Les agriculteurs s'appuient sur les prix et les "
               "transmettent."),
        "es": ("Confianza y difusión", "Los agricultores se basan en los precios y los "
               "comparten."),
    },
]  # fmt: skip


def _texts(field: str, key: str) -> dict[str, str]:
    return in_four_languages(field, T[key])


def _levels() -> list[dict]:
    levels = []
    for number, texts in enumerate(TRUST_LEVELS, start=1):
        label = in_four_languages("label", {code: pair[0] for code, pair in texts.items()})
        description = in_four_languages(
            "description", {code: pair[1] for code, pair in texts.items()}
        )
        levels.append({"number": number, **label, **description})
    return levels


# --- the hand-written world ------------------------------------------------------------------


class _Cast:
    """Who reports and who verifies in a partnership."""

    def __init__(self, reporter, verifier, lead_reporter=None, lead_verifier=None):
        self.reporter, self.verifier = reporter, verifier
        self.lead_reporter = lead_reporter or reporter
        self.lead_verifier = lead_verifier or verifier


def build_demo_scorecards(world: World) -> None:
    """The maize prices and literacy circles scorecards (see the module docstring)."""
    maize = world.partnerships.get("maize-prices")
    if maize is not None and {"lead", "staff", "funder"} <= set(world.users):
        _maize_prices(world, maize)
    literacy = world.partnerships.get("literacy-circles")
    if literacy is not None and "funder" in world.users:
        _literacy_circles(world, literacy)


def _partner(partnership: Partnership, world: World, key: str) -> Partner | None:
    organisation = world.organisations.get(key)
    if organisation is None:
        return None
    return partnership.partners.filter(organisation=organisation).order_by("-is_lead").first()


def _needs(world: World, *keys: str) -> list[Need]:
    made = world.made("needs")
    return [made[key] for key in keys if key in made]


def _report(indicator, cast, end, *, start=None, lead=False, verify=True, backdate=True, **values):
    """A reading taken to verified (or submitted), dated as if it happened at the time."""
    reporter = cast.lead_reporter if lead else cast.reporter
    verifier = cast.lead_verifier if lead else cast.verifier
    evidence = values.pop("evidence", ())
    reading = services.reading_create(
        indicator=indicator,
        by=reporter,
        period_start=start or add_months(end, -indicator.cadence_months) + timedelta(days=1),
        period_end=end,
        **values,
    )
    for piece in evidence:
        services.evidence_add(reading=reading, by=reporter, **piece)
    services.reading_submit(reading=reading, by=reporter)
    if verify:
        services.reading_verify(reading=reading, by=verifier)
    if backdate:
        _backdate(reading, end)
    return reading


def _backdate(reading: Reading, end: date) -> None:
    """Demo readings were submitted ten days after their period and verified ten days
    later, not all today, so trends and the history of dates read true."""
    stored = Reading.objects.get(pk=reading.pk)
    changes = {"submitted_at": _moment(end + timedelta(days=10))}
    if stored.verified_at:
        changes["verified_at"] = _moment(end + timedelta(days=20))
    Reading.objects.filter(pk=reading.pk).update(**changes)


def _maize_prices(world: World, maize: Partnership) -> None:
    today = world.today
    tunza, mawingu = _partner(maize, world, "tunza"), _partner(maize, world, "mawingu")
    county = _partner(maize, world, "kilifi-county") or tunza
    if tunza is None or mawingu is None:
        return
    lead, staff, funder = world.users["lead"], world.users["staff"], world.users["funder"]
    # Joseph (Mawingu) reports and Amina verifies; Amina is Tunza's only staff member, so
    # what she reports herself the Seedling Foundation (the funder) verifies.
    cast = _Cast(staff, lead, lead_reporter=lead, lead_verifier=funder)
    baseline = quarter_end(today - timedelta(days=365))
    final = add_months(baseline, 24)
    ends = []
    end = add_months(baseline, 3)
    while end <= today:
        ends.append(end)
        end = add_months(end, 3)
    made = world.made("outcomes")
    sw = {"source_language": "sw"}
    common = {"baseline_date": baseline, **sw}

    def outcome(key, title, needs, partners, **fields):
        made[key] = services.outcome_create(
            partnership=maize,
            by=lead,
            needs=_needs(world, *needs),
            responsible_partners=[p for p in partners if p],
            **_texts("title", title),
            **sw,
            **fields,
        )
        return made[key]

    prices = outcome(
        "maize-prices", "prices", ["mnarani-1"], [mawingu, tunza],
        **_texts("description", "prices-description"),
    )  # fmt: skip
    radio = outcome("maize-radio", "radio", ["mnarani-2"], [tunza, county], level=ResultType.OUTPUT)
    storage = outcome("maize-storage", "storage", ["mnarani-3"], [tunza], level=ResultType.IMPACT)
    middlemen = outcome(
        "maize-middlemen", "middlemen", [], [tunza],
        intention=Intention.UNINTENDED_NEGATIVE,
        **_texts("description", "middlemen-description"),
    )  # fmt: skip
    indicators = world.made("indicators")
    fraction = _fraction(baseline, final, today)

    # On track: a cumulative count, ascending, the last quarter still waiting for Amina.
    sms = indicators["maize-farmers-sms"] = services.indicator_create(
        outcome=prices,
        measure=IndicatorMeasure.UNIT,
        cumulative=True,
        reporting_partner=mawingu,
        baseline_value=0,
        targets=[{"date": final, "value": 1200}],
        dimensions=["sex"],
        definition="Registered farmers who received at least one price SMS in the quarter.",
        data_source="Mawingu's SMS gateway",
        means_of_verification="Gateway export of delivered messages, by number",
        collection_method="Quarterly export, matched against the farmer register",
        **_texts("title", "farmers-sms"),
        **_texts("unit_label", "farmers"),
        **common,
    )
    total = int((Decimal(1200) * (fraction + Decimal("0.12"))).to_integral_value())
    steps = _split(total, len(ends) - 1)
    for end, step in zip(ends[:-1], steps, strict=True):
        women = step * 3 // 5
        _report(
            sms, cast, end, value=step, people=step,
            disaggregations=[
                {"dimension": "sex", "category": "female", "value": women, "people": women},
                {"dimension": "sex", "category": "male", "value": step - women,
                 "people": step - women},
            ],
            evidence=[{"url": "https://sms.mawingu.example/exports/kilifi", "is_public": True,
                       "title": "Gateway export"}],
        )  # fmt: skip
    _report(sms, cast, ends[-1], value=150, verify=False, comment="Export attached on Monday.")

    # At risk: a percentage that should fall; one quarter corrected (superseded).
    below = indicators["maize-selling-below"] = services.indicator_create(
        outcome=prices,
        measure=IndicatorMeasure.PERCENTAGE,
        higher_is_better=False,
        reporting_partner=mawingu,
        baseline_value=70,
        targets=[{"date": final, "value": 30}],
        dimensions=["sex", "age_group"],
        definition="Share of surveyed farmers who sold below the day's market price.",
        data_source="Market-day survey of 120 farmers",
        **_texts("title", "selling-below"),
        **_texts("unit_label", "percent"),
        **common,
    )
    expected = Decimal(70) - Decimal(40) * fraction
    latest = _one_place(expected + 2)  # short by 2 points: within the band (4 points)
    path = [_one_place(Decimal(70) - (Decimal(70) - latest) * (k + 1) / len(ends))
            for k in range(len(ends))]  # fmt: skip
    for k, (end, value) in enumerate(zip(ends, path, strict=True)):
        extra = _survey_breakdown(value) if k == len(ends) - 1 else {}
        reading = _report(below, cast, end, value=value + (3 if k == 1 else 0), **extra)
        if k == 1:
            correction = services.reading_correct(
                reading=reading,
                by=staff,
                value=value,
                comment="Corrected: two villages were counted twice in the first tally.",
            )
            services.reading_submit(reading=correction, by=staff)
            services.reading_verify(reading=correction, by=lead)

    # Off track: the intangible, trust, on a rubric; reported by Tunza itself.
    trust = indicators["maize-trust"] = services.indicator_create(
        outcome=prices,
        measure=IndicatorMeasure.ORDINAL,
        reporting_partner=tunza,
        baseline_value=2,
        targets=[{"date": final, "value": 4}],
        levels=_levels(),
        cadence_months=6,
        definition="The level most participants of the half-yearly focus group agree on.",
        collection_method="Focus group with the women's farmer groups, every six months",
        **_texts("title", "trust"),
        **common,
    )
    for end in (add_months(baseline, 6), add_months(baseline, 12)):
        _report(
            trust, cast, end, lead=True, level=2,
            narrative="Most farmers still check the price with a neighbour before they sell.",
            evidence=[{"url": "https://tunza.example/focus-groups/notes", "title": "Notes"}],
        )  # fmt: skip

    # Reported: a narrative, the first half-year without a value (floods).
    stories = indicators["maize-stories"] = services.indicator_create(
        outcome=prices,
        measure=IndicatorMeasure.QUALITATIVE,
        reporting_partner=mawingu,
        baseline_value=None,
        targets=[{"date": final, "value": None}],
        cadence_months=6,
        **_texts("title", "stories"),
        **common,
    )
    _report(
        stories, cast, add_months(baseline, 6), value_missing=True,
        comment="The focus group was postponed: floods closed the road to Mnarani.",
    )  # fmt: skip
    _report(
        stories, cast, add_months(baseline, 12),
        narrative="“I showed the SMS to the buyer and he added two shillings a kilo.” Women "
        "say they bargain more, but mostly in groups.",
        evidence=[{"url": "https://video.tunza.example/voices-of-mnarani", "kind": "video",
                   "is_public": True, "title": "Voices of Mnarani"}],
    )  # fmt: skip

    # Achieved, after a revised target (with its reason).
    programmes = indicators["maize-programmes"] = services.indicator_create(
        outcome=radio,
        measure=IndicatorMeasure.UNIT,
        reporting_partner=mawingu,
        baseline_value=0,
        targets=[{"date": final, "value": 12}],
        **_texts("title", "programmes"),
        **_texts("unit_label", "programme-unit"),
        **common,
    )
    for k, end in enumerate(ends):
        _report(programmes, cast, end, value=[4, 7, 9, 11, 11][min(k, 4)])
        if k == 0:
            services.target_change(
                target=programmes.targets.get(),
                by=lead,
                date=final,
                value=10,
                reason=RevisionReason.CONTEXT_CHANGE,
                reason_text="The station cut the farming slot to ten programmes a quarter.",
            )

    # Overdue: the county has not reported since the baseline.
    indicators["maize-officers"] = services.indicator_create(
        outcome=radio,
        measure=IndicatorMeasure.UNIT,
        reporting_partner=county,
        baseline_value=0,
        targets=[{"date": final, "value": 20}],
        **_texts("title", "officers"),
        **_texts("unit_label", "officer-unit"),
        **common,
    )

    # Reported: nominal, not yet equal to its target.
    board = indicators["maize-board"] = services.indicator_create(
        outcome=radio,
        measure=IndicatorMeasure.NOMINAL,
        reporting_partner=mawingu,
        baseline_value=0,
        targets=[{"date": final, "value": 1}],
        **_texts("title", "board"),
        **common,
    )
    _report(board, cast, ends[-1], value=0, comment="The board is built but not updated daily.")

    # No data yet: a new indicator whose first reading was returned, and a draft.
    started = today - timedelta(days=45)
    households = indicators["maize-households"] = services.indicator_create(
        outcome=storage,
        measure=IndicatorMeasure.UNIT,
        reporting_partner=mawingu,
        baseline_value=0,
        baseline_date=started,
        targets=[{"date": final, "value": 150}],
        **_texts("title", "households"),
        **_texts("unit_label", "household-unit"),
        **sw,
    )
    returned = _report(
        households, cast, started + timedelta(days=25), start=started + timedelta(days=1),
        value=12, verify=False, backdate=False,
    )  # fmt: skip
    services.reading_return(
        reading=returned,
        by=lead,
        reason="The sign-up sheet lists 12 households but the store book shows 9. Which is it?",
    )
    services.reading_create(
        indicator=households,
        by=staff,
        period_start=started + timedelta(days=26),
        period_end=today - timedelta(days=1),
        value=14,
    )

    # Off track: the unintended harm, a level to hold at zero (lower is better).
    refused = indicators["maize-refused"] = services.indicator_create(
        outcome=middlemen,
        measure=IndicatorMeasure.UNIT,
        higher_is_better=False,
        reporting_partner=tunza,
        baseline_value=0,
        targets=[{"date": final, "value": 0}],
        **_texts("title", "refused"),
        **_texts("unit_label", "farmers"),
        **common,
    )
    _report(
        refused, cast, ends[-1], lead=True, value=14,
        comment="Reported at the women's group meetings; two buyers named.",
    )  # fmt: skip


def _split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` growing steps (1, 2, 3... shares), adding up exactly."""
    weights = list(range(1, parts + 1))
    steps = [total * w // sum(weights) for w in weights]
    steps[-1] += total - sum(steps)
    return steps


def _survey_breakdown(value: Decimal) -> dict:
    """The market-day survey by sex and age: the older people's group is small, so the
    disclosure control withholds the age breakdown."""
    return {
        "people": 120,
        "disaggregations": [
            {"dimension": "sex", "category": "female", "value": value + 3, "people": 70},
            {"dimension": "sex", "category": "male", "value": value - 4, "people": 50},
            {"dimension": "age_group", "category": "youth", "value": value - 2, "people": 30},
            {"dimension": "age_group", "category": "adults", "value": value, "people": 86},
            {"dimension": "age_group", "category": "older", "value": value + 10, "people": 4},
        ],
    }


AWA = ("awa.ndiaye@demo.harambee.org", "Awa Ndiaye")


def _literacy_circles(world: World, literacy: Partnership) -> None:
    sahel = _partner(literacy, world, "sahel-women")
    if sahel is None or literacy.actual_start is None or literacy.actual_end is None:
        return
    # Awa, the alliance's only staff member on the platform, reported; the Seedling
    # Foundation (the funder) verified, as the maker/checker rule asks then.
    awa = User.objects.create_user(email=AWA[0], password=None, full_name=AWA[1])
    partnership_services.organisation_member_add(
        organisation=sahel.organisation, user=awa, role=MemberRole.STAFF
    )
    world.users["literacy-reporter"] = awa
    cast = _Cast(awa, world.users["funder"])
    baseline = quarter_end(literacy.actual_start + timedelta(days=60))
    final = quarter_end(literacy.actual_end)
    ends = []
    end = add_months(baseline, 6)
    while end <= final:
        ends.append(end)
        end = add_months(end, 6)
    fr = {"source_language": "fr"}
    made, indicators = world.made("outcomes"), world.made("indicators")
    own_phone = made["literacy-own-phone"] = services.outcome_create(
        partnership=literacy,
        by=None,
        needs=_needs(world, "pikine-est-1"),
        responsible_partners=[sahel],
        **_texts("title", "own-phone"),
        **fr,
    )
    wolof = made["literacy-wolof"] = services.outcome_create(
        partnership=literacy,
        by=None,
        level=ResultType.OUTPUT,
        needs=_needs(world, "pikine-est-2"),
        responsible_partners=[sahel],
        **_texts("title", "wolof"),
        **fr,
    )
    common = {"baseline_date": baseline, "reporting_partner": sahel, "cadence_months": 6, **fr}
    confident = indicators["literacy-confident"] = services.indicator_create(
        outcome=own_phone,
        measure=IndicatorMeasure.PERCENTAGE,
        baseline_value=15,
        targets=[{"date": final, "value": 60}],
        **_texts("title", "confident"),
        **_texts("unit_label", "percent"),
        **common,
    )
    completed = indicators["literacy-completed"] = services.indicator_create(
        outcome=wolof,
        measure=IndicatorMeasure.UNIT,
        cumulative=True,
        baseline_value=0,
        targets=[{"date": final, "value": 300}],
        **_texts("title", "completed"),
        **_texts("unit_label", "women"),
        **common,
    )
    # Not achieved: confidence rose, but not to the target. Achieved: the women trained.
    for k, end in enumerate(ends):
        _report(confident, cast, end, value=[20, 28, 35, 41, 46, 48][min(k, 5)])
        _report(completed, cast, end, value=[45, 60, 70, 75, 70, 40][min(k, 5)])


# --- benchmark scale -------------------------------------------------------------------------

SCALE_OUTCOMES = [
    ("Farmers get fair prices", ResultType.OUTCOME, Intention.INTENDED),
    ("People use the new digital service", ResultType.OUTPUT, Intention.INTENDED),
    ("Unexpected costs for the poorest households", ResultType.OUTCOME,
     Intention.UNINTENDED_NEGATIVE),
]  # fmt: skip
# title, measure, cumulative, higher is better, cadence, baseline, final target
SCALE_INDICATORS = [
    ("People trained", IndicatorMeasure.UNIT, True, True, 1, 0, 600),
    ("People reached by SMS", IndicatorMeasure.UNIT, True, True, 1, 0, 2400),
    ("Share of users who are women", IndicatorMeasure.PERCENTAGE, False, True, 3, 30, 50),
    ("Share selling below the market price", IndicatorMeasure.PERCENTAGE, False, False, 3, 70, 30),
    ("Trust in the service", IndicatorMeasure.ORDINAL, False, True, 6, 2, 4),
    ("Working access points", IndicatorMeasure.UNIT, False, True, 1, 2, 20),
    ("Complaints about billing", IndicatorMeasure.UNIT, False, False, 3, 40, 5),
    ("Service running (1 = yes)", IndicatorMeasure.NOMINAL, False, True, 3, 0, 1),
    ("What users say", IndicatorMeasure.QUALITATIVE, False, True, 6, None, None),
    ("Hours of training per person", IndicatorMeasure.UNIT, False, True, 1, 0, 12),
]  # fmt: skip
SCALE_LEVELS = ["None", "Low", "Some", "High", "Full"]
SCALE_PERIODS = 18  # readings per indicator at most: about a hundred per partnership
# Per table one insert of up to this many rows, so the number of queries stays the same
# however many partnerships (benchmarks stay far below it per run).
SCALE_BATCH = 50_000


def build_scale(world: World) -> None:
    """Three outcomes (one unintended) and ten indicators per generated partnership, with
    targets, rubrics and about a hundred readings in every state (a few corrected and
    superseded, some with links), in a fixed number of set-based inserts."""
    partnerships = {p.pk: p for p in world.partnerships.values()}
    if not partnerships:
        return
    partners = _scale_partners(partnerships)
    needs = _scale_needs(partnerships)
    outcomes = _inserted(Outcome, [
        _scale_outcome(p, spec, n)
        for p in partnerships.values() for n, spec in enumerate(SCALE_OUTCOMES)
    ])  # fmt: skip
    _scale_outcome_links(world, outcomes, partners, needs)
    reporting = {o.pk: _reporting(partners[o.partnership_id]) for o in outcomes}
    specs = [(outcome, spec) for outcome in outcomes for spec in _indicators_of(outcome)]
    indicators = _inserted(Indicator, [
        _scale_indicator(world, o, spec, partnerships[o.partnership_id], reporting[o.pk])
        for o, spec in specs
    ])  # fmt: skip
    bulk_insert(
        Target,
        [row for i, (_o, spec) in zip(indicators, specs, strict=True)
         for row in _scale_targets(i, spec)],
        batch_size=SCALE_BATCH,
    )  # fmt: skip
    levels = _inserted(
        RubricLevel,
        [
            {"indicator_id": i.pk, "number": n, **translated(label=label, description=""),
             "source_language": "en"}
            for i in indicators if i.measure == IndicatorMeasure.ORDINAL
            for n, label in enumerate(SCALE_LEVELS, start=1)
        ],
    )  # fmt: skip
    level_of = {(level.indicator_id, level.number): level.pk for level in levels}
    organisation_of = {o_pk: partner.organisation_id for o_pk, partner in reporting.items()}
    _scale_readings(world, indicators, organisation_of, level_of)


def _inserted(model, rows: list[dict]) -> list:
    """Insert rows in one batch and read them back, in order (as harambee.demo's
    ``insert_returning_objects``, with the larger batch)."""
    before = model.objects.aggregate(last=Max("pk"))["last"] or 0
    bulk_insert(model, rows, batch_size=SCALE_BATCH)
    found = list(model.objects.filter(pk__gt=before).order_by("pk"))
    if len(found) != len(rows):
        raise RuntimeError(f"{model.__name__}: inserted {len(rows)} rows, found {len(found)}.")
    return found


def _scale_partners(partnerships: dict[int, Partnership]) -> dict[int, dict[int, Partner]]:
    """Each partnership's partners by IATI role (one query)."""
    by_partnership: dict[int, dict[int, Partner]] = {pk: {} for pk in partnerships}
    rows = Partner.objects.filter(partnership__in=list(partnerships)).order_by("pk")
    for partner in rows:
        by_partnership[partner.partnership_id].setdefault(partner.role, partner)
    return by_partnership


def _scale_needs(partnerships: dict[int, Partnership]) -> dict[int, list[int]]:
    """The needs of validated assessments of each partnership (one query)."""
    needs: dict[int, list[int]] = {pk: [] for pk in partnerships}
    rows = Need.objects.filter(
        assessment__partnership__in=list(partnerships),
        assessment__status=AssessmentStatus.VALIDATED,
    ).values_list("assessment__partnership_id", "pk")
    for partnership_id, need_id in rows.order_by("pk"):
        needs[partnership_id].append(need_id)
    return needs


def _baseline(partnership: Partnership, world: World) -> date:
    start = partnership.actual_start or partnership.planned_start or world.today
    return quarter_end(start + timedelta(days=90))


def _scale_outcome(partnership: Partnership, spec, number: int) -> dict:
    title, level, intention = spec
    return {
        "partnership_id": partnership.pk,
        **translated(title=title, description=""),
        "level": level,
        "intention": intention,
        "order": number + 1,
        "created_by": None,
        "source_language": "en",
    }


def _indicators_of(outcome: Outcome) -> list[tuple]:
    """The ten indicators, shared out: four, four and two to the unintended outcome."""
    first = {1: 0, 2: 4, 3: 8}[outcome.order]
    return SCALE_INDICATORS[first : first + (2 if outcome.order == 3 else 4)]


def _scale_outcome_links(world: World, outcomes, partners, needs) -> None:
    bulk_insert(
        Outcome.responsible_partners.through,
        [
            {"outcome_id": o.pk, "partner_id": partner.pk}
            for o in outcomes
            for partner in list(partners[o.partnership_id].values())[:2]
        ],
        batch_size=SCALE_BATCH,
    )
    links = []
    for outcome in outcomes:
        eligible = needs[outcome.partnership_id]
        if outcome.order < 3 and eligible:  # the unintended one addresses no need
            chosen = world.random.sample(eligible, min(len(eligible), world.random.randint(1, 2)))
            links += [{"outcome_id": outcome.pk, "need_id": need_id} for need_id in chosen]
    bulk_insert(Outcome.needs.through, links, batch_size=SCALE_BATCH)


def _reporting(partners: dict[int, Partner]) -> Partner:
    return (
        partners.get(OrganisationRole.IMPLEMENTING)
        or partners.get(OrganisationRole.ACCOUNTABLE)
        or next(iter(partners.values()))
    )


def _scale_indicator(world: World, outcome: Outcome, spec, partnership, reporting) -> dict:
    title, measure, cumulative, up, cadence, baseline, _final = spec
    return {
        "outcome_id": outcome.pk,
        **translated(
            title=title,
            unit_label="",
            definition="Generated for benchmarks.",
            data_source="",
            means_of_verification="",
            collection_method="",
        ),
        "measure": measure,
        "higher_is_better": up,
        "cumulative": cumulative,
        "baseline_value": None if baseline is None else Decimal(baseline),
        "baseline_date": _baseline(partnership, world),
        "baseline_comment": "",
        "cadence_months": cadence,
        "band": Decimal("0.10"),
        "reporting_partner_id": reporting.pk,
        "dimensions": ["sex"] if measure == IndicatorMeasure.UNIT and cumulative else [],
        "order": SCALE_INDICATORS.index(spec) + 1,
        "source_language": "en",
    }


def _spec_of(indicator: Indicator) -> tuple:
    return SCALE_INDICATORS[indicator.order - 1]


def _scale_targets(indicator: Indicator, spec) -> list[dict]:
    final = spec[6]
    halfway = add_months(indicator.baseline_date, 12)
    rows = [{"indicator_id": indicator.pk, "date": add_months(indicator.baseline_date, 24),
             "value": None if final is None else Decimal(final), "comment": ""}]  # fmt: skip
    if spec[1] in (IndicatorMeasure.UNIT, IndicatorMeasure.PERCENTAGE):
        middle = Decimal(spec[5]) + (Decimal(final) - Decimal(spec[5])) / 2
        rows.insert(0, {"indicator_id": indicator.pk, "date": halfway,
                        "value": middle.quantize(Decimal(1)), "comment": ""})  # fmt: skip
    return rows


def _scale_readings(world: World, indicators, organisation_of, level_of) -> None:
    """Readings of each indicator's periods from its baseline to today (at most
    ``SCALE_PERIODS``), in a spread of states; about every twelfth verified one is
    corrected, and superseded by its verified correction."""
    rows, corrected = [], []
    for indicator in indicators:
        periods = _periods(indicator, world.today)
        organisation_id = organisation_of[indicator.outcome_id]
        for k, (start, end) in enumerate(periods):
            state = _scale_state(world, last=k == len(periods) - 1)
            row = _scale_reading(world, indicator, start, end, state, organisation_id, level_of)
            rows.append(row)
            if state == ReadingStatus.VERIFIED and world.random.random() < 1 / 12:
                row["status"] = ReadingStatus.SUPERSEDED
                row["superseded_at"] = min(row["verified_at"] + timedelta(days=5), timezone.now())
                corrected.append(len(rows) - 1)
    readings = _inserted(Reading, rows)
    corrections = [
        {
            **rows[index],
            "status": ReadingStatus.VERIFIED,
            "superseded_at": None,
            "supersedes_id": readings[index].pk,
            "verified_at": rows[index]["superseded_at"],
            "comment": "Corrected after a recount.",
        }
        for index in corrected
    ]
    readings += _inserted(Reading, corrections)
    bulk_insert(
        Evidence,
        [
            {"reading_id": r.pk, "kind": EvidenceKind.LINK, "title": "Register",
             "file": "", "original_name": "", "content_type": "", "size": None,
             "url": f"https://evidence.example.org/{r.pk}", "is_public": r.pk % 2 == 0,
             "added_by": None}
            for r in readings if r.pk % 3 == 0
        ],
        batch_size=SCALE_BATCH,
    )  # fmt: skip


def _periods(indicator: Indicator, today: date) -> list[tuple[date, date]]:
    periods = []
    end = add_months(indicator.baseline_date, indicator.cadence_months)
    while end <= today and len(periods) < SCALE_PERIODS:
        periods.append((add_months(end, -indicator.cadence_months) + timedelta(days=1), end))
        end = add_months(end, indicator.cadence_months)
    return periods


def _scale_state(world: World, last: bool) -> str:
    if not last:
        return ReadingStatus.VERIFIED
    return world.random.choice(
        [ReadingStatus.VERIFIED, ReadingStatus.SUBMITTED, ReadingStatus.RETURNED,
         ReadingStatus.DRAFT]
    )  # fmt: skip


def _scale_reading(world, indicator, start, end, state, organisation_id, level_of) -> dict:
    spec = _spec_of(indicator)
    value, level, narrative = _scale_value(world, indicator, spec, level_of)
    reported = _moment(end + timedelta(days=10))
    verified = state == ReadingStatus.VERIFIED
    return {
        "indicator_id": indicator.pk,
        "period_start": start,
        "period_end": end,
        "value": value,
        "value_missing": False,
        "level_id": level,
        "narrative": narrative,
        "people": None,
        "comment": "",
        "status": state,
        "supersedes_id": None,
        "superseded_at": None,
        "reported_by": None,
        "reported_for_id": organisation_id,
        "submitted_at": None if state == ReadingStatus.DRAFT else reported,
        "verified_by": None,
        "verified_at": _moment(end + timedelta(days=20)) if verified else None,
        "returned_by": None,
        "returned_at": reported if state == ReadingStatus.RETURNED else None,
        "return_reason": "Please attach the register." if state == ReadingStatus.RETURNED else "",
    }


def _scale_value(world, indicator, spec, level_of):
    measure, cumulative, baseline, final = spec[1], spec[2], spec[5], spec[6]
    rng = world.random
    if measure == IndicatorMeasure.ORDINAL:
        return None, level_of[(indicator.pk, rng.randint(1, 5))], ""
    if measure == IndicatorMeasure.QUALITATIVE:
        return None, None, "Users say the service helps, and ask for it in their language."
    if measure == IndicatorMeasure.NOMINAL:
        return Decimal(rng.randint(0, 1)), None, ""
    if cumulative:
        return Decimal(rng.randint(0, final // 12)), None, ""
    low, high = sorted((baseline, final))
    return Decimal(rng.randint(low, high)), None, ""
