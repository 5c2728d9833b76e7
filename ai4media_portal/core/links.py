"""Absolute links for emails and exports, which leave the site and need its address."""

from django.conf import settings
from django.urls import reverse


def absolute_url(view_or_path: str, *args) -> str:
    """``absolute_url("opencalls:call", 3)`` or ``absolute_url("/calls/3/")`` →
    ``https://portal.example.org/calls/3/``."""
    path = view_or_path if view_or_path.startswith("/") else reverse(view_or_path, args=args)
    return settings.SITE_URL.rstrip("/") + path
