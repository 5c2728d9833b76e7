"""How a workflow state looks in a badge: one tone per state value, shared by every pillar.

A badge always carries the state in words and an icon; the tone's colour only adds to them
(WCAG 1.4.1). Pillars name the tone of their own state values in ``AppConfig.ready()``:

    register_tones({ProposalStatus.SELECTED: Tone.POSITIVE, ...})

Values that no pillar names fall back to the common words below, then to ``Tone.PROGRESS``.
"""

from collections.abc import Mapping
from enum import StrEnum


class Tone(StrEnum):
    POSITIVE = "positive"  # done, accepted, funded
    PROGRESS = "progress"  # moving along, waiting for someone
    ATTENTION = "attention"  # someone must act: information or changes requested
    NEGATIVE = "negative"  # refused, failed, ended early
    NEUTRAL = "neutral"  # not started, drafts, withdrawn


ICONS = {
    Tone.POSITIVE: "bi-check-circle",
    Tone.PROGRESS: "bi-hourglass-split",
    Tone.ATTENTION: "bi-question-circle",
    Tone.NEGATIVE: "bi-x-circle",
    Tone.NEUTRAL: "bi-pencil",
}

_tones: dict[str, Tone] = {
    "draft": Tone.NEUTRAL,
    "withdrawn": Tone.NEUTRAL,
    "not-started": Tone.NEUTRAL,
    "approved": Tone.POSITIVE,
    "accepted": Tone.POSITIVE,
    "published": Tone.POSITIVE,
    "completed": Tone.POSITIVE,
    "rejected": Tone.NEGATIVE,
    "declined": Tone.NEGATIVE,
    "failed": Tone.NEGATIVE,
    "cancelled": Tone.NEGATIVE,
    "information-requested": Tone.ATTENTION,
    "changes-requested": Tone.ATTENTION,
}


def register_tones(tones: Mapping[str, Tone]) -> None:
    """Name the tone of some state values (``{"selected": Tone.POSITIVE}``). A value already
    named with another tone is an error: one value reads the same on every page."""
    for value, tone in tones.items():
        key = str(value)
        if _tones.get(key, tone) != tone:
            raise ValueError(f"state {key!r} already has the tone {_tones[key]!r}")
        _tones[key] = Tone(tone)


def tone_of(value) -> Tone:
    """The tone of a state value (a TextChoices member or its string)."""
    return _tones.get(str(value), Tone.PROGRESS)
