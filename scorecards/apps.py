from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self) -> None:
        # The rule predicates and the system checks register themselves on import.
        from harambee.sections import register_partnership_section
        from scorecards import checks, permissions  # noqa: F401
        from scorecards.public import section_annotations, section_context

        register_partnership_section(
            "scorecards",
            "scorecards/_partnership_section.html",
            order=20,
            context=section_context,
            annotations=section_annotations,
        )
