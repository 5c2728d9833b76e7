"""The import page as a browser uses it: "Import these entries" sends the preview's commit form
back with the values the page holds, URL-encoded (the form has no enctype)."""

from html.parser import HTMLParser
from urllib.parse import urlencode


class _Forms(HTMLParser):
    """The named inputs of each form of a page, as (name, value) pairs."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name"):
            self.forms[-1].append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def commit_preview(client, preview):
    """The answer to pressing "Import these entries" on the ``preview`` page."""
    parser = _Forms()
    parser.feed(preview.content.decode())
    (fields,) = [form for form in parser.forms if ("organisation" in dict(form))]
    return client.post(
        "/outputs/import/",
        urlencode([*fields, ("commit", "1")]),
        content_type="application/x-www-form-urlencoded",
    )
