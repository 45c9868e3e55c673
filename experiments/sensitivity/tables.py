"""Ranked lever tables and the study's markdown summary.

A ranked table lists, for one scenario, the factors (the dummy among them)
by their effect on the main outcome (``analysis.main_outcome``, default
Hilversum's jobs share) in the final year: the noise-corrected Sobol' ST
and S1 with their intervals, Morris μ* and μ, the PAWN median with
``pawn_critical`` (the 95% quantile of the PAWN median under a permutation
null on the same points: a factor without effect stays below it 95% of the
time), and — for levers — the paired ``effect`` over the uncertainty
ensemble with its interval (:mod:`.levers`) and ``direction``: "raises it"
or "lowers it" when the interval excludes 0, "no clear effect" when it
contains 0. Ranked by ST (by μ* without Sobol).

``verdict`` compares the factor with the dummy, which the model ignores
and whose runs use independent seeds: ``influential`` if the factor's ST
interval lies wholly above the dummy's, ``negligible`` if it reaches no
higher than the dummy's, ``unclear`` otherwise (a larger study would tell).
``noise_level`` is the seed-noise share of the replication means (see
:mod:`.noise`); the indices are corrected for it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .levers import direction
from .plan import Plan
from .study import DUMMY, Study

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
    "delta",
    "effect",
    "effect_low",
    "effect_high",
    "direction",
    "noise_level",
    "verdict",
]


def rankings(
    plan: Plan,
    indices: pd.DataFrame,
    noise: pd.DataFrame,
    means: dict[str, np.ndarray],
    years: dict[str, tuple[int, ...]],
    effects: pd.DataFrame | None = None,
    nulls: dict[tuple[str, str], float] | None = None,
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
        for method, index, name in (
            ("morris", "mu", "mu"),
            ("pawn", "median", "pawn_median"),
            ("delta", "delta", "delta"),
        ):
            got = cell[(cell["method"] == method) & (cell["index"] == index)].set_index("factor")
            table[name] = table["factor"].map(got["value"])
        table["pawn_critical"] = (nulls or {}).get((scenario, outcome), math.nan)
        _add_effects(table, effects, scenario, outcome, year)
        level = noise[
            (noise["scenario"] == scenario)
            & (noise["outcome"] == outcome)
            & (noise["year"] == year)
            & (noise["sample"] == plan.study.methods.samples[0])
        ]["noise_share_means"]
        table["noise_level"] = float(level.iloc[0]) if len(level) else math.nan
        dummy = table[table["factor"] == DUMMY]
        dummy_high = float(dummy["ST_high"].iloc[0]) if len(dummy) else math.nan
        table["verdict"] = [_verdict(study, r, dummy_high) for r in table.itertuples()]
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


def _add_effects(table, effects, scenario, outcome, year) -> None:
    """The levers' paired effects on the main outcome in the final year, and their sign."""
    table["effect"] = math.nan
    table["effect_low"] = math.nan
    table["effect_high"] = math.nan
    table["direction"] = ""
    if effects is None or effects.empty:
        return
    sel = effects[
        (effects["scenario"] == scenario)
        & (effects["outcome"] == outcome)
        & (effects["year"] == year)
    ].set_index("lever")
    table["effect"] = table["factor"].map(sel["effect"])
    table["effect_low"] = table["factor"].map(sel["conf_low"])
    table["effect_high"] = table["factor"].map(sel["conf_high"])
    table["direction"] = [
        direction(e, lo, hi) if isinstance(e, float) and math.isfinite(e) else ""
        for e, lo, hi in zip(
            table["effect"], table["effect_low"], table["effect_high"], strict=True
        )
    ]


def _verdict(study: Study, row, dummy_high: float) -> str:
    """Influential / negligible / unclear against the dummy's ST interval."""
    if study.methods.sobol is None or not math.isfinite(row.ST_low) or row.factor == DUMMY:
        return ""
    if not math.isfinite(dummy_high):
        return "unclear"
    if row.ST_low > dummy_high:
        return "influential"
    if row.ST_high <= dummy_high:
        return "negligible"
    return "unclear"
