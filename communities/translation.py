"""Translated content of the communities app, and the change history of those models.

History is registered here, after the translation fields exist (see
partnerships/translation.py for why).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from communities.models import Community, CommunityAsset, Need, NeedsAssessment


@register(Community)
class CommunityTranslation(TranslationOptions):
    fields = ("description",)


@register(NeedsAssessment)
class NeedsAssessmentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ()


@register(Need)
class NeedTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()


@register(CommunityAsset)
class CommunityAssetTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()


simple_history.register(Community, app=__package__)
simple_history.register(NeedsAssessment, app=__package__, excluded_fields=["created_by"])
simple_history.register(Need, app=__package__)
