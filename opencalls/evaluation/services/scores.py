"""Per-criterion scores and comments, of reviews and of consensus reports alike: validated
and saved by the same code, whichever of the two they belong to."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...engine.scoring import ScoreError, validate_score
from .common import score_error_message


@dataclass
class DraftOutcome:
    """What a draft save kept, and the inputs it refused (field → messages)."""

    obj: object
    errors: dict = field(default_factory=dict)


def require_complete_scores(criteria, rows, missing_comment: str) -> None:
    """Every criterion has a valid score and a comment, or a ``ValidationError`` names each
    field that is not (``score_<id>``, ``comment_<id>``)."""
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        row = rows.get(criterion.pk)
        try:
            validate_score(getattr(row, "score", None), max_score=criterion.max_score)
        except ScoreError as error:
            errors[f"score_{criterion.pk}"] = [score_error_message(error)]
        if not getattr(row, "comment", "").strip():
            errors[f"comment_{criterion.pk}"] = [missing_comment % {"criterion": criterion.name}]
    if errors:
        raise ValidationError(errors)


def _apply_scores(rows, criteria, scores, comments, errors) -> None:
    """Put valid scores and comments on ``rows`` (criterion id → score row); note the rest."""
    for criterion in criteria:
        row = rows[criterion.pk]
        if scores is not None and criterion.pk in scores:
            value = scores[criterion.pk]
            if value is None or (isinstance(value, str) and not value.strip()):
                row.score = None
            else:
                try:
                    row.score = validate_score(value, max_score=criterion.max_score)
                except ScoreError as error:
                    errors[f"score_{criterion.pk}"] = [score_error_message(error)]
        if comments is not None and criterion.pk in comments:
            comment = (comments[criterion.pk] or "").strip()
            if len(comment) > 5000:
                errors[f"comment_{criterion.pk}"] = [_("Keep the comment within 5,000 characters.")]
            else:
                row.comment = comment


def score_rows_save(owner, row_model, owner_field: str, *, criteria, scores, comments) -> dict:
    """Save the scores and comments given for ``owner`` (a review or a consensus report, whose
    rows are ``owner.scores``, of ``row_model`` pointing back through ``owner_field``): a row
    per criterion is created when missing; valid scores (0 to the criterion's maximum, in half
    points; empty clears) and comments (at most 5,000 characters) are kept, the rest are
    returned as messages by field (``score_<id>``, ``comment_<id>``) and keep their previous
    value. ``scores``/``comments`` map criterion ids to values; ``None`` leaves them alone.
    The caller holds the lock on ``owner``."""
    rows = {s.criterion_id: s for s in owner.scores.all()}
    for criterion in criteria:
        rows.setdefault(criterion.pk, row_model(**{owner_field: owner}, criterion=criterion))
    errors: dict[str, list[str]] = {}
    _apply_scores(rows, criteria, scores, comments, errors)
    for row in rows.values():
        row.save()
    return errors
