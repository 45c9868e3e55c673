"""Outcomes of every run of a study, and their replication means.

:class:`RunValues` holds, per outcome, an array ``(design rows, replications,
years)`` — the seam between running and analysing: the model's runs fill
it through :func:`from_runs`; a test can fill it from any function.

Definitions (see also :data:`.study.DERIVED_OUTCOMES`):

- ``share_kept_pp`` (yearly) = 100 × (Hilversum jobs share of the run −
  that of its no-policy reference run: same scenario, same values of the
  non-lever factors, every lever 0, same seed);
- ``min_hilversum_jobs_share``: the lowest share over all years of the run
  (censored at the 2025 share: flagged as unsuited, see :data:`.study.UNSUITED`);
- ``ever_below_2025_share``: 1 if the share fell below its 2025 value in any
  later year, else 0; its replication mean is a probability;
- ``cumulative_policy_cost_meur``: ``policy_cost_meur`` summed over the run;
- ``cost_per_point_kept`` = cumulative policy cost / max(share kept in the
  final year, ``min_kept_pp``), M€ per percentage point. For a design
  point it is the ratio of the replication means (mean cost / max(mean
  points kept, floor)), not the mean of per-run ratios, which explodes
  when a run keeps nothing. The floor keeps the ratio finite where a
  policy mix keeps (almost) nothing; such points get the highest values.

Run-level outcomes carry the final year as their year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .plan import Plan
from .study import BASE_COLUMNS, DERIVED_OUTCOMES, Study

COST = "cumulative_policy_cost_meur"
KEPT = "share_kept_pp"
RATIO = "cost_per_point_kept"
SHARE = "final_hilversum_jobs_share"  # helper: the final-year share of every run


class MissingRuns(Exception):
    """Some planned runs have no stored outcomes (failed or not yet run)."""


@dataclass
class RunValues:
    """Outcome arrays ``(n_rows, replications, n_years)`` for every design row.

    ``years[name]`` gives the years of an outcome's last axis. Rows of
    references are present (all NaN for outcomes defined only for points).
    """

    values: dict[str, np.ndarray]
    years: dict[str, tuple[int, ...]]
    helpers: dict[str, np.ndarray] = field(default_factory=dict)

    def means(self, min_kept_pp: float = 0.5) -> dict[str, np.ndarray]:
        """Replication means ``(n_rows, n_years)`` per outcome (ratio of means for the
        cost per point kept)."""
        out = {name: v.mean(axis=1) for name, v in self.values.items()}
        if RATIO in self.values:
            cost = self.helpers[COST].mean(axis=1)
            kept = self.helpers[KEPT].mean(axis=1)
            out[RATIO] = (cost / np.maximum(kept, min_kept_pp))[:, None]
        return out


def model_columns(study: Study) -> tuple[str, ...]:
    """The yearly model columns a study needs stored."""
    wanted = [c for c in study.outcomes if c not in DERIVED_OUTCOMES]
    return tuple(dict.fromkeys([*BASE_COLUMNS, *wanted]))


def from_runs(plan: Plan, runs: pd.DataFrame) -> RunValues:
    """Outcomes of every design row from stored run rows (``run_id``, ``year``, columns).

    Raises :class:`MissingRuns` unless every planned run is there.
    """
    study = plan.study
    reps, n_rows = study.replications, len(plan.frame)
    n_runs = n_rows * reps
    years = np.array(study.years) if study.years else np.sort(runs["year"].unique())
    runs = runs.sort_values(["run_id", "year"], kind="stable")
    ids = runs["run_id"].to_numpy()
    have = np.unique(ids)
    if len(have) != n_runs or (len(have) and (have[0] != 0 or have[-1] != n_runs - 1)):
        missing = n_runs - len(np.intersect1d(have, np.arange(n_runs)))
        raise MissingRuns(f"{missing} of {n_runs} runs have no stored outcomes")
    if len(runs) != n_runs * len(years):
        raise MissingRuns("stored runs do not all cover the same years")
    shape = (n_rows, reps, len(years))

    def column(name: str) -> np.ndarray:
        return runs[name].to_numpy(dtype=float).reshape(shape)

    final = (int(years[-1]),)
    all_years = tuple(int(y) for y in years)
    share = column("hilversum_jobs_share")
    cost = column("policy_cost_meur").sum(axis=2, keepdims=True)
    ref_row = plan.frame["ref_row"].to_numpy()
    kept = np.full(shape, np.nan)
    has_ref = ref_row >= 0
    kept[has_ref] = 100.0 * (share[has_ref] - share[ref_row[has_ref]])
    values, yrs = {}, {}
    for name in study.outcomes:
        if name == KEPT:
            values[name], yrs[name] = kept, all_years
        elif name == "min_hilversum_jobs_share":
            values[name], yrs[name] = share.min(axis=2, keepdims=True), final
        elif name == "ever_below_2025_share":
            below = (share[:, :, 1:] < share[:, :, :1]).any(axis=2, keepdims=True)
            values[name], yrs[name] = below.astype(float), final
        elif name == COST:
            values[name], yrs[name] = cost, final
        elif name == RATIO:
            ratio = cost / np.maximum(kept[:, :, -1:], study.analysis.min_kept_pp)
            values[name], yrs[name] = ratio, final
        else:
            values[name], yrs[name] = column(name), all_years
    helpers = {COST: cost[:, :, 0], KEPT: kept[:, :, -1], SHARE: share[:, :, -1]}
    return RunValues(values, yrs, helpers)
