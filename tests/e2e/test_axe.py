"""axe-core, the accessibility rules engine (vendored under tests/e2e/vendor/), finds nothing
against WCAG 2.1 A and AA on the API documentation page, the home page and a form."""

from pathlib import Path

import pytest

from tests.opencalls.factories import CallFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, path: str) -> list[str]:
    response = page.goto(path)
    assert response.status == 200, path
    # Evaluated by the test driver, so the page's CSP does not apply to loading axe itself.
    page.evaluate(AXE)
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    assert len(results["passes"]) > 15, "axe did not check the page"
    return [
        f"{path}: {v['id']} ({v['impact']}) ×{len(v['nodes'])}: "
        f"{v['nodes'][0]['target']} {v['help']}"
        for v in results["violations"]
    ]


def test_api_documentation_passes_axe(page):
    assert axe_violations(page, "/api/docs/") == []
    assert page.console_errors == []
    assert page.external_requests == []


def test_home_and_sign_in_pages_pass_axe(page):
    CallFactory(title="Open Call #5")
    problems = axe_violations(page, "/") + axe_violations(page, "/accounts/login/")
    assert problems == []


def test_axe_finds_what_it_should(page):
    """The check can fail: an image without a text alternative is reported."""
    page.goto("/privacy/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    page.evaluate(AXE)
    results = page.evaluate("() => axe.run(document, {runOnly: ['image-alt']})")
    assert [v["id"] for v in results["violations"]] == ["image-alt"]
