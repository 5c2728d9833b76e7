"""The evaluation's spreadsheet exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ai4media_portal.core.exports import tabular_response

from .. import selectors
from .common import _managed_call

EXPORTS = {
    "scores": selectors.score_export_rows,
    "consensus": selectors.consensus_export_rows,
    "ranking": selectors.ranking_export_rows,
}


@login_required
def export(request, number: int, kind: str):
    """Scores, consensus or ranking as CSV or Excel. Call managers only; the proposals they are
    a party to are hidden, and nothing is given of the proposals they evaluate without having
    submitted their own review."""
    call = _managed_call(request, number)
    fmt = request.GET.get("format", "csv")
    if kind not in EXPORTS or fmt not in {"csv", "xlsx"}:
        raise Http404
    headers, rows = EXPORTS[kind](
        call,
        hidden=selectors.own_cases(user=request.user, call=call),
        withheld=selectors.blind_proposal_ids(request.user, call),
    )
    return tabular_response(
        fmt,
        headers,
        rows,
        filename=f"{call.reference_prefix}-{kind}",
        title=f"Open Call {call.number} {kind}",
    )
