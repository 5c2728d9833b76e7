from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpencallsConfig(AppConfig):
    name = "opencalls"
    verbose_name = _("Open calls")

    def ready(self):
        # django-rules autodiscovers ``opencalls.rules``; the evaluation's rules live in a
        # sub-package it does not look into.
        from .evaluation import rules  # noqa: F401
