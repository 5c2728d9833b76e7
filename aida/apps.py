from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidaConfig(AppConfig):
    name = "aida"
    verbose_name = _("AI Doctoral Academy")

    def ready(self) -> None:
        from ai4media_portal.core.status import Tone, register_tones

        register_tones(
            {
                "validated": Tone.POSITIVE,
                "refused": Tone.NEGATIVE,
                "confirmed": Tone.POSITIVE,
                "waitlisted": Tone.ATTENTION,
                "not-completed": Tone.NEGATIVE,
                "planned": Tone.NEUTRAL,
                "open": Tone.POSITIVE,
                "full": Tone.ATTENTION,
                "running": Tone.PROGRESS,
                "finished": Tone.POSITIVE,
                "pending": Tone.ATTENTION,
                "scheduled": Tone.PROGRESS,
                "submitted": Tone.PROGRESS,
            }
        )
