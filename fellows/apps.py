from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FellowsConfig(AppConfig):
    name = "fellows"
    verbose_name = _("Junior Fellows Exchange Programme")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ai4media_portal.core.status import Tone, register_tones

        user_logged_in.connect(
            _link_supervisor_accounts, dispatch_uid="fellows.link_supervisor_accounts"
        )

        register_tones(
            {
                "confirmed": Tone.POSITIVE,
                "report-accepted": Tone.POSITIVE,
                "report-submitted": Tone.PROGRESS,
                "in-progress": Tone.PROGRESS,
            }
        )


def _link_supervisor_accounts(sender, request, user, **kwargs) -> None:
    """A supervisor named by address before they had an account finds the exchange once they
    sign in."""
    from . import services

    services.supervisor_accounts_link(user=user)
