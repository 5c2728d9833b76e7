from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpencallsConfig(AppConfig):
    name = "opencalls"
    verbose_name = _("Open calls")

    def ready(self):
        from ai4media_portal.core.status import Tone, register_tones

        register_tones(
            {
                # calls, proposals, screening and funded projects
                "open": Tone.POSITIVE,
                "selected": Tone.POSITIVE,
                "eligible": Tone.POSITIVE,
                "released": Tone.POSITIVE,
                "results-published": Tone.POSITIVE,
                "clarification": Tone.ATTENTION,
                "reserve": Tone.ATTENTION,
                "changes": Tone.ATTENTION,
                "pending": Tone.ATTENTION,
                "ineligible": Tone.NEGATIVE,
                "terminated": Tone.NEGATIVE,
                "closed": Tone.NEUTRAL,
                # evaluation
                "invited": Tone.ATTENTION,
                "succeeded": Tone.POSITIVE,
                "final": Tone.POSITIVE,
                "held": Tone.POSITIVE,
                "booked": Tone.POSITIVE,
                "fund": Tone.POSITIVE,
                "revoked": Tone.NEGATIVE,
                "set-aside": Tone.NEGATIVE,
            }
        )

        # django-rules and Celery find ``opencalls.rules`` and ``opencalls.tasks`` themselves,
        # not the evaluation's, which live in a sub-package. Tasks are registered in every
        # process because services queue them by name (run in place when Celery is eager).
        from . import tasks  # noqa: F401
        from .evaluation import rules  # noqa: F401
        from .evaluation import tasks as evaluation_tasks  # noqa: F401
