from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpencallsConfig(AppConfig):
    name = "opencalls"
    verbose_name = _("Open calls")
