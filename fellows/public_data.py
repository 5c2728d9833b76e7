"""What this pillar's public pages and API lists show (see ``core/public_cache.py``): host
offers, exchanges (completed ones publicly; numbers count approved ones), their outcomes and
published testimonials. Saving any of these invalidates the cached fellows pages."""

from .models import Exchange, HostOffer, Outcome, Testimonial

MODELS = [HostOffer, Exchange, Outcome, Testimonial]
