"""Pages of the evaluation: the evaluators' queue, proposals and reviews; the call managers'
pool, conflicts, assignment matrix and runs, progress, consensus, ranking, interviews and
decisions; the applicants' Evaluation Summary Report and interview booking.

Every write goes through ``services``. Every evaluator lookup goes through
``selectors.evaluator_assignments``, so a proposal that is not assigned to the evaluator, or
that they are conflicted on, is not found (404) — on pages, documents and exports alike.

One module per concept; ``urls.py`` routes to each module's views.
"""
