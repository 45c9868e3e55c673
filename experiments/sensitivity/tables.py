"""Ranked lever tables and the study's markdown summary.

A ranked table lists, for one scenario, the factors by their effect on the
main outcome (``analysis.main_outcome``, default Hilversum's jobs share) in
the final year: Sobol ST and S1 with their intervals, Morris μ* and μ,
PAWN median (with ``pawn_critical``, the KS distance a factor without
effect reaches at the 5% level: read PAWN medians near it as no effect),
and ``spearman_rho``, the rank correlation between the
factor's value and the outcome over the design (its sign says whether
more of the lever raises the outcome). Ranked by ST (by μ* without Sobol).

``verdict`` compares the ST interval with ``analysis.relevance`` (default
0.05, the usual screening threshold: a factor explaining less than 5% of
the variance, interactions included, is not influential):
``influential`` if the whole interval lies above it, ``negligible`` if it
lies below, ``unclear`` if it straddles it (a larger study would tell).
``noise_level`` is the seed-noise share of the replication means (see
:mod:`.noise`): the factors' ST share the variance with it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from .plan import Plan
from .study import Study

RANK_COLUMNS = [
    "scenario",
    "rank",
    "factor",
    "role",
    "label",
    "low",
    "high",
    "ST",
    "ST_low",
    "ST_high",
    "S1",
    "S1_low",
    "S1_high",
    "mu_star",
    "mu_star_low",
    "mu_star_high",
    "mu",
    "pawn_median",
    "pawn_critical",
    "spearman_rho",
    "noise_level",
    "verdict",
]


def rankings(
    plan: Plan,
    indices: pd.DataFrame,
    noise: pd.DataFrame,
    means: dict[str, np.ndarray],
    years: dict[str, tuple[int, ...]],
) -> pd.DataFrame:
    """All factors ranked per scenario on the main outcome (final year)."""
    study = plan.study
    outcome = study.analysis.main_outcome
    year = years[outcome][-1]
    sel = indices[(indices["outcome"] == outcome) & (indices["year"] == year)]
    frames = []
    for scenario in study.scenarios:
        cell = sel[sel["scenario"] == scenario]
        table = pd.DataFrame(
            {
                "scenario": scenario,
                "factor": study.factor_names,
                "role": [f.role for f in study.factors],
                "label": [f.label for f in study.factors],
                "low": [f.bounds[0] for f in study.factors],
                "high": [f.bounds[1] for f in study.factors],
            }
        )
        for method, index, name in (
            ("sobol", "ST", "ST"),
            ("sobol", "S1", "S1"),
            ("morris", "mu_star", "mu_star"),
        ):
            got = cell[(cell["method"] == method) & (cell["index"] == index)].set_index("factor")
            table[name] = table["factor"].map(got["value"])
            table[f"{name}_low"] = table["factor"].map(got["conf_low"])
            table[f"{name}_high"] = table["factor"].map(got["conf_high"])
        for method, index, name in (("morris", "mu", "mu"), ("pawn", "median", "pawn_median")):
            got = cell[(cell["method"] == method) & (cell["index"] == index)].set_index("factor")
            table[name] = table["factor"].map(got["value"])
        table["pawn_critical"] = pawn_critical(plan)
        table["spearman_rho"] = _spearman(plan, scenario, means[outcome][:, -1])
        level = noise[
            (noise["scenario"] == scenario)
            & (noise["outcome"] == outcome)
            & (noise["year"] == year)
            & (noise["sample"] == plan.study.methods.samples[0])
        ]["noise_share_means"]
        table["noise_level"] = float(level.iloc[0]) if len(level) else math.nan
        table["verdict"] = [_verdict(study, r) for r in table.itertuples()]
        key = "ST" if study.methods.sobol is not None else "mu_star"
        table = table.sort_values(key, ascending=False, kind="stable", na_position="last")
        table.insert(1, "rank", np.arange(1, len(table) + 1))
        frames.append(table[RANK_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def lever_table(ranked: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The levers of one scenario, re-ranked among themselves."""
    levers = ranked[(ranked["scenario"] == scenario) & (ranked["role"] == "lever")].copy()
    levers = levers.rename(columns={"rank": "rank_all_factors"})
    levers.insert(1, "rank", np.arange(1, len(levers) + 1))
    return levers.reset_index(drop=True)


def factor_table(study: Study) -> pd.DataFrame:
    """The factors: role, keys, mode, distribution, bounds and the reason for the range."""
    return pd.DataFrame(
        {
            "factor": study.factor_names,
            "role": [f.role for f in study.factors],
            "label": [f.label for f in study.factors],
            "keys": [" ".join(f.keys) for f in study.factors],
            "mode": [f.mode for f in study.factors],
            "distribution": [f.distribution for f in study.factors],
            "low": [f.bounds[0] for f in study.factors],
            "high": [f.bounds[1] for f in study.factors],
            "reason": [f.reason for f in study.factors],
        }
    )


def pawn_critical(plan: Plan, alpha: float = 0.05) -> float:
    """The KS distance a PAWN index must exceed to show an effect at level ``alpha``.

    Two-sample Kolmogorov–Smirnov critical value for a slice of n/S points
    against all n: c(α) √((n/S + n) / (n/S · n)), c(0.05) = 1.358. A PAWN
    median near it is what a factor without effect gets.
    """
    method = plan.study.methods.pawn_sample
    if method is None:
        return math.nan
    n = len(plan.samples[method].given_data_rows())
    m = n / plan.study.methods.pawn.slices
    c = math.sqrt(-0.5 * math.log(alpha / 2))
    return c * math.sqrt((m + n) / (m * n))


def _spearman(plan: Plan, scenario: str, values: np.ndarray) -> list[float]:
    method = plan.study.methods.samples[0]
    points = plan.points(scenario, method)
    y = values[points["row"].to_numpy()]
    out = []
    for name in plan.study.factor_names:
        x = points[name].to_numpy()
        if np.ptp(x) == 0 or np.ptp(y) == 0:
            out.append(math.nan)
        else:
            out.append(float(spearmanr(x, y).statistic))
    return out


def _verdict(study: Study, row) -> str:
    if study.methods.sobol is None or not math.isfinite(row.ST_low):
        return ""
    threshold = study.analysis.relevance
    if row.ST_low > threshold:
        return "influential"
    if row.ST_high < threshold:
        return "negligible"
    return "unclear"
