"""Robust decisions under deep uncertainty (issue 14).

Which policies keep Hilversum attractive across futures we cannot predict,
for the money we have? The pieces, one job each:

- :mod:`.study` — the study file: schema, loading, validation;
- :mod:`.futures` — Latin hypercube futures plus the storylines, and seeds;
- :mod:`.plan` — policies × futures as run specs; stored runs as arrays;
- :mod:`.metrics` — satisficing, percentile, regret, cost, budget frontier;
- :mod:`.search` — NSGA-II over lever mixes (pymoo), hypervolume;
- :mod:`.prim` — PRIM scenario discovery and the CART cross-check;
- :mod:`.analysis`, :mod:`.figures` — the tables and figures;
- :mod:`.pipeline` — glue: run a study file end to end on the engine.

From Python::

    from experiments.robust import run_robust
    result = run_robust("params/experiments/robust.toml")
    result.tables["robustness"]     # also results/robust/robustness.csv
"""

from __future__ import annotations

from .study import RobustStudy, load_study

__all__ = ["RobustStudy", "load_study", "run_robust"]


def run_robust(*args, **kwargs):
    """Run a robust study end to end; see :func:`experiments.robust.pipeline.run_robust`."""
    from .pipeline import run_robust as _run

    return _run(*args, **kwargs)
