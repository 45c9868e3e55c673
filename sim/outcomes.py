"""Yearly outcomes (docs/design.md §6), computed from the model's tables each year.

``OutcomeRecorder.update`` computes one row of numbers with numpy; the
Mesa ``DataCollector`` keeps the row of every year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import policy
from .params import Params


def shannon_diversity(jobs_by_kind: np.ndarray) -> float:
    """Normalised Shannon entropy of a job distribution over kinds (0 = one kind, 1 = even)."""
    total = jobs_by_kind.sum()
    if total <= 0:
        return 0.0
    p = jobs_by_kind[jobs_by_kind > 0] / total
    return float(-(p * np.log(p)).sum() / np.log(jobs_by_kind.size))


def ellison_glaeser(
    org_jobs: np.ndarray, org_location: np.ndarray, reference: np.ndarray
) -> tuple[float, float, float]:
    """Ellison–Glaeser (1997) γ, the plant Herfindahl H and the locational Herfindahl.

    ``reference`` is the share of all (economy-wide) jobs per location, x_ℓ.
    γ = (G / (1 − Σx²) − H) / (1 − H), G = Σ (s_ℓ − x_ℓ)², H = Σ z_i².
    Under the dartboard (organisations placed independently with
    probabilities x) E[γ] = 0.
    """
    total = org_jobs.sum()
    if total <= 0 or org_jobs.size < 2:
        return float("nan"), float("nan"), float("nan")
    z = org_jobs / total
    plant_h = float((z**2).sum())
    shares = np.bincount(org_location, org_jobs, reference.size) / total
    x = reference / reference.sum()
    g = float(((shares - x) ** 2).sum())
    gamma = (g / (1.0 - (x**2).sum()) - plant_h) / (1.0 - plant_h)
    return float(gamma), plant_h, float((shares**2).sum())


# The year's flows, in column order (the model's ``flows`` dict has these keys;
# in the column names ``home`` becomes the home place's name).
FLOWS = (
    "startup_births_home",
    "startup_failures_home",
    "startup_scaleups_home",
    "entries",
    "entries_rejected",
    "arrivals_turned_away",
    "exits",
    "mergers",
    "scaleups",
    "relocations",
    "jobs_entered",
    "jobs_exited",
    "jobs_growth",
)


# The space market per place (sim/space.py), after occupancy_* and floor_space_*.
SPACE_OUTCOMES = (
    "space_demand_m2",
    "space_stock_m2",
    "space_pipeline_m2",
    "space_permission_m2",
    "space_turned_away_m2",
    "vacancy",
)


def columns(params: Params) -> list[str]:
    """All yearly outcome column names of a run with these params, in order.

    Columns per kind and per location follow ``params.kinds`` and
    ``params.locations``; those about the home place carry its name
    (``places.home``: ``hilversum_jobs_share`` for the shipped params).
    """
    locations, kinds, home = params.location_names, params.kind_names, params.home
    cols = ["year", "orgs_total", "jobs_total"]
    cols += [f"orgs_{loc}" for loc in locations] + [f"jobs_{loc}" for loc in locations]
    cols += [f"orgs_{k}_{loc}" for k in kinds for loc in locations]
    cols += [f"jobs_{k}_{loc}" for k in kinds for loc in locations]
    cols += [f"{home}_jobs_share", f"{home}_orgs_share"]
    cols += [f"{home}_jobs_share_{k}" for k in kinds]
    cols += [f"{home}_orgs_share_{k}" for k in kinds]
    cols += ["media_valley_jobs", "media_valley_jobs_share", f"startups_{home}"]
    cols += [
        name.removesuffix("_home") + f"_{home}" if name.endswith("_home") else name
        for name in FLOWS
    ]
    cols += [f"occupancy_{loc}" for loc in locations]
    cols += [f"floor_space_{loc}" for loc in locations]
    cols += [f"{name}_{loc}" for name in SPACE_OUTCOMES for loc in locations]
    cols += [f"rent_{loc}" for loc in locations] + [f"talent_{loc}" for loc in locations]
    cols += [f"{home}_diversity"] + [f"attractiveness_{k}" for k in kinds]
    cols += ["eg_gamma", "plant_herfindahl", "location_herfindahl"]
    cols += ["policy_cost_meur", "policy_cost_discounted_meur"]
    return cols


class OutcomeRecorder:
    """Computes the current year's outcome row for the DataCollector.

    The row is one float vector in the order of :func:`columns`
    (``values``); ``row`` gives it by name. The DataCollector keeps one
    vector per year, and :meth:`frame` turns them into the outcomes table.
    """

    def __init__(self, model):
        self.model = model
        self.names = columns(model.params)
        self.values = np.zeros(len(self.names))

    @property
    def row(self) -> dict[str, float]:
        """This year's outcomes by column name (``year`` as an int)."""
        row = dict(zip(self.names, self.values.tolist(), strict=True))
        row["year"] = int(row["year"])
        return row

    def reporters(self) -> dict:
        return {"outcomes": lambda m: m.recorder.values}

    def update(self) -> None:
        m = self.model
        h = m.home
        jobs, orgs = m.jobs, m.orgs.astype(float)
        jobs_loc, orgs_loc = jobs.sum(axis=0), orgs.sum(axis=0)
        jobs_kind, orgs_kind = jobs.sum(axis=1), orgs.sum(axis=1)
        n = m.n_rows
        placed = m.org_alive[:n] & (m.org_location[:n] >= 0)
        eg = ellison_glaeser(
            m.org_employees[:n][placed], m.org_location[:n][placed].astype(np.int64), m.eg_reference
        )
        media_valley_jobs = jobs_loc[m.media_valley].sum()
        cost = m.policy_cost_meur()
        discount = policy.discount_factor(
            m.year, m.params.run.start_year, m.params.policy_costs.discount_rate
        )
        occupancy, *space = m.space.outcome_parts(m.occupied)
        parts = (
            (m.year, orgs_loc.sum(), jobs_loc.sum()),
            orgs_loc,
            jobs_loc,
            orgs.ravel(),
            jobs.ravel(),
            (_share(jobs_loc[h], jobs_loc.sum()), _share(orgs_loc[h], orgs_loc.sum())),
            _shares(jobs[:, h], jobs_kind),
            _shares(orgs[:, h], orgs_kind),
            (media_valley_jobs, _share(media_valley_jobs, jobs_loc.sum())),
            (orgs[m.is_startup, h].sum(),),
            [m.flows[name] for name in FLOWS],
            occupancy,
            m.space.stock,
            *space,
            m.rent,
            m.talent,
            (shannon_diversity(jobs[:, h]),),
            m.entrant_probabilities()[:, h],
            eg,
            (cost, cost * discount),
        )
        self.values = np.concatenate([np.asarray(part, dtype=float).ravel() for part in parts])

    def frame(self, model_vars: dict[str, list]) -> pd.DataFrame:
        """The DataCollector's yearly vectors as the outcomes table (one row per year)."""
        df = pd.DataFrame(np.vstack(model_vars["outcomes"]), columns=self.names)
        df["year"] = df["year"].astype(int)
        return df


def _shares(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole, NaN where whole is 0."""
    out = np.full(part.shape, np.nan)
    np.divide(part, whole, out=out, where=whole > 0)
    return out


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


def run_summary(
    outcomes: pd.DataFrame, tipping_threshold: float, home: str = "hilversum"
) -> dict[str, float]:
    """Per-run figures: final-year values, minimum home jobs share, tipping year.

    The tipping year is the first year the home place's jobs share is below
    ``tipping_threshold`` (NaN if it never is).
    """
    final = outcomes.iloc[-1]
    out: dict[str, float] = {"final_year": float(final["year"])}
    for name in outcomes.columns:
        if name != "year":
            out[f"{name}_final"] = float(final[name])
    share = outcomes[f"{home}_jobs_share"]
    out[f"min_{home}_jobs_share"] = float(share.min())
    below = outcomes.loc[share < tipping_threshold, "year"]
    out["tipping_year"] = float(below.iloc[0]) if len(below) else float("nan")
    out["cumulative_policy_cost_meur"] = float(outcomes["policy_cost_meur"].sum())
    out["cumulative_policy_cost_discounted_meur"] = float(
        outcomes["policy_cost_discounted_meur"].sum()
    )
    return out
