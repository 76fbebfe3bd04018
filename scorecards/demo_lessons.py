"""The demo world's lessons: what worked and what did not, of every kind, public and internal.

``build(world)`` runs at the end of ``scorecards.demo.build``, once the outcomes,
indicators and the recheck's history exist, and records through ``services.lesson_create``
as the partners would on the lessons pages:

- Tunza's maize prices (public): a public failure (trust stays low: farmers still check
  the price with a neighbour), a public adaptation (the radio slot was cut), a public
  success (women sign up in groups), an internal failure about a partner that has not
  reported, and an internal adaptation about how the partners work together. The
  unintended harm (middlemen turning farmers away) is off track and has no lesson yet,
  so Amina's "my work" asks her for one;
- the closed literacy circles (public, written in French): the confidence target not
  achieved, and the Wolof circles that worked;
- Kilifi County's open budget (private): a lesson marked public that visitors never see,
  since the partnership is not public.

Nothing is made at benchmark scale. Missing partnerships, outcomes or people are skipped.
"""

from __future__ import annotations

from harambee.demo import World
from scorecards import services
from scorecards.models import LessonKind

EN = "en"

MAIZE = [
    {
        "kind": LessonKind.FAILURE,
        "indicator": "maize-trust",
        "is_public": True,
        "title": "Farmers still check the SMS price with a neighbour",
        "what_happened": "A year in, trust in the price messages has not moved: most farmers "
        "in the focus groups still ask a neighbour, or the middleman, before they believe "
        "the SMS.",
        "why": "Twice in the first quarter the message gave the previous day's price, and "
        "the story travelled faster than any correction.",
        "what_changed": "Each message now says the day and the market it comes from, and a "
        "wrong price is corrected by a second SMS the same morning.",
    },
    {
        "kind": LessonKind.ADAPTATION,
        "outcome": "maize-radio",
        "is_public": True,
        "title": "The radio slot was cut, so the questions moved to SMS",
        "what_happened": "The station cut the farming slot to ten programmes a quarter, "
        "and the target was revised from twelve with that reason.",
        "why": "Election coverage took the evening hours.",
        "what_changed": "Farmers send their questions by SMS during the week; the programme "
        "answers the most common ones.",
    },
    {
        "kind": LessonKind.SUCCESS,
        "indicator": "maize-farmers-sms",
        "is_public": True,
        "title": "Women farmers signed up in groups, not one by one",
        "what_happened": "Sign-ups passed the expected path once the women's groups "
        "registered their members together at their weekly meeting.",
        "why": "Registering alone meant a trip to the market office; the group meeting "
        "came to them.",
        "what_changed": "Mawingu registers at the group meetings in every village now.",
    },
    {
        "kind": LessonKind.FAILURE,
        "indicator": "maize-officers",
        "is_public": False,
        "title": "No report yet on the county officers' training",
        "what_happened": "The county has not reported the officers trained since the "
        "baseline, and the indicator is overdue.",
        "why": "The training budget waits for the county's supplementary budget.",
        "what_changed": "Tunza asked the county for a date; the partners decide next "
        "quarter whether to keep the indicator.",
    },
    {
        "kind": LessonKind.ADAPTATION,
        "is_public": False,
        "title": "Joseph and Amina check the gateway export together",
        "what_happened": "Two readings went back and forth before they were verified.",
        "why": "The export and the farmer register counted households differently.",
        "what_changed": "They read the export together on the first Monday of the quarter.",
    },
]

LITERACY = [
    {
        "kind": LessonKind.FAILURE,
        "indicator": "literacy-confident",
        "is_public": True,
        "title": "Confidence grew, but not to the target",
        "title_fr": "La confiance a progressé, mais pas jusqu'à l'objectif",
        "what_happened": "48% of the women send mobile money on their own at the end, "
        "against a target of 60%.",
        "what_happened_fr": "À la fin, 48 % des femmes envoient de l'argent par mobile "
        "seules, pour un objectif de 60 %.",
        "why": "Many women share one phone in the family, and practise only when it is free.",
        "why_fr": "Beaucoup de femmes partagent un téléphone en famille et ne s'exercent "
        "que lorsqu'il est libre.",
        "what_changed": "A next partnership would lend phones for practice between the circles.",
        "what_changed_fr": "Un prochain partenariat prêterait des téléphones pour "
        "s'exercer entre les cercles.",
    },
    {
        "kind": LessonKind.SUCCESS,
        "outcome": "literacy-wolof",
        "is_public": True,
        "title": "Circles in Wolof brought the women in",
        "title_fr": "Les cercles en wolof ont fait venir les femmes",
        "what_happened": "More than three hundred women completed a circle.",
        "what_happened_fr": "Plus de trois cents femmes ont terminé un cercle.",
        "why": "They were held in Wolof, by women from the neighbourhood.",
        "why_fr": "Ils se tenaient en wolof, animés par des femmes du quartier.",
    },
]

OPEN_BUDGET = [
    {
        "kind": LessonKind.FAILURE,
        "is_public": True,
        "title": "Budget meetings were announced too late",
        "what_happened": "Few residents came to the first ward budget meetings.",
        "why": "The notices went up two days before.",
        "what_changed": "Meetings are announced on the radio a week ahead.",
    },
]


def build(world: World) -> None:
    """The lessons of the module docstring, through the services."""
    if world.scale:
        return
    _record(world, "maize-prices", world.users.get("lead"), MAIZE, EN)
    _record(world, "literacy-circles", world.users.get("literacy-reporter"), LITERACY, "fr")
    _record(world, "open-budget", None, OPEN_BUDGET, EN)


def _record(world: World, key: str, by, lessons: list[dict], language: str) -> None:
    partnership = world.partnerships.get(key)
    if partnership is None or (by is None and key != "open-budget"):
        return
    outcomes, indicators = world.made("outcomes"), world.made("indicators")
    made = world.made("lessons")
    for number, spec in enumerate(lessons, start=1):
        fields = dict(spec)
        links = {}
        if "outcome" in fields:
            links["outcome"] = outcomes.get(fields.pop("outcome"))
        if "indicator" in fields:
            links["indicator"] = indicators.get(fields.pop("indicator"))
        if None in links.values():
            continue  # the scorecards part of the world was not built
        made[f"{key}-{number}"] = services.lesson_create(
            partnership=partnership, by=by, source_language=language, **links, **fields
        )
