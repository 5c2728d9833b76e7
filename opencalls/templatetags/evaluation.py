"""Template filters of the evaluation."""

from decimal import Decimal, InvalidOperation

from django import template

from ..engine.scoring import format_score

register = template.Library()


@register.filter
def score(value) -> str:
    """A score or total as people write it: 3 → "3", 3.50 → "3.5", 10.250 → "10.25"; "—"
    when there is none."""
    if value is None or value == "":
        return "—"
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return format_score(
        number.quantize(Decimal("0.01")) if number != number.to_integral() else number
    )
