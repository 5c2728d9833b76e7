"""Horizontal bar charts drawn on the server as inline SVG (no script, no external service);
``templates/fellows/_bar_chart.html`` follows each with a table of the same numbers."""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 220
VALUE_ROOM = 50
ROW = 30


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: float

    @property
    def text_y(self) -> int:
        return self.y + 11

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 6


@dataclass
class BarChart:
    id: str
    title: str
    label_heading: str
    value_heading: str
    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def height(self) -> int:
        return len(self.bars) * ROW + 8

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 6


def bar_chart(
    chart_id: str, title: str, rows, *, label_heading: str, value_heading: str
) -> BarChart:
    """A chart of ``rows`` ((label, value) pairs, values ≥ 0), bars scaled to the largest."""
    rows = [(str(label), int(value)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = [
        Bar(label, value, 4 + i * ROW, round(room * value / largest, 1))
        for i, (label, value) in enumerate(rows)
    ]
    return BarChart(chart_id, title, label_heading, value_heading, bars)
