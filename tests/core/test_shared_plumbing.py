import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from openpyxl import load_workbook
from PIL import Image

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.validators import validate_image, validate_pdf
from ai4media_portal.core.workflow import ensure_transition

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(size=(10, 10), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=fmt)
    return buffer.getvalue()


def test_validate_pdf_accepts_a_pdf():
    validate_pdf(SimpleUploadedFile("p.pdf", MINIMAL_PDF))


def test_validate_pdf_rejects_renamed_image():
    with pytest.raises(ValidationError) as error:
        validate_pdf(SimpleUploadedFile("proposal.pdf", _png()))
    assert error.value.code == "not_pdf"


def test_validate_pdf_rejects_oversized_file():
    with pytest.raises(ValidationError) as error:
        validate_pdf(SimpleUploadedFile("p.pdf", MINIMAL_PDF), max_bytes=10)
    assert error.value.messages == ["The file is 45\xa0bytes; the limit is 10\xa0bytes."]


def test_validate_image_accepts_png_and_jpeg():
    validate_image(SimpleUploadedFile("logo.png", _png()))
    validate_image(SimpleUploadedFile("logo.jpg", _png(fmt="JPEG")))


def test_validate_image_rejects_pdf_named_png():
    with pytest.raises(ValidationError) as error:
        validate_image(SimpleUploadedFile("logo.png", MINIMAL_PDF))
    assert error.value.code == "not_image"


def test_validate_image_rejects_bmp_and_huge_images():
    with pytest.raises(ValidationError) as error:
        validate_image(SimpleUploadedFile("logo.bmp", _png(fmt="BMP")))
    assert error.value.code == "image_format"
    with pytest.raises(ValidationError) as error:
        validate_image(SimpleUploadedFile("logo.png", _png(size=(5000, 10))))
    assert error.value.code == "image_too_large"


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"


def test_ensure_transition_allows_declared_moves_only():
    transitions = {Light.RED: {Light.GREEN}}
    ensure_transition(Light.RED, Light.GREEN, transitions)
    with pytest.raises(PortalError) as error:
        ensure_transition(Light.GREEN, Light.RED, transitions)
    assert error.value.message == "This cannot go from “Green” to “Red”."
    assert error.value.code == "invalid_transition"


def test_csv_export_neutralises_formulas():
    response = tabular_response("csv", ["name", "note"], [["=cmd()", "ok"]], filename="x")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body == "name,note\r\n'=cmd(),ok\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_export_has_header_and_rows():
    response = tabular_response("xlsx", ["name", "amount"], [["A", 1], ["B", 2]], filename="x")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["name", "amount"],
        ["A", 1],
        ["B", 2],
    ]
