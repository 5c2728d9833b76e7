"""What every PDF of the portal shares (fpdf2): a font that prints every European name.

fpdf2's core fonts are Latin-1 only; DejaVu Sans (``fonts/``, its licence beside it) prints
"Łódź", "Ørsted" or "Ελλάδα" as written. The Evaluation Summary Report and the Certificate of
Course Attendance use it.
"""

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def add_portal_font(pdf: FPDF) -> None:
    """Register DejaVu Sans, regular and bold, on ``pdf`` under the name ``FONT``."""
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
