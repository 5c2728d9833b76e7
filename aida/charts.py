"""AIDA in numbers as horizontal bar charts drawn on the server in SVG (no script, nothing
fetched); each chart's template puts a table of the same numbers beside it."""

from dataclasses import dataclass

ROW = 30  # SVG units per bar, gap included
BAR = 22
LABEL = 200
CHART_WIDTH = 640


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: int
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    label_heading: str
    value_heading: str
    rows: tuple[ChartRow, ...]

    @property
    def height(self) -> int:
        return max(len(self.rows) * ROW, ROW)

    @property
    def bar_x(self) -> int:
        return LABEL

    @property
    def width(self) -> int:
        return CHART_WIDTH


def chart(id: str, title: str, data, *, label_heading: str, value_heading: str) -> Chart:
    """``data``: ``(label, value)`` pairs, drawn in that order, bars scaled to the largest."""
    pairs = [(str(label), int(value)) for label, value in data]
    top = max((value for _, value in pairs), default=0) or 1
    span = CHART_WIDTH - LABEL - 50
    return Chart(
        id=id,
        title=title,
        label_heading=label_heading,
        value_heading=value_heading,
        rows=tuple(
            ChartRow(label, value, index * ROW, round(span * value / top, 1))
            for index, (label, value) in enumerate(pairs)
        ),
    )
