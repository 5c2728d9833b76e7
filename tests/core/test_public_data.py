"""Every pillar whose data a cached public page shows declares it in ``<app>/public_data.py``:
a pillar that added a section to the organisation page or a figure to the home page without
it would leave those pages stale after its changes."""

from ai4media_portal.core.pillars import PILLAR_APPS, pillar_modules
from ai4media_portal.core.public_cache import SCOPES

# The modules through which a pillar's data reaches a page that other pillars' changes cache.
SHARED_PAGE_CONTRIBUTIONS = ("home", "organisation_sections")


def test_pillars_shown_on_shared_public_pages_declare_their_public_models():
    declared = {label for label, module in pillar_modules("public_data") if module.MODELS}
    contributing = {
        label
        for module_name in SHARED_PAGE_CONTRIBUTIONS
        for label, _module in pillar_modules(module_name)
    }

    assert contributing - declared == set()
    assert {"network", "opencalls"} <= contributing


def test_every_pillar_is_a_scope_of_the_public_cache():
    assert set(PILLAR_APPS) < set(SCOPES)
