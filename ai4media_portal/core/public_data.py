"""What the public pages of every pillar show from the core: the vocabulary of topics.
Changing a topic invalidates every cached public page (see ``core/public_cache.py``)."""

from .models import Topic

MODELS = [Topic]
