"""The engine's messages in the portal's words (and language).

The engine explains itself in English with a stable ``code`` and the numbers in ``params``;
these functions say the same in the current language, with the call's criterion names and the
labels of proposals and evaluators. An unknown code falls back to the engine's English.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..engine.scoring import Reason, format_score


def _score(value) -> str:
    if value is None:
        return ""
    return format_score(value if isinstance(value, Decimal) else Decimal(str(value)))


def _names(names: list[str], limit: int = 8) -> str:
    shown = [str(name) for name in names[:limit]]
    rest = len(names) - len(shown)
    if rest:
        return _("%(names)s and %(count)s more") % {"names": ", ".join(shown), "count": rest}
    if len(shown) <= 1:
        return "".join(shown)
    return _("%(first)s and %(last)s") % {"first": ", ".join(shown[:-1]), "last": shown[-1]}


def reason_text(reason: Reason, criterion_names: dict[str, str]) -> str:
    """A threshold or disagreement reason of the engine, translated."""
    params = reason.params or {}
    name = criterion_names.get(reason.criterion or "", "")
    code = reason.code
    if code == "missing_score":
        return _("%(criterion)s has no score.") % {"criterion": name}
    if code == "below_criterion_threshold":
        return _("%(criterion)s %(score)s is below the threshold of %(threshold)s.") % {
            "criterion": name,
            "score": _score(params.get("score")),
            "threshold": _score(params.get("threshold")),
        }
    if code == "below_overall_threshold":
        return _("The total %(total)s is below the overall threshold of %(threshold)s.") % {
            "total": _score(params.get("total")),
            "threshold": _score(params.get("threshold")),
        }
    if code == "spread":
        return _(
            "%(criterion)s: scores range from %(low)s to %(high)s, a spread of %(spread)s."
        ) % {
            "criterion": name,
            "low": _score(params.get("low")),
            "high": _score(params.get("high")),
            "spread": _score(params.get("spread")),
        }
    if code in {"straddles_criterion_threshold", "straddles_overall_threshold"}:
        subject = name if code == "straddles_criterion_threshold" else _("Total")
        above, below = int(params.get("above", 0)), int(params.get("below", 0))
        return _(
            "%(subject)s: %(above)s at or above the threshold of %(threshold)s and %(below)s "
            "below it."
        ) % {
            "subject": subject,
            "above": ngettext("%(n)s evaluator", "%(n)s evaluators", above) % {"n": above},
            "below": ngettext("%(n)s evaluator", "%(n)s evaluators", below) % {"n": below},
            "threshold": _score(params.get("threshold")),
        }
    return reason.message


def issue_text(issue: dict) -> str:
    """An assignment issue as stored on a run (code, message, params, proposal and evaluator
    labels), translated."""
    code = issue.get("code")
    params = issue.get("params") or {}
    proposals = issue.get("proposals") or []
    evaluators = issue.get("evaluators") or []
    proposal = proposals[0] if proposals else ""
    evaluator = evaluators[0] if evaluators else ""
    if code == "locked_conflict":
        return _(
            "%(evaluator)s is locked to proposal %(proposal)s but has a conflict of interest "
            "with it."
        ) % {"evaluator": evaluator, "proposal": proposal}
    if code == "locked_excluded":
        return _("%(evaluator)s is both locked to and excluded from proposal %(proposal)s.") % {
            "evaluator": evaluator,
            "proposal": proposal,
        }
    if code == "locked_over_k":
        return _(
            "Proposal %(proposal)s has %(locked)s locked or started assignments but needs "
            "exactly %(k)s."
        ) % {"proposal": proposal, "locked": params.get("locked"), "k": params.get("k")}
    if code == "locked_over_capacity":
        return _(
            "Locked or started assignments exceed the maximum load of %(evaluator)s: "
            "%(locked)s, maximum %(max)s."
        ) % {"evaluator": evaluator, "locked": params.get("locked"), "max": params.get("max_load")}
    if code == "capacity":
        return _(
            "The pool can take %(capacity)s reviews in all, fewer than the %(needed)s needed."
        ) % {"capacity": params.get("capacity"), "needed": params.get("needed")}
    if code == "too_few_evaluators":
        return _(
            "Each proposal needs %(k)s evaluators but only %(evaluators)s evaluators of the "
            "pool can take reviews."
        ) % {"k": params.get("k"), "evaluators": params.get("evaluators")}
    if code == "proposal_short":
        return _(
            "Proposal %(proposal)s has only %(available)s evaluators without a conflict and "
            "with free capacity; it needs %(k)s."
        ) % {"proposal": proposal, "available": params.get("available"), "k": params.get("k")}
    if code == "group_short":
        return _(
            "Proposals %(proposals)s need %(needed)s more evaluators between them, but at most "
            "%(possible)s can be found among the evaluators without a conflict who could read "
            "them (%(evaluators)s)."
        ) % {
            "proposals": _names(proposals),
            "needed": params.get("needed"),
            "possible": params.get("possible"),
            "evaluators": _names(evaluators),
        }
    if code == "solver_infeasible":
        return _(
            "No assignment satisfies every constraint together (evaluators per proposal, "
            "maximum loads, conflicts and locks). Raise maximum loads, add evaluators or "
            "remove locks."
        )
    if code == "broker_down":
        return _(
            "The run could not be handed to the background worker (its queue is unreachable); "
            "nothing was changed. Start it again in a few minutes."
        )
    if code == "worker_lost":
        return _(
            "The worker running the assignment stopped before it finished; nothing was "
            "changed. Start the run again."
        )
    if code == "no_proposals":
        return _("No eligible proposal is waiting for evaluators.")
    if code == "no_evaluators":
        return _("No evaluator of the pool has accepted the terms yet.")
    return issue.get("message", "")
