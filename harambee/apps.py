from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarambeeConfig(AppConfig):
    name = "harambee"
    verbose_name = _("Harambee")
