"""Uploaded files: how they are stored and how they reach people.

Every pillar stores uploads through ``UploadField`` and serves them through ``file_response``,
so that a file a user sent can never run as a page of the portal:

- **Stored under a name the portal makes**: a random hex name whose extension says what the
  content is (``network/logos/2025/3f2a….png``); the name the user chose is never used for
  storage (keep it in a separate field to offer it as the download name).
- **Judged by content**: a PDF field stores only what starts like a PDF; an image field decodes
  the image with Pillow and writes it again (PNG, JPEG or WebP), which drops whatever was hidden
  in or after it — a script appended to a GIF, metadata. SVG is never an image here: it is a
  document that can carry scripts. A teaching-material field stores a PDF, slides, a text or a
  spreadsheet (Office Open XML or OpenDocument, recognised by the archive's layout; a
  macro-enabled deck is stored as ``.pptx``, which Office opens without its macros), another
  ZIP archive (one Python's ``zipfile`` opens; the portal never extracts it) or a Jupyter
  notebook (UTF-8 JSON with a ``cells`` list and an integer ``nbformat``), and its stored
  extension is the one of what the content turned out to be: ``slides.ipynb`` holding a PDF
  is stored and offered as a ``.pdf``, an HTML page renamed ``notes.pdf`` is refused.
- **Served with safe headers**: ``file_response`` sends the content type of the stored kind,
  ``attachment`` for everything that is not an image, ``X-Content-Type-Options: nosniff`` and
  ``Content-Security-Policy: sandbox``. Public uploads go out through the ``/media/`` view
  (``ai4media_portal.core.views.media``); confidential ones (proposal documents, draft
  applications' logos) live in the "private" storage and reach people only through views that
  have checked their permission.
"""

import io
import json
import logging
import posixpath
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject

logger = logging.getLogger(__name__)


def get_private_storage():
    """For ``FileField(storage=get_private_storage)``: migrations keep the callable's name."""
    return storages["private"]


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


# --- What a stored file is ----------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """What a stored file holds: its extension, the ``Content-Type`` it is served with and
    whether a browser may show it in a page (images) or must download it (everything else)."""

    extension: str
    content_type: str
    inline: bool


PNG = FileKind(".png", "image/png", inline=True)
JPEG = FileKind(".jpg", "image/jpeg", inline=True)
WEBP = FileKind(".webp", "image/webp", inline=True)
GIF = FileKind(".gif", "image/gif", inline=True)  # only files stored before re-encoding
PDF = FileKind(".pdf", "application/pdf", inline=False)
ZIP = FileKind(".zip", "application/zip", inline=False)
NOTEBOOK = FileKind(".ipynb", "application/x-ipynb+json", inline=False)
# Office Open XML and OpenDocument files are ZIP archives with a known inner layout.
_OOXML = "application/vnd.openxmlformats-officedocument"
PPTX = FileKind(".pptx", f"{_OOXML}.presentationml.presentation", inline=False)
DOCX = FileKind(".docx", f"{_OOXML}.wordprocessingml.document", inline=False)
XLSX = FileKind(".xlsx", f"{_OOXML}.spreadsheetml.sheet", inline=False)
_ODF = "application/vnd.oasis.opendocument"
ODP = FileKind(".odp", f"{_ODF}.presentation", inline=False)
ODT = FileKind(".odt", f"{_ODF}.text", inline=False)
ODS = FileKind(".ods", f"{_ODF}.spreadsheet", inline=False)
# The part that names an Office Open XML document's type (ECMA-376 Part 2, Open Packaging
# Conventions), and the ``mimetype`` entry of an OpenDocument package (OASIS ODF 1.2, Part 3,
# §3.3).
_OOXML_MAIN_PARTS = {
    "ppt/presentation.xml": PPTX,
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
}
_ODF_MIMETYPES = {kind.content_type: kind for kind in (ODP, ODT, ODS)}
OTHER = FileKind(".bin", "application/octet-stream", inline=False)

# The kind of a stored file follows from its extension: the portal chose it from the content.
KIND_BY_EXTENSION = {
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".webp": WEBP,
    ".gif": GIF,
    ".pdf": PDF,
    ".zip": ZIP,
    ".ipynb": NOTEBOOK,
    **{kind.extension: kind for kind in (PPTX, DOCX, XLSX, ODP, ODT, ODS)},
}
# Pillow's format name → the kind an image is written back as (a GIF becomes a PNG).
REENCODED_AS = {"PNG": PNG, "JPEG": JPEG, "WEBP": WEBP, "GIF": PNG}
PILLOW_FORMAT = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}
MAX_IMAGE_SIDE = 4096


def kind_of(name: str) -> FileKind:
    """The kind of a stored file, from the extension the portal gave it."""
    return KIND_BY_EXTENSION.get(PurePosixPath(name).suffix.lower(), OTHER)


def looks_like_svg(head: bytes) -> bool:
    """Whether the first bytes of a file are an SVG (or any XML) document."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head[:1024].lower()


def _read_all(content) -> bytes:
    content.seek(0)
    data = content.read()
    content.seek(0)
    return data


def reencode_image(content) -> tuple[ContentFile, FileKind]:
    """Decode an uploaded image and write it again as PNG, JPEG or WebP (GIF becomes PNG).

    Only the pixels survive: bytes appended after the image, comments, EXIF and other metadata
    are dropped; the EXIF orientation is applied first so that photos stay upright.

    Raises ``SuspiciousFileOperation`` when the content is not an image of those formats or is
    larger than ``MAX_IMAGE_SIDE`` pixels on a side: forms and serializers refuse such files
    with a message first (``core.validators.validate_image``), so reaching this is a bypass.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    data = _read_all(content)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = REENCODED_AS.get(image.format)
            if kind is None or max(image.size) > MAX_IMAGE_SIDE:
                raise SuspiciousFileOperation("Unsupported or oversized image upload.")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise SuspiciousFileOperation("The upload is not an image.") from exc
    transparency = upright.info.get("transparency")
    upright.info = {} if transparency is None else {"transparency": transparency}
    if kind is JPEG and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    if kind is WEBP and upright.mode not in ("RGB", "RGBA"):
        upright = upright.convert("RGBA")
    buffer = io.BytesIO()
    options = {"quality": 90} if kind in (JPEG, WEBP) else {"optimize": True}
    upright.save(buffer, format=PILLOW_FORMAT[kind], **options)
    return ContentFile(buffer.getvalue()), kind


def checked_pdf(content) -> tuple[object, FileKind]:
    """The upload itself if it starts like a PDF; ``SuspiciousFileOperation`` otherwise."""
    content.seek(0)
    head = content.read(5)
    content.seek(0)
    if head != b"%PDF-":
        raise SuspiciousFileOperation("The upload is not a PDF document.")
    return content, PDF


def _archive_kind(content) -> FileKind | None:
    """``None`` unless ``content`` is a ZIP archive; else what it holds: slides, a text or a
    spreadsheet of Office Open XML or OpenDocument, or any other archive (``ZIP``). Only the
    archive's directory and an OpenDocument's short ``mimetype`` entry are read."""
    content.seek(0)
    try:
        if not zipfile.is_zipfile(content):
            return None
        content.seek(0)
        with zipfile.ZipFile(content) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for part, kind in _OOXML_MAIN_PARTS.items():
                    if part in names:
                        return kind
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(declared, ZIP)
        return ZIP
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        content.seek(0)


def _is_notebook(content) -> bool:
    data = _read_all(content)
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    if not isinstance(notebook, dict):
        return False
    nbformat = notebook.get("nbformat")
    return (
        isinstance(notebook.get("cells"), list)
        and isinstance(nbformat, int)
        and not isinstance(nbformat, bool)
    )


def teaching_material_kind(content) -> FileKind | None:
    """What a teaching-material upload is, from its content alone: ``PDF`` (it starts with
    ``%PDF-``), slides, a text or a spreadsheet (``PPTX``, ``DOCX``, ``XLSX``, ``ODP``,
    ``ODT``, ``ODS``: ZIP archives laid out as Office Open XML or OpenDocument), ``ZIP`` (any
    other archive ``zipfile`` opens) or ``NOTEBOOK`` (a UTF-8 JSON object
    with a ``cells`` list and an integer ``nbformat``); ``None`` for anything else. Reads the
    whole upload for a notebook; leaves it at its start."""
    content.seek(0)
    head = content.read(5)
    content.seek(0)
    if head == b"%PDF-":
        return PDF
    archive = _archive_kind(content)
    if archive is not None:
        return archive
    if _is_notebook(content):
        return NOTEBOOK
    return None


def checked_teaching_material(content) -> tuple[object, FileKind]:
    """The upload itself and its kind if it is teaching material
    (``teaching_material_kind``); ``SuspiciousFileOperation`` otherwise. Forms and serializers
    refuse such files with a message first (``core.validators.validate_teaching_material``),
    so reaching this is a bypass."""
    kind = teaching_material_kind(content)
    if kind is None:
        raise SuspiciousFileOperation("The upload is not teaching material.")
    return content, kind


class Accept:
    """What an ``UploadField`` stores."""

    IMAGE = "image"
    PDF = "pdf"
    # Courses' teaching material: a PDF, Office or OpenDocument slides, text or spreadsheet,
    # a ZIP archive or a Jupyter notebook.
    TEACHING = "teaching"


_PREPARE = {
    Accept.IMAGE: reencode_image,
    Accept.PDF: checked_pdf,
    Accept.TEACHING: checked_teaching_material,
}


@deconstructible
class GeneratedName:
    """``upload_to`` for a folder (strftime patterns allowed): the file is stored as
    ``<folder>/<32 hex digits><extension>``, the extension being that of the name it is given
    (which ``UploadField`` derives from the content)."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        from django.utils import timezone

        extension = kind_of(filename).extension
        folder = timezone.now().strftime(self.folder)
        return posixpath.join(folder, f"{uuid.uuid4().hex}{extension}")

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.folder == self.folder


class UploadField(models.FileField):
    """A ``FileField`` for user uploads: ``accept`` says what it stores (``Accept.IMAGE``,
    ``Accept.PDF`` or ``Accept.TEACHING``). When a new file is saved its content is checked
    (images re-encoded) and it is stored under a generated name with the extension of that
    content, whatever the upload was called. Give ``upload_to`` a folder (wrapped in
    ``GeneratedName``) or a callable that makes its own random names."""

    def __init__(self, *args, accept: str = Accept.PDF, **kwargs):
        if accept not in _PREPARE:
            raise ValueError(f"UploadField accepts {sorted(_PREPARE)}, not {accept!r}")
        self.accept = accept
        upload_to = kwargs.get("upload_to", "")
        if isinstance(upload_to, str):
            kwargs["upload_to"] = GeneratedName(upload_to or "uploads/")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["accept"] = self.accept
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            content, kind = _PREPARE[self.accept](file.file)
            file.save(f"upload{kind.extension}", content, save=False)
        return super().pre_save(model_instance, add)


# --- Serving ------------------------------------------------------------------------------------

# A file is a document of its own: nothing in it may run, load or be framed.
FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'none'"


def safe_download_name(name: str, kind: FileKind) -> str:
    """The name a browser saves the file under: the user's name with the stored kind's
    extension (``probe.html`` holding a PNG is offered as ``probe.png``)."""
    stem = PurePosixPath(name or "file").stem or "file"
    extension = ".jpg" if kind is JPEG else kind.extension
    return f"{stem}{extension}"


def file_response(
    file, *, stored_name: str, download_name: str | None = None, public: bool
) -> FileResponse:
    """Stream a stored file with headers that keep browsers from running it.

    ``stored_name`` is the name in storage (its extension gives the kind and so the
    ``Content-Type``); ``download_name`` the name offered to the user (defaults to the stored
    one). Images are shown inline, anything else is an attachment. Every response carries
    ``X-Content-Type-Options: nosniff`` and a sandboxing ``Content-Security-Policy``; public
    files may be cached and embedded by other sites, private ones are ``private, no-store``
    and same-origin only. Call it only after the permission check for private files.
    """
    kind = kind_of(stored_name)
    name = safe_download_name(download_name or PurePosixPath(stored_name).name, kind)
    response = FileResponse(
        file, as_attachment=not kind.inline, filename=name, content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    if public:
        response["Cache-Control"] = "public, max-age=86400"
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
    else:
        response["Cache-Control"] = "private, no-store"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stored_file_response(
    field_file, *, download_name: str | None = None, public: bool
) -> FileResponse:
    """Stream the file of a ``FileField`` (``file_response``'s headers). A file the record
    names but the storage no longer holds (a database restored without its uploads, a file
    removed by hand) is a 404 and a warning in the log, not a server error."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, IsADirectoryError) as exc:
        logger.warning("Stored file %s is missing", field_file.name)
        raise Http404 from exc
    return file_response(
        handle, stored_name=field_file.name, download_name=download_name, public=public
    )


def private_file_response(field_file, *, download_name: str | None = None) -> FileResponse:
    """Stream a private file. Call only after the permission check. Not cached by anyone;
    a missing file is a 404 (``stored_file_response``)."""
    return stored_file_response(field_file, download_name=download_name, public=False)
