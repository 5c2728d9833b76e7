"""The open-call evaluation engine: plain Python, no models, no database.

- ``affinity``: how well each evaluator's expertise matches each proposal (TF-IDF).
- ``assignment``: who reads what, as an optimisation with conflicts, loads and locks.
- ``scoring``: score validation, weighted totals, thresholds.
- ``consensus``: disagreement flags, evaluator calibration, suggested consensus.
- ``ranking``: ranking per call or track, the budget line, the reserve list, interviews.

Inputs and outputs are frozen dataclasses with ids (ints or strings), so the web layer maps
its models in and the results out.
"""
