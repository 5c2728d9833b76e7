from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutputsConfig(AppConfig):
    name = "outputs"
    verbose_name = _("Outputs")

    def ready(self):
        from ai4media_portal.core.status import Tone, register_tones

        from .enums import OutputStatus

        register_tones({OutputStatus.DELETED: Tone.NEGATIVE})

        from . import signals  # noqa: F401 — connects the receivers
