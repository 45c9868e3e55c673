"""How much of an outcome's variance is seed noise rather than the factors.

Each design point x is run with R seeds. By the law of total variance,
``Var(Y) = Var(E[Y|x]) + E[Var(Y|x)]``: the second term is seed noise. Per
scenario, design, outcome and year:

- ``noise_share_runs`` = E[Var(Y|x)] / Var(Y): the share of the variance
  of single runs that is noise (mean within-point variance over the total
  variance of all runs);
- ``noise_share_means`` = (E[Var(Y|x)] / R) / Var(Ȳ(x)): what is left of
  it in the replication means the indices are computed from. It is the
  level below which a total-effect index cannot be told from noise: noise
  that is independent between design points adds about this much to every
  factor's ST (common random numbers, see :mod:`.sampling`, lower it);
- ``replications_needed``: the R that would bring ``noise_share_means``
  down to ``analysis.noise_target``.

For ``cost_per_point_kept`` the within-point variance is that of the
per-run ratios, an overestimate of the noise in the ratio of means.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .outcomes import RunValues
from .plan import Plan

NOISE_COLUMNS = [
    "scenario",
    "outcome",
    "year",
    "sample",
    "replications",
    "var_runs",
    "var_within",
    "var_means",
    "noise_share_runs",
    "noise_share_means",
    "replications_needed",
]


def noise_table(plan: Plan, values: RunValues, means: dict[str, np.ndarray]) -> pd.DataFrame:
    """Seed-noise shares for every scenario × design × outcome × year."""
    study = plan.study
    reps = study.replications
    rows = []
    for scenario in study.scenarios:
        for method in plan.samples:
            idx = plan.points(scenario, method)["row"].to_numpy()
            for outcome, runs in values.values.items():
                for j, year in enumerate(values.years[outcome]):
                    y = runs[idx, :, j]
                    m = means[outcome][idx, j]
                    if not np.isfinite(y).any():
                        continue  # e.g. points kept in the lever ensemble, which has no references
                    rows.append(
                        {
                            "scenario": scenario,
                            "outcome": outcome,
                            "year": year,
                            "sample": method,
                            "replications": reps,
                            **noise_of(y, m, study.analysis.noise_target),
                        }
                    )
    return pd.DataFrame(rows, columns=NOISE_COLUMNS)


def noise_of(runs: np.ndarray, means: np.ndarray, target: float) -> dict[str, float]:
    """Variance split of ``runs`` (points × replications) with point values ``means``."""
    reps = runs.shape[1]
    var_runs = float(np.var(runs, ddof=1))
    within = float(np.mean(np.var(runs, axis=1, ddof=1)))
    var_means = float(np.var(means, ddof=1))
    share_runs = min(within / var_runs, 1.0) if var_runs > 0 else math.nan
    share_means = min(within / reps / var_means, 1.0) if var_means > 0 else math.nan
    signal = var_means - within / reps
    needed = math.nan
    if signal > 0 and within > 0:
        needed = max(2, math.ceil(within * (1 - target) / (target * signal)))
    elif within == 0:
        needed = 1
    return {
        "var_runs": var_runs,
        "var_within": within,
        "var_means": var_means,
        "noise_share_runs": share_runs,
        "noise_share_means": share_means,
        "replications_needed": needed,
    }
