"""What a keyboard user and a phone user see: every Tab stop shows the portal's focus ring with
at least 3:1 against the background it lies on (WCAG 2.4.7, 1.4.11); a field focused on the
proposal form is never hidden behind the sticky Save/Submit bar (2.4.11); no page scrolls
sideways on a 390-pixel phone (1.4.10)."""

import re

import pytest
from django.core.management import call_command

from ai4media_portal.accounts.models import User
from ai4media_portal.core.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.factories import PASSWORD, UserFactory
from tests.opencalls.factories import complete_draft

from .conftest import sign_in
from .test_accessibility import PUBLIC, SIGNED_IN, _pages_of_demo_records

pytestmark = pytest.mark.django_db(transaction=True)

# The ring of the focused element and the colours of what lies under it: the elements at four
# points in the middle of the ring's sides (outside the element, where an outline with an
# offset is drawn), each with its own background or the first of its ancestors' (gradients
# count with all their colours).
FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const out = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth) / 2;
  const points = [
    [r.left - out, r.top + r.height / 2], [r.right + out, r.top + r.height / 2],
    [r.left + r.width / 2, r.top - out], [r.left + r.width / 2, r.bottom + out],
  ];
  const backgroundOf = (node) => {
    for (; node; node = node.parentElement) {
      const cs = getComputedStyle(node);
      if (cs.backgroundImage.includes("gradient")) {
        return cs.backgroundImage.match(/rgba?\\([^)]*\\)/g);
      }
      if (!/^rgba\\(0, 0, 0, 0\\)$|^transparent$/.test(cs.backgroundColor)) {
        return [cs.backgroundColor];
      }
    }
    return ["rgb(255, 255, 255)"];
  };
  const colours = new Set();
  for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const under = document.elementsFromPoint(x, y).find((n) => n !== el && !el.contains(n));
    backgroundOf(under || document.body).forEach((c) => colours.add(c));
  }
  return {
    name: el.tagName.toLowerCase() + ' "' +
      (el.innerText || el.value || el.name || el.id || "").trim().slice(0, 30) + '"',
    style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor,
    background: colours.size ? [...colours] : [backgroundOf(el.parentElement)[0]],
  };
}"""


# Bootstrap scrolls smoothly: wait until the page stands still before measuring.
SCROLL_SETTLED = """() => new Promise((done) => {
  let last = -1, still = 0;
  const look = () => {
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
    if (still >= 3) done(); else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})"""


def rgb(css: str) -> tuple[float, float, float]:
    """An rgb()/rgba() colour, blended over white when it is see-through."""
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    red, green, blue = values[:3]
    alpha = values[3] if len(values) > 3 else 1.0
    return tuple(c * alpha + 255 * (1 - alpha) for c in (red, green, blue))


def luminance(colour) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    first, second = sorted((luminance(rgb(a)), luminance(rgb(b))), reverse=True)
    return (first + 0.05) / (second + 0.05)


def tab_stops(page, limit: int = 45) -> list[dict]:
    """Press Tab through the page (at most ``limit`` times) and measure each stop's ring."""
    page.locator("body").evaluate("body => body.focus()")
    stops, seen = [], set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is None or ring["name"] + str(len(stops)) in seen:
            break
        identity = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
        if identity in seen:
            break
        seen.add(identity)
        stops.append(ring)
    return stops


def weak_rings(path: str, stops: list[dict]) -> list[str]:
    problems = []
    for stop in stops:
        worst = min(contrast(stop["colour"], bg) for bg in stop["background"])
        if stop["style"] == "none" or stop["width"] < 2 or worst < 3:
            problems.append(
                f"{path}: {stop['name']} ring {stop['style']} {stop['width']}px "
                f"{stop['colour']} on {stop['background']}: {worst:.2f}:1"
            )
    return problems


def test_every_tab_stop_shows_a_ring_with_three_to_one_contrast(page):
    from tests.opencalls.factories import CallFactory

    CallFactory(title="Open Call #7")
    problems, counted = [], 0
    for path in ["/", "/network/", "/calls/", "/accounts/login/", "/api/docs/"]:
        page.goto(path)
        stops = tab_stops(page)
        counted += len(stops)
        problems += weak_rings(path, stops)
    user = UserFactory()
    sign_in(page, user, PASSWORD)
    for path in ["/me/", "/me/profile/", "/network/apply/"]:
        page.goto(path)
        stops = tab_stops(page)
        counted += len(stops)
        problems += weak_rings(path, stops)
    assert counted > 100
    assert problems == [], "\n".join(problems)
    assert page.console_errors == []


def test_focused_fields_scroll_clear_of_the_sticky_save_bar(page):
    proposal = complete_draft()
    page.set_viewport_size({"width": 1024, "height": 560})
    sign_in(page, proposal.applicant, PASSWORD)
    page.goto(f"/calls/proposals/{proposal.pk}/edit/")
    page.locator("#id_organisation_name").focus()
    hidden, checked = [], 0
    for _ in range(80):
        page.keyboard.press("Tab")
        page.evaluate(SCROLL_SETTLED)
        box = page.evaluate(
            """() => {
              const el = document.activeElement;
              const bar = document.querySelector(".sticky-actions");
              if (!el || bar.contains(el) || !el.closest("form.proposal-form")) return null;
              const r = el.getBoundingClientRect();
              return {id: el.id || el.name, top: r.top, bottom: r.bottom,
                      textarea: el.tagName === "TEXTAREA", barTop: bar.getBoundingClientRect().top};
            }"""
        )
        if box is None:
            continue
        checked += 1
        # A field that fits above the bar is wholly above it; a taller one, or a textarea
        # (the browser scrolls its caret, on the first line, into view), starts above it.
        fits = not box["textarea"] and box["bottom"] - box["top"] <= box["barTop"]
        if (fits and box["bottom"] > box["barTop"]) or box["top"] > box["barTop"] - 24:
            hidden.append(box)
    assert checked > 20
    assert hidden == []
    assert page.console_errors == []


def test_no_page_scrolls_sideways_on_a_phone(page, settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = False
    call_command("seed_demo", "--quiet-accounts")
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = []

    def check(path):
        response = page.goto(path)
        assert response.status == 200, path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            culprits = page.evaluate(
                """() => {
                  const clipped = (el) => {
                    for (let n = el.parentElement; n; n = n.parentElement) {
                      if (n === document.body) return false;
                      const overflow = getComputedStyle(n).overflowX;
                      if (/auto|scroll|hidden|clip/.test(overflow)) return true;
                    }
                    return false;
                  };
                  return [...document.querySelectorAll("body *")]
                    .filter(el => el.getBoundingClientRect().right > 391 && !clipped(el))
                    .filter(el => el.parentElement.getBoundingClientRect().right <= 391)
                    .slice(0, 3).map(el => el.tagName.toLowerCase() + "." + el.className);
                }"""
            )
            too_wide.append(f"{path}: {width}px {culprits}")

    for path in [*PUBLIC, "/api/docs/"]:
        check(path)
    pages = {who: list(paths) for who, paths in SIGNED_IN.items()}
    for who, paths in _pages_of_demo_records().items():
        pages.setdefault(who, []).extend(paths)
    for who, paths in pages.items():
        sign_in(page, User.objects.get(email=f"{who}@{DEMO_DOMAIN}"), DEMO_PASSWORD)
        for path in paths:
            check(path)
    assert too_wide == [], "\n".join(too_wide)
