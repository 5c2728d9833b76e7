"""What this pillar shows on the pages that others share (see ``core/public_cache.py``): its
figures on the home page and its section on an organisation's page. Every model of the pillar
is listed, so that any change to what those pages show invalidates them at once."""

from django.apps import apps

MODELS = list(apps.get_app_config("aida").get_models(include_auto_created=True))
