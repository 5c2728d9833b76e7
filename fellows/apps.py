from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FellowsConfig(AppConfig):
    name = "fellows"
    verbose_name = _("Junior Fellows Exchange Programme")

    def ready(self) -> None:
        from ai4media_portal.core.status import Tone, register_tones

        register_tones(
            {
                "confirmed": Tone.POSITIVE,
                "report-accepted": Tone.POSITIVE,
                "report-submitted": Tone.PROGRESS,
                "in-progress": Tone.PROGRESS,
            }
        )
