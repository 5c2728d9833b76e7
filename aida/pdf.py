"""The Certificate of Course Attendance as a PDF (fpdf2), printed from the certificate's
``content``: the very data its public verification page shows.

The QR code (segno: maintained, pure Python, no image library needed for PNG) points to the
verification page. The portal's font (``core.pdf``) prints names such as "Łódź" or "Ελλάδα" as
written.
"""

import io
from datetime import date

import segno
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.pdf import FONT, add_portal_font

from .models import Certificate


def _day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "j F Y")


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes: holder, every course (title, dates, format, ECTS, host),
    issue date, verification code and a QR code of the verification page's address."""
    content = certificate.content
    verify_url = absolute_url(certificate.get_absolute_url())
    pdf = FPDF(format="A4")
    add_portal_font(pdf)
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(_("Certificate of Course Attendance"))
    pdf.set_author("AIDA — International AI Doctoral Academy")
    pdf.set_creator(settings.SITE_NAME)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, "B", 11)
    pdf.cell(width, 7, _("International AI Doctoral Academy (AIDA)"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(width, 10, _("Certificate of Course Attendance"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(width, 6, _("This certifies that"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(width, 9, content["name"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(
        width,
        6,
        _("attended and completed the following AIDA courses:"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    with pdf.table(col_widths=(38, 16, 14, 8, 20), text_align="LEFT", line_height=5.5) as table:
        pdf.set_font(FONT, size=9)
        header = table.row()
        for label in (_("Course"), _("Dates"), _("Format"), _("ECTS"), _("Host")):
            header.cell(label)
        for course in content["courses"]:
            row = table.row()
            row.cell(f"{course['title']} ({course['code']})")
            row.cell(f"{_day(course['starts_on'])} – {_day(course['ends_on'])}")
            row.cell(course["format"])
            row.cell(course["ects"] or "—")
            row.cell(course["host"])
    pdf.ln(6)
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(
        width,
        6,
        _("Issued on %(day)s") % {"day": _day(content["issued_on"])},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        width,
        6,
        _("Verification code: %(code)s") % {"code": certificate.code},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        width, 6, _("Verify at %(url)s") % {"url": verify_url}, new_x="LMARGIN", new_y="NEXT"
    )
    buffer = io.BytesIO()
    segno.make(verify_url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    pdf.ln(2)
    pdf.image(buffer, w=34, h=34, alt_text=_("QR code of the verification page"))
    return bytes(pdf.output())
