"""Confidential files live in the "private" storage and reach people only through views that
have checked their permission; these helpers do the storing and the streaming."""

from pathlib import PurePath

from django.core.files.storage import storages
from django.http import FileResponse
from django.utils.functional import LazyObject


def get_private_storage():
    """For ``FileField(storage=get_private_storage)``: migrations keep the callable's name."""
    return storages["private"]


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def private_file_response(field_file, *, download_name: str | None = None) -> FileResponse:
    """Stream a private file. Call only after the permission check. Sent as an attachment
    with no caching by shared proxies."""
    name = download_name or PurePath(field_file.name).name
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
