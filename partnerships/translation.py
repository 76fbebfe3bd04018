"""Content translated with django-modeltranslation, and the change history of those models.

The history of a translated model is registered here, after its translation
fields exist, so that every language's copy is part of the recorded history
(a HistoricalRecords attribute on the model class would be built before them).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from partnerships.models import Milestone, Organisation, Partnership, Sector


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("description",)


@register(Partnership)
class PartnershipTranslation(TranslationOptions):
    fields = ("title", "problem", "summary")
    required_languages = ()


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description")


simple_history.register(Organisation, app=__package__)
simple_history.register(Partnership, app=__package__, excluded_fields=["created_by"])
simple_history.register(Milestone, app=__package__)
