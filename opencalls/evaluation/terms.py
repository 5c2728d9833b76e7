"""The evaluators' confidentiality and conflict-of-interest terms. Change the version whenever
the text in ``templates/opencalls/evaluation/_terms.html`` changes: each pool membership
records the version its evaluator accepted."""

TERMS_VERSION = "2026-01"
