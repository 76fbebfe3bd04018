"""Translated content of the scorecards app, and the change history of those models.

History is registered here, after the translation fields exist (see
partnerships/translation.py for why); the other models declare ``HistoricalRecords``.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from scorecards.models import Indicator, Lesson, Outcome, RubricLevel


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = (
        "title",
        "unit_label",
        "definition",
        "data_source",
        "means_of_verification",
        "collection_method",
    )
    required_languages = ()


@register(RubricLevel)
class RubricLevelTranslation(TranslationOptions):
    fields = ("label", "description")
    required_languages = ()


simple_history.register(
    Outcome,
    app=__package__,
    excluded_fields=["created_by"],
    m2m_fields=["needs", "responsible_partners"],
)
simple_history.register(Indicator, app=__package__)
simple_history.register(RubricLevel, app=__package__)


@register(Lesson)
class LessonTranslation(TranslationOptions):
    fields = ("title", "what_happened", "why", "what_changed")
    required_languages = ()


simple_history.register(Lesson, app=__package__)
