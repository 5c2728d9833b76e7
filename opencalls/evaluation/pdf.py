"""The Evaluation Summary Report as a PDF (fpdf2), from the same data as its page.

The portal's font (``core.pdf``) prints names such as "Łódź", "Ørsted" or "Ελλάδα" as
written.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from ai4media_portal.core.pdf import FONT, add_portal_font

from ..engine.scoring import format_score


def _score(value) -> str:
    if value is None:
        return "—"
    return format_score(value if isinstance(value, Decimal) else Decimal(str(value)))


class _Report(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        add_portal_font(self)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def summary_report_pdf(report) -> bytes:
    """The report (a ``selectors.SummaryReport``) as PDF bytes. It names no evaluator: it is
    built from the consensus only."""
    proposal, call = report.proposal, report.call
    version = proposal.current_version
    pdf = _Report(f"{settings.SITE_NAME} · {proposal.reference}")
    pdf.set_title(_("Evaluation Summary Report") + f" {proposal.reference}")
    pdf.set_author("AI4Media")
    pdf.set_creator(settings.SITE_NAME)
    pdf.set_lang("en")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(width, 9, _("Evaluation Summary Report"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(70, 70, 70)
    pdf.multi_cell(
        width,
        5.5,
        f"Open Call #{call.number}: {call.title}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_text_color(0, 0, 0)

    facts = [
        (_("Proposal"), f"{proposal.reference} — {version.acronym}: {version.title}"),
        (_("Applicant organisation"), version.organisation_name),
        (_("Track"), report.track.name if report.track else ""),
        (_("Decision"), report.decision),
    ]
    if report.rank:
        facts.append(
            (
                _("Place in the track's ranking"),
                _("%(rank)s of %(count)s proposals above the thresholds")
                % {"rank": report.rank, "count": report.ranked_count},
            )
        )
    if report.interview_score is not None:
        facts.append((_("Interview score"), _score(report.interview_score)))
    pdf.set_font(FONT, size=10)
    with pdf.table(
        col_widths=(50, width - 50),
        first_row_as_headings=False,
        borders_layout="NONE",
        line_height=6,
        text_align="LEFT",
    ) as table:
        for label, value in facts:
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(value)
    pdf.ln(4)

    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(width, 7, _("Scores and comments"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9.5)
    headings = FontFace(emphasis="BOLD", fill_color=(225, 231, 240))
    with pdf.table(
        col_widths=(34, 20, 24, width - 78),
        headings_style=headings,
        line_height=5.2,
        text_align=("LEFT", "CENTER", "CENTER", "LEFT"),
    ) as table:
        header = table.row()
        for text in (_("Criterion"), _("Score"), _("Threshold"), _("Comments")):
            header.cell(text)
        for criterion, score, comment in report.rows:
            row = table.row()
            row.cell(criterion.name)
            row.cell(f"{_score(score)} / {_score(criterion.max_score)}")
            row.cell(_score(criterion.threshold))
            row.cell(comment or "")
        total = table.row()
        total.cell(_("Total"), style=FontFace(emphasis="BOLD"))
        total.cell(f"{_score(report.total)} / {_score(report.max_total)}")
        total.cell(_score(call.overall_threshold))
        total.cell(_("Meets every threshold.") if report.passed else " ".join(report.reasons))
    if report.summary:
        pdf.ln(4)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(width, 7, _("Overall comments"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(width, 5.5, report.summary, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(5)
    pdf.set_font(FONT, size=8.5)
    pdf.set_text_color(80, 80, 80)
    pdf.multi_cell(
        width,
        4.5,
        _(
            "The scores and comments are those agreed by the independent experts who evaluated "
            "the proposal, in their consensus report. Evaluators are not named. Issued %(date)s."
        )
        % {"date": date_format(timezone.localdate(), "j F Y")},
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    return bytes(pdf.output())
