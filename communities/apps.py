from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from communities.selectors import has_published_side, section_annotations
        from harambee.sections import register_partnership_section

        register_partnership_section(
            "communities",
            "communities/_partnership_section.html",
            order=10,
            context=lambda request, partnership: {
                "show_published": has_published_side(partnership)
            },
            annotations=section_annotations,
        )
