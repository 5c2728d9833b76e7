"""The programme's rules on an application's dates and budget: pure checks, no database.

Source of the rules: the Junior Fellows Exchange Programme's guide for applicants (the physical
part lasts one to three months; the mobility budget covers part of its travel and living costs
within the caps below; the sender and the host are different organisations).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

# The caps of each budget line, in euros. Subsistence is per month of the physical part.
TRAVEL_CAP = Decimal("1500")
MONTHLY_SUBSISTENCE_CAP = Decimal("2000")
OTHER_CAP = Decimal("500")
MIN_PHYSICAL_MONTHS = 1
MAX_PHYSICAL_MONTHS = 3
BUDGET_LINES = ("travel_amount", "subsistence_monthly", "other_amount")


@dataclass(frozen=True)
class RuleBreach:
    """One broken rule: the field it concerns (a form field's name) and the message."""

    field: str | None
    message: str


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day
    (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def physical_months(start: date, end: date) -> int:
    """How many months, started, the physical part from ``start`` to ``end`` (both days
    included) spans: 1 March–31 March is 1, 1 March–1 April is 2."""
    months = 0
    while add_months(start, months) - timedelta(days=1) < end:
        months += 1
    return months


def check_start_not_past(start: date | None, today: date) -> list[RuleBreach]:
    """The physical part of an application starts today or later: an applicant cannot ask
    for a stay that has already begun. Checked when the start is typed, not on records whose
    start has since passed."""
    if start is not None and start < today:
        return [
            RuleBreach(
                "start_date",
                _("The physical part cannot start in the past: start on %(day)s or later.")
                % {"day": today.isoformat()},
            )
        ]
    return []


def check_dates(start: date | None, end: date | None) -> list[RuleBreach]:
    """The physical part: both dates, end after start, one to three months (both days
    included: 1 March–31 March is one month, 1 March–31 May three)."""
    if start is None or end is None:
        return [
            RuleBreach(
                "start_date" if start is None else "end_date",
                _("A physical or hybrid exchange needs the dates of its physical part."),
            )
        ]
    if end <= start:
        return [RuleBreach("end_date", _("The end must be after the start."))]
    shortest = add_months(start, MIN_PHYSICAL_MONTHS) - timedelta(days=1)
    longest = add_months(start, MAX_PHYSICAL_MONTHS) - timedelta(days=1)
    if end < shortest:
        return [
            RuleBreach(
                "end_date",
                _("The physical part lasts at least one month: end on %(day)s or later.")
                % {"day": shortest.isoformat()},
            )
        ]
    if end > longest:
        return [
            RuleBreach(
                "end_date",
                _("The physical part lasts at most three months: end on %(day)s or earlier.")
                % {"day": longest.isoformat()},
            )
        ]
    return []


def check_budget(
    *,
    travel_amount: Decimal,
    subsistence_monthly: Decimal,
    subsistence_months: int,
    other_amount: Decimal,
    months_available: int | None,
) -> list[RuleBreach]:
    """Each line of a budget request (euros; ``subsistence_months`` whole months): no negative
    amount, none above its cap, no more months of subsistence than the physical part spans
    (``months_available``; None for an exchange without a physical part, which requests
    nothing)."""
    breaches = []
    lines = {
        "travel_amount": (travel_amount, TRAVEL_CAP),
        "subsistence_monthly": (subsistence_monthly, MONTHLY_SUBSISTENCE_CAP),
        "other_amount": (other_amount, OTHER_CAP),
    }
    for field, (amount, cap) in lines.items():
        if amount < 0:
            breaches.append(RuleBreach(field, _("An amount cannot be negative.")))
        elif months_available is None and amount > 0:
            breaches.append(
                RuleBreach(field, _("A virtual exchange has no travel or living costs to fund."))
            )
        elif amount > cap:
            breaches.append(
                RuleBreach(
                    field,
                    _("The programme's cap for this line is %(cap)s euros.") % {"cap": cap},
                )
            )
    if subsistence_months < 0:
        breaches.append(
            RuleBreach("subsistence_months", _("A number of months cannot be negative."))
        )
    elif subsistence_months > (months_available or 0):
        breaches.append(
            RuleBreach(
                "subsistence_months",
                _("The physical part spans %(months)s month(s): no more months of subsistence.")
                % {"months": months_available or 0},
            )
        )
    return breaches
