import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ai4media_portal.core.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory(full_name="Ada Author")


@pytest.fixture
def editor(db):
    return UserFactory(roles=[Role.OBSERVATORY_EDITOR], full_name="Eddie Editor")


@pytest.fixture
def second_editor(db):
    return UserFactory(roles=[Role.OBSERVATORY_EDITOR], full_name="Erin Editor")


@pytest.fixture
def chief(db):
    return UserFactory(roles=[Role.EDITOR_IN_CHIEF], full_name="Chris Chief")


def png_upload(name="hero.png", size=(64, 32)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
