"""Bodies are Markdown rendered to sanitised HTML: nothing that runs survives."""

from html.parser import HTMLParser

import pytest

from observatory import services
from observatory.markdown import reading_minutes, render_markdown

from .factories import ContentItemFactory

# A corpus of classic payloads: tags, event handlers, URL schemes, encodings, broken markup,
# and the Markdown ways of writing links and images.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/x.png "onerror=alert(1)")',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<style>body{background:red}</style>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<script>alert(1)--><script>alert(1)</script>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    '[a](https://ok.example"onmouseover="alert(1))',
    "<a href='\\x01javascript:alert(1)'>x</a>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
]
ALLOWED_TAGS = {"p", "a", "code", "pre", "em", "strong", "del", "br", "h2", "blockquote"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_that_runs_survives_rendering(payload):
    html = render_markdown(f"Intro\n\n{payload}\n\nOutro")
    for tag, attrs in _elements(html):
        assert tag in ALLOWED_TAGS, (payload, html)
        assert not [name for name in attrs if name.startswith("on") or name == "style"], html
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(SAFE_SCHEMES), (payload, html)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [p for p in XSS_PAYLOADS if "<" in p])
def test_payloads_in_a_standfirst_or_title_are_shown_as_text(client, payload):
    item = ContentItemFactory(status="published", title=payload[:200], standfirst=payload)
    html = client.get(item.get_absolute_url()).content.decode()
    assert payload not in html


@pytest.mark.django_db
def test_a_body_saved_through_the_service_is_sanitised(member):
    item = services.content_create(
        actor=member,
        data={
            "kind": "news",
            "title": "T",
            "standfirst": "S",
            "body": '<a href="javascript:alert(1)">x</a> [y](javascript:alert(2))',
            "language": "en",
        },
    )
    assert item.body_html == (
        '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; [y](javascript:alert(2))</p>\n'
    )


def test_ordinary_markdown_is_kept():
    html = render_markdown(
        "# Title\n\nSome *em* and **strong**, a [link](https://example.org).\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n"
    )
    assert "<h2>Title</h2>" in html
    assert "<em>em</em>" in html
    assert "<strong>strong</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>' in html
    assert "<ul>" in html
    assert "<table>" in html
    assert "<blockquote>" in html


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (200, 1), (201, 2), (1000, 5)])
def test_reading_minutes(words, minutes):
    assert reading_minutes("word " * words) == minutes
