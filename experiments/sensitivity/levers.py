"""What each lever does across the uncertainty: paired effects over an uncertainty ensemble.

The lever ensemble (:func:`.sampling.levers_design`) draws ``members``
points of the uncertain parameters (a scrambled Sobol' sequence) and runs
each with every lever off, with each lever alone at the upper bound of its
range, and with every lever at its upper bound, all on the member's seeds.
A lever's paired effect on an outcome in a year is

    effect = mean over members of [Ȳ(lever on) − Ȳ(all off)]

(Ȳ: replication mean). The members are independent draws, so the 95%
interval is the t interval of the mean of the member differences: it
holds the spread of the effect over the uncertainty and the seed noise
the common seeds do not cancel. Unlike an index from a joint Sobol'
design, the effect has a sign and a unit (the outcome's), and does not
depend on how wide the other levers' ranges were chosen.

``lever_effects.csv`` (``scenario, outcome, year, lever, effect,
conf_low, conf_high``) holds the single levers; ``lever_combined.csv``
holds every lever at once (``all_levers``) and its departure from the sum
of the single effects (``interaction``: ≠ 0 when levers reinforce or
undercut each other); ``lever_costs.csv`` gives each lever's cumulative
cost and cost per point of final-year share kept, with the floor
(``analysis.min_kept_pp``) as a separate column instead of inside the ratio.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import t as student

from .outcomes import COST, RATIO, SHARE, RunValues
from .plan import Plan
from .sampling import ALL, OFF, lever_rows

LEVER_EFFECT_COLUMNS = ["scenario", "outcome", "year", "lever", "effect", "conf_low", "conf_high"]
INTERACTION = "interaction"
COST_COLUMNS = [
    "scenario",
    "lever",
    "cost_meur",
    "kept_pp",
    "kept_low",
    "kept_high",
    "floor_pp",
    "cost_per_point_meur",
    "note",
]


def _mean_interval(d: np.ndarray, conf: float) -> tuple[float, float, float]:
    """Mean of member differences and its t interval (NaN-safe)."""
    d = d[np.isfinite(d)]
    if len(d) < 2:
        return math.nan, math.nan, math.nan
    m = float(d.mean())
    half = float(student.ppf(0.5 + conf / 2, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d)))
    return m, m - half, m + half


def _member_cube(plan: Plan, scenario: str, values: np.ndarray) -> np.ndarray:
    """Values of one scenario's lever ensemble as ``(members, rows per member, ...)``."""
    idx = plan.points(scenario, "levers")["row"].to_numpy()
    width = len(lever_rows(plan.study))
    return values[idx].reshape(len(idx) // width, width, *values.shape[1:])


def lever_effects(
    plan: Plan, means: dict[str, np.ndarray], years: dict[str, tuple[int, ...]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each lever's paired effect (and all levers', and their interaction) on every outcome
    and year; returns (single levers, combined)."""
    study = plan.study
    spec = study.methods.levers
    labels = lever_rows(study)
    single, combined = [], []
    if spec is None:
        return (
            pd.DataFrame(columns=LEVER_EFFECT_COLUMNS),
            pd.DataFrame(columns=LEVER_EFFECT_COLUMNS),
        )
    for scenario in study.scenarios:
        for outcome, mean in means.items():
            if outcome == RATIO:
                continue  # a ratio to a reference the ensemble does not run: see lever_costs
            cube = _member_cube(plan, scenario, mean)  # (M, L, years)
            off = cube[:, labels.index(OFF)]
            for j, year in enumerate(years[outcome]):
                singles = []
                for i, label in enumerate(labels):
                    if label == OFF:
                        continue
                    d = cube[:, i, j] - off[:, j]
                    m, low, high = _mean_interval(d, spec.conf_level)
                    row = {
                        "scenario": scenario,
                        "outcome": outcome,
                        "year": int(year),
                        "lever": label,
                        "effect": m,
                        "conf_low": low,
                        "conf_high": high,
                    }
                    if label == ALL:
                        combined.append(row)
                    else:
                        single.append(row)
                        singles.append(d)
                all_d = cube[:, labels.index(ALL), j] - off[:, j]
                m, low, high = _mean_interval(all_d - np.sum(singles, axis=0), spec.conf_level)
                combined.append(
                    {
                        "scenario": scenario,
                        "outcome": outcome,
                        "year": int(year),
                        "lever": INTERACTION,
                        "effect": m,
                        "conf_low": low,
                        "conf_high": high,
                    }
                )
    return (
        pd.DataFrame(single, columns=LEVER_EFFECT_COLUMNS),
        pd.DataFrame(combined, columns=LEVER_EFFECT_COLUMNS),
    )


def lever_costs(plan: Plan, values: RunValues) -> pd.DataFrame:
    """Each lever's cumulative cost (M€) and its cost per point of final-year Hilversum
    jobs share kept. The cost per point is given only where the whole interval of the
    points kept lies above the floor ``analysis.min_kept_pp``; elsewhere ``note`` says why."""
    study = plan.study
    spec = study.methods.levers
    if spec is None or COST not in values.helpers or SHARE not in values.helpers:
        return pd.DataFrame(columns=COST_COLUMNS)
    floor = study.analysis.min_kept_pp
    labels = lever_rows(study)
    cost = values.helpers[COST].mean(axis=1)
    share = values.helpers[SHARE].mean(axis=1)
    rows = []
    for scenario in study.scenarios:
        c, s = _member_cube(plan, scenario, cost), _member_cube(plan, scenario, share)
        off = labels.index(OFF)
        for i, label in enumerate(labels):
            if label == OFF:
                continue
            spent = float(np.mean(c[:, i] - c[:, off]))
            kept, low, high = _mean_interval(100.0 * (s[:, i] - s[:, off]), spec.conf_level)
            if not math.isfinite(low):
                per, note = math.nan, "no estimate"
            elif low > floor:
                per, note = spent / kept, ""
            elif high < 0:
                per, note = math.nan, "lowers the share"
            elif low <= 0 <= high:
                per, note = math.nan, "no clear effect on the share"
            else:
                per, note = math.nan, f"points kept not clearly above the floor of {floor:g}"
            rows.append(
                {
                    "scenario": scenario,
                    "lever": label,
                    "cost_meur": spent,
                    "kept_pp": kept,
                    "kept_low": low,
                    "kept_high": high,
                    "floor_pp": floor,
                    "cost_per_point_meur": per,
                    "note": note,
                }
            )
    return pd.DataFrame(rows, columns=COST_COLUMNS)


def direction(effect: float, low: float, high: float) -> str:
    """'raises it', 'lowers it' or 'no clear effect' (the interval contains 0)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    if low > 0:
        return "raises it"
    if high < 0:
        return "lowers it"
    return "no clear effect"
