"""Emails are plain text: a name with &, ', < and > arrives as typed in every subject and text
body of every email template, never as HTML entities."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from ai4media_portal.core.outbox import email_queue, render_email

NAME = "R&D-O'Neil <AI>"


def prints_text(source: str) -> bool:
    """Whether a template prints a variable as text: ``{{ name }}`` (not a plural's count) or
    ``with name=object.attribute`` with no filter."""
    counts = set(re.findall(r"\bcount (\w+)=", source))
    printed = set(re.findall(r"\{\{ *([\w.]+) *\}\}", source)) - counts
    return bool(printed) or bool(re.search(r"\bwith( \w+=[\w.]+(?=[ %]))+", source))


ENTITY = re.compile(r"&(amp|lt|gt|quot|#x27|#39|#34);")
EMAIL_DIR = Path(settings.BASE_DIR) / "templates" / "email"
TEMPLATES = sorted(
    str(path.relative_to(EMAIL_DIR))[: -len("_subject.txt")]
    for path in EMAIL_DIR.rglob("*_subject.txt")
)


class Anything:
    """Whatever a template reads from it — attribute, item, loop — is another one, and it
    prints as ``NAME``: every value in the email is the awkward name. Its parts of a date are
    numbers, so that dates format too."""

    DATE_PARTS = {"year": 2026, "month": 1, "day": 15, "hour": 9, "minute": 30, "second": 0}

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if attribute in self.DATE_PARTS:
            return self.DATE_PARTS[attribute]
        return Anything()

    def __getitem__(self, key):
        return Anything()

    def __iter__(self):
        return iter([Anything(), Anything()])

    def __len__(self):
        return 2

    def __str__(self):
        return NAME


class EveryName(dict):
    """A template context in which every variable exists (the counts of plurals are 2). The
    digests loop over ``items`` unpacking rows of ``arity`` values, the last being a number."""

    COUNTS = {"new_count": 2, "days": 2}

    def __init__(self, arity: int = 0):
        super().__init__()
        self.arity = arity

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        if key == "items" and self.arity:
            return [(*(Anything() for _ in range(self.arity - 1)), 2)] * 2
        return self.COUNTS.get(key) or Anything()


def unpacked_items(source: str) -> int:
    match = re.search(r"\{% for ([\w, ]+) in items %\}", source)
    return len(match.group(1).split(",")) if match and "," in match.group(1) else 0


def test_every_email_template_is_found():
    assert len(TEMPLATES) >= 30
    assert "opencalls/project_created" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES)
def test_email_subject_and_text_are_plain_text(template):
    body_source = (EMAIL_DIR / f"{template}.txt").read_text()
    subject, body_text, _html = render_email(template, EveryName(unpacked_items(body_source)))
    assert ENTITY.findall(subject) == []
    assert ENTITY.findall(body_text) == []
    source = (EMAIL_DIR / f"{template}_subject.txt").read_text()
    if prints_text(source):
        assert NAME in subject
    assert "\n" not in subject
    if prints_text(body_source):
        assert NAME in body_text


@pytest.mark.django_db
def test_queued_email_keeps_the_acronym_as_typed():
    email = email_queue(
        to="team@example.org",
        template="opencalls/project_created",
        context={"project": {"acronym": NAME, "beneficiary": {"display_name": "Ana"}}},
    )
    assert email.subject == f"[AI4Media] Your funded project {NAME} is set up"
    assert "your project R&D-O'Neil <AI> (agreement" in email.body_text
