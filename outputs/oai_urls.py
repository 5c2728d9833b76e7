"""The OAI-PMH base URL, ``/oai/``, outside the ``outputs:`` namespace as harvesters know it."""

from django.urls import path

from .oai import endpoint

urlpatterns = [path("", endpoint, name="oai")]
