"""Every table of every template scrolls on its own on a phone: it sits in a
``.table-responsive`` wrapper (the browser test at 390 pixels checks the pages themselves)."""

from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.unwrapped: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = dict(attrs).get("class") or ""
        if tag == "table" and not any("table-responsive" in c for _, c in self.open):
            self.unwrapped.append(self.getpos()[0])
        self.open.append((tag, classes))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break


def test_every_table_is_in_a_responsive_wrapper():
    unwrapped = {}
    templates = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
    assert len(templates) > 50
    for path in templates:
        parser = _Tables()
        parser.feed(path.read_text())
        if parser.unwrapped:
            unwrapped[str(path.relative_to(settings.BASE_DIR))] = parser.unwrapped
    assert unwrapped == {}
