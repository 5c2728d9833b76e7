import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ai4media_portal.core.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def manager(db):
    return UserFactory(roles=[Role.NETWORK_MANAGER], full_name="Nikos Network")


@pytest.fixture
def second_manager(db):
    return UserFactory(roles=[Role.NETWORK_MANAGER])


@pytest.fixture
def applicant(db):
    return UserFactory(full_name="Anna Applicant")


def png_upload(name="logo.png", size=(64, 32), noise=False) -> SimpleUploadedFile:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (11, 92, 173))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
