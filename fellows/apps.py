from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FellowsConfig(AppConfig):
    name = "fellows"
    verbose_name = _("Junior Fellows Exchange Programme")
