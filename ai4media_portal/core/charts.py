"""Bar charts drawn on the server as inline SVG: no script, no external service. Every chart
is followed by a table of the same numbers (``templates/components/bar_chart.html``): the
"in numbers" pages of every pillar draw theirs with it."""

from dataclasses import dataclass, field

# Geometry of a horizontal bar chart, in SVG user units (the SVG scales to its container).
WIDTH = 640
LABEL_WIDTH = 190
VALUE_GAP = 6
VALUE_WIDTH = 44
BAR_HEIGHT = 22
BAR_GAP = 8
PADDING = 8


@dataclass
class Bar:
    label: str
    value: int
    y: float
    width: float
    text_y: float

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + VALUE_GAP


@dataclass
class BarChart:
    """A chart ready for the template: ``bars`` carry their coordinates."""

    id: str
    title: str
    label_heading: str
    value_heading: str
    bars: list[Bar] = field(default_factory=list)
    height: float = 0
    # What the chart says when there is nothing to draw ("No members yet.").
    empty: str = ""
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - VALUE_GAP


def bar_chart(
    id: str, title: str, rows, *, label_heading: str, value_heading: str, empty: str = ""
) -> BarChart:
    """``rows`` are ``(label, value)`` pairs (values whole numbers ≥ 0) in the order to draw
    them; bars are scaled to the largest value. ``empty`` is said when there are no rows."""
    rows = [(str(label), int(value)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_GAP - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = PADDING + index * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            Bar(
                label=label,
                value=value,
                y=y,
                width=round(span * value / largest, 1),
                text_y=y + BAR_HEIGHT / 2,
            )
        )
    height = PADDING * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP) - (BAR_GAP if rows else 0)
    return BarChart(
        id=id,
        title=title,
        label_heading=label_heading,
        value_heading=value_heading,
        bars=bars,
        height=height,
        empty=empty,
    )
