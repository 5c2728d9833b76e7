"""Upload checks shared by every pillar. Files are judged by their content, not their name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MiB = 1024 * 1024


def _check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )


def validate_pdf(upload, *, max_bytes: int = 10 * MiB) -> None:
    """A PDF document: its first bytes say %PDF- and it ends with an EOF marker."""
    _check_size(upload, max_bytes)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise ValidationError(
            _("This file is not a PDF document. Export or print your document as PDF."),
            code="not_pdf",
        )


IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def validate_image(upload, *, max_bytes: int = 2 * MiB, max_pixels: int = 4096) -> None:
    """A PNG, JPEG, WebP or GIF image that Pillow can decode, at most ``max_pixels`` wide.

    SVG is refused with its own message: it is a document that can run scripts. What passes is
    re-encoded when it is stored (``core.files.UploadField``)."""
    from PIL import Image, UnidentifiedImageError

    from .files import looks_like_svg

    _check_size(upload, max_bytes)
    upload.seek(0)
    if looks_like_svg(upload.read(2048)):
        upload.seek(0)
        raise ValidationError(
            _(
                "SVG images are not accepted: they can carry scripts. "
                "Upload a PNG, JPEG or WebP file."
            ),
            code="svg",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
            image_format, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not an image we can read. Upload a PNG, JPEG or WebP file."),
            code="not_image",
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Upload a PNG, JPEG or WebP image, not %(format)s.") % {"format": image_format},
            code="image_format",
        )
    if max(width, height) > max_pixels:
        raise ValidationError(
            _("The image is %(w)s×%(h)s pixels; at most %(max)s on each side, please.")
            % {"w": width, "h": height, "max": max_pixels},
            code="image_too_large",
        )


def validate_teaching_material(upload, *, max_bytes: int = 50 * MiB) -> None:
    """Teaching material: a PDF document, Office or OpenDocument slides, text or spreadsheet,
    a ZIP archive or a Jupyter notebook (``.ipynb``),
    judged by its content (``core.files.teaching_material_kind``), never by its name, and at
    most ``max_bytes``. ``UploadField(accept=Accept.TEACHING)`` stores what passes under the
    extension of that content."""
    from .files import teaching_material_kind

    _check_size(upload, max_bytes)
    if teaching_material_kind(upload) is None:
        raise ValidationError(
            _(
                "This file is not a PDF, slides, a text document or spreadsheet (Office or "
                "OpenDocument), a ZIP archive or a Jupyter notebook. Upload one of those."
            ),
            code="not_teaching_material",
        )
