"""What this pillar's public pages and API lists show (see ``core/public_cache.py``): saving
or deleting any of these invalidates the cached directory, organisation pages, numbers and
``/api/v1/organisations/``. Applications and contacts are never shown publicly."""

from .models import Organisation, OrganisationRole

MODELS = [Organisation, OrganisationRole, Organisation.areas_of_interest.through]
