"""Global sensitivity analysis of the model with SALib (issue 4).

Which policy levers keep Hilversum attractive, in each 2040 scenario, and
how robust is that answer to the model's own uncertain parameters?

The pieces, one job each:

- :mod:`.study` — the study file: schema, loading, validation;
- :mod:`.sampling` — the SALib problem and the seeded Sobol/Morris samples;
- :mod:`.plan` — design points × scenarios × replications (+ no-policy
  references) as run specs for the sweep runner;
- :mod:`.outcomes` — per-run outcomes from the stored runs, replication means;
- :mod:`.noise` — how much of the variance is seed noise;
- :mod:`.indices` — Sobol, Morris and PAWN indices as one tidy table;
- :mod:`.diagnostics` — wide-interval warnings and the next sample size;
- :mod:`.tables`, :mod:`.figures` — ranked lever tables, summary, figures;
- :mod:`.pipeline` — glue: run a study file end to end.

From Python::

    from experiments.sensitivity import run_study
    result = run_study("params/experiments/policy-sensitivity-quick.toml")
    result.indices          # tidy DataFrame, also results/<study>/indices.csv
"""

from __future__ import annotations

from .study import Study, load_study

__all__ = ["Study", "load_study", "run_study"]


def run_study(*args, **kwargs):
    """Run a study file end to end; see :func:`experiments.sensitivity.pipeline.run_study`."""
    from .pipeline import run_study as _run

    return _run(*args, **kwargs)
