from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidaConfig(AppConfig):
    name = "aida"
    verbose_name = _("AI Doctoral Academy")
