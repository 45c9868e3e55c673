"""Yearly outcomes (DESIGN §6), computed from the model's tables each year.

``OutcomeRecorder.update`` computes one row of numbers with numpy; the
Mesa ``DataCollector`` reads them through one reporter per column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .params import KINDS


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


def columns(locations: list[str]) -> list[str]:
    """All yearly outcome column names, in order."""
    cols = ["year", "orgs_total", "jobs_total"]
    cols += [f"orgs_{loc}" for loc in locations] + [f"jobs_{loc}" for loc in locations]
    cols += [f"orgs_{k}_{loc}" for k in KINDS for loc in locations]
    cols += [f"jobs_{k}_{loc}" for k in KINDS for loc in locations]
    cols += ["hilversum_jobs_share", "hilversum_orgs_share"]
    cols += [f"hilversum_jobs_share_{k}" for k in KINDS]
    cols += [f"hilversum_orgs_share_{k}" for k in KINDS]
    cols += ["media_valley_jobs", "media_valley_jobs_share", "startups_hilversum"]
    cols += [
        "startup_births_hilversum",
        "startup_failures_hilversum",
        "startup_scaleups_hilversum",
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
    ]
    cols += [f"occupancy_{loc}" for loc in locations]
    cols += [f"floor_space_{loc}" for loc in locations]
    cols += [f"rent_{loc}" for loc in locations] + [f"talent_{loc}" for loc in locations]
    cols += ["hilversum_diversity"] + [f"attractiveness_{k}" for k in KINDS]
    cols += ["eg_gamma", "plant_herfindahl", "location_herfindahl", "policy_cost_meur"]
    return cols


class OutcomeRecorder:
    """Computes the current year's outcome row for the DataCollector."""

    def __init__(self, model):
        self.model = model
        self.names = columns(model.location_names)
        self.row: dict[str, float] = {}
        # Column names of the per-location and per-kind blocks, made once:
        # update() then fills each block with one zip over an array.
        locs = model.location_names
        self._keys = {
            name: [f"{name}_{loc}" for loc in locs]
            for name in ("orgs", "jobs", "occupancy", "floor_space", "rent", "talent")
        }
        self._keys["orgs_cell"] = [f"orgs_{k}_{loc}" for k in KINDS for loc in locs]
        self._keys["jobs_cell"] = [f"jobs_{k}_{loc}" for k in KINDS for loc in locs]
        for name in ("hilversum_jobs_share", "hilversum_orgs_share", "attractiveness"):
            self._keys[name] = [f"{name}_{k}" for k in KINDS]

    def reporters(self) -> dict:
        return {name: (lambda m, name=name: m.recorder.row[name]) for name in self.names}

    def update(self) -> None:
        m = self.model
        h, keys = m.home, self._keys
        jobs, orgs = m.jobs, m.orgs
        row: dict[str, float] = {"year": m.year}
        jobs_loc, orgs_loc = jobs.sum(axis=0), orgs.sum(axis=0)
        row["orgs_total"], row["jobs_total"] = float(orgs_loc.sum()), float(jobs_loc.sum())
        row.update(zip(keys["orgs"], orgs_loc.astype(float).tolist(), strict=True))
        row.update(zip(keys["jobs"], jobs_loc.tolist(), strict=True))
        row.update(zip(keys["orgs_cell"], orgs.astype(float).ravel().tolist(), strict=True))
        row.update(zip(keys["jobs_cell"], jobs.ravel().tolist(), strict=True))
        row["hilversum_jobs_share"] = _share(jobs_loc[h], jobs_loc.sum())
        row["hilversum_orgs_share"] = _share(orgs_loc[h], orgs_loc.sum())
        for k in range(len(KINDS)):
            row[keys["hilversum_jobs_share"][k]] = _share(jobs[k, h], jobs[k].sum())
            row[keys["hilversum_orgs_share"][k]] = _share(orgs[k, h], orgs[k].sum())
        row["media_valley_jobs"] = float(jobs_loc[m.media_valley].sum())
        row["media_valley_jobs_share"] = _share(row["media_valley_jobs"], jobs_loc.sum())
        row["startups_hilversum"] = float(orgs[KINDS.index("startup"), h])
        for name, value in m.flows.items():
            row[name] = float(value)
        occupancy = np.where(m.constrained, m.occupied / m.space_now, np.nan)
        row.update(zip(keys["occupancy"], occupancy.tolist(), strict=True))
        row.update(zip(keys["floor_space"], m.space_now.astype(float).tolist(), strict=True))
        row.update(zip(keys["rent"], m.rent.astype(float).tolist(), strict=True))
        row.update(zip(keys["talent"], m.talent.astype(float).tolist(), strict=True))
        row["hilversum_diversity"] = shannon_diversity(jobs[:, h])
        attractiveness = m.entrant_probabilities()[:, h]
        row.update(zip(keys["attractiveness"], attractiveness.tolist(), strict=True))
        n = m.n_rows
        placed = m.org_alive[:n] & (m.org_location[:n] >= 0)
        eg, plant_h, loc_h = ellison_glaeser(
            m.org_employees[:n][placed], m.org_location[:n][placed].astype(np.int64), m.eg_reference
        )
        row["eg_gamma"], row["plant_herfindahl"], row["location_herfindahl"] = eg, plant_h, loc_h
        row["policy_cost_meur"] = m.policy_cost_meur()
        self.row = row

    def frame(self, model_vars: dict[str, list]) -> pd.DataFrame:
        """The DataCollector's columns as one DataFrame, built from a single float array.

        Same result as ``DataCollector.get_model_vars_dataframe()`` with an
        integer ``year``, without pandas' per-column construction cost.
        """
        values = np.array([model_vars[name] for name in self.names], dtype=float).T
        df = pd.DataFrame(values, columns=self.names)
        df["year"] = df["year"].astype(int)
        return df


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


SUMMARY_OUTCOMES = (
    "hilversum_jobs_share",
    "hilversum_orgs_share",
    "media_valley_jobs",
    "startups_hilversum",
    "jobs_hilversum",
    "occupancy_hilversum",
    "rent_hilversum",
    "hilversum_diversity",
    "eg_gamma",
)


def run_summary(outcomes: pd.DataFrame, tipping_threshold: float) -> dict[str, float]:
    """Per-run figures: final-year values, minimum Hilversum jobs share, tipping year.

    The tipping year is the first year the Hilversum jobs share is below
    ``tipping_threshold`` (NaN if it never is). ``cost_per_point_kept_meur``
    is the cumulative policy cost per percentage point of 2040 Hilversum
    jobs share (NaN when nothing was spent).
    """
    final = outcomes.iloc[-1]
    out: dict[str, float] = {"final_year": float(final["year"])}
    for name in outcomes.columns:
        if name != "year":
            out[f"{name}_final"] = float(final[name])
    share = outcomes["hilversum_jobs_share"]
    out["min_hilversum_jobs_share"] = float(share.min())
    below = outcomes.loc[share < tipping_threshold, "year"]
    out["tipping_year"] = float(below.iloc[0]) if len(below) else float("nan")
    out["cumulative_policy_cost_meur"] = float(outcomes["policy_cost_meur"].sum())
    return out
