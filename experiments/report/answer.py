"""Page one's arithmetic: which packages keep Hilversum's share at or above a target, at what
cost, and the robust choice per budget from a sweep's packages.

From one row per run (scenario, policy, final-year and first-year Hilversum jobs
share, yearly policy costs summed and discounted), per scenario × package:

- ``share`` / ``p05`` / ``p95``: median and 5–95% band of the final-year share (%);
- ``at_target``: the share of runs at or above the target (0–1);
- ``kept``: median share minus the no-policy (``none``) median share in the same
  scenario (points), with ``kept_se`` its standard error (1.2533 σ/√n per median,
  the large-sample standard error of a median of normal data, combined in
  quadrature);
- ``cost_total`` / ``cost_pv``: the median over runs of the yearly policy costs
  summed, undiscounted and discounted to the first year at ``rate``;
  ``per_year``: ``cost_total`` / years;
- ``per_point``: ``cost_pv`` / ``kept`` (M€ per point), only where ``kept`` is
  more than two standard errors above 0 (else there is no measurable gain to price).

Across the scenarios (``Answer.overall``), per package: in how many scenarios the
median run is at or above the target, the mean (and range) of ``kept`` over the
scenarios, the mean costs and M€ per point of the mean.

The budget frontier (``Answer.frontier``): for each budget level (each package's
discounted cost), only the packages costing no more are compared; regret is
measured against the best of *those* in each scenario, and the choice is the one
whose largest regret is smallest (ties: the cheaper). So the package with every
lever does not win by construction: at a smaller budget it is not on the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

NO_POLICY = "none"
MEDIAN_SE_FACTOR = math.sqrt(math.pi / 2)  # 1.2533: large-sample SE of a median, normal data
DEFAULT_DISCOUNT_RATE = 0.0225  # Werkgroep discontovoet 2020: Dutch standard rate from 2021
SHARE = "hilversum_jobs_share"
COST = "policy_cost_meur"


def per_run(frame: pd.DataFrame, rate: float) -> pd.DataFrame:
    """One row per run from the yearly rows of a sweep (``run_id, scenario, policy, year,
    hilversum_jobs_share, policy_cost_meur``): final and first share, costs."""
    frame = frame.sort_values(["run_id", "year"])
    first_year = int(frame["year"].min())
    grouped = frame.groupby("run_id", sort=False)
    out = grouped[["scenario", "policy"]].first()
    out["year"] = grouped["year"].max()
    out["start_year"] = grouped["year"].min()
    out["share"] = 100 * grouped[SHARE].last()
    out["start_share"] = 100 * grouped[SHARE].first()
    factor = (1.0 + rate) ** -(frame["year"] - first_year).to_numpy(dtype=float)
    out["cost_total"] = grouped[COST].sum()
    out["cost_pv"] = (frame[COST] * factor).groupby(frame["run_id"], sort=False).sum()
    out["years"] = grouped["year"].count()
    return out.reset_index()


@dataclass
class Answer:
    """The per-scenario cells, the across-scenario summary and the budget frontier."""

    scenarios: list[str]
    policies: list[str]
    start_year: int
    year: int
    target: float  # points (%)
    target_is_default: bool
    rate: float
    cells: pd.DataFrame  # index (scenario, policy)
    overall: pd.DataFrame  # index policy
    frontier: pd.DataFrame  # one row per budget level
    noise: float  # largest SE of a cell median (points)
    start_share: float  # median first-year share over all runs (%)

    @property
    def has_reference(self) -> bool:
        return NO_POLICY in self.policies

    @property
    def diff_noise(self) -> float:
        """Two standard errors of a difference of two medians (points)."""
        return 2 * math.sqrt(2) * self.noise if math.isfinite(self.noise) else 0.0

    def cell(self, scenario: str, policy: str) -> pd.Series:
        return self.cells.loc[(scenario, policy)]


def answer(
    runs: pd.DataFrame,
    scenarios: list[str],
    policies: list[str],
    target: float | None = None,
    rate: float = DEFAULT_DISCOUNT_RATE,
) -> Answer:
    """Page one's table from :func:`per_run` rows. ``target`` in percent (default: the
    median first-year share); ``rate`` a yearly fraction."""
    missing = [(s, p) for s in scenarios for p in policies if not _has(runs, s, p)]
    if missing:
        raise ValueError("no runs for " + ", ".join(f"{s} × {p}" for s, p in missing[:5]))
    start_share = float(runs["start_share"].median())
    default = target is None
    target = start_share if default else float(target)
    g = runs.groupby(["scenario", "policy"])
    cells = pd.DataFrame(
        {
            "share": g["share"].median(),
            "p05": g["share"].quantile(0.05),
            "p95": g["share"].quantile(0.95),
            "at_target": g["share"].apply(lambda s: float((s >= target - 1e-9).mean())),
            "runs": g["share"].count(),
            "se": MEDIAN_SE_FACTOR * g["share"].std().fillna(0.0) / np.sqrt(g["share"].count()),
            "cost_total": g["cost_total"].median(),
            "cost_pv": g["cost_pv"].median(),
            "years": g["years"].median(),
        }
    )
    cells["per_year"] = cells["cost_total"] / cells["years"]
    cells = cells.reindex(pd.MultiIndex.from_product([scenarios, policies]))
    cells.index.names = ["scenario", "policy"]
    if NO_POLICY in policies:
        ref = cells.xs(NO_POLICY, level="policy")
        ref_share = ref["share"].reindex(cells.index.get_level_values("scenario")).to_numpy()
        ref_se = ref["se"].reindex(cells.index.get_level_values("scenario")).to_numpy()
        cells["kept"] = cells["share"] - ref_share
        cells["kept_se"] = np.sqrt(cells["se"] ** 2 + ref_se**2)
        is_ref = cells.index.get_level_values("policy") == NO_POLICY
        cells.loc[is_ref, ["kept", "kept_se"]] = 0.0
        cells["per_point"] = [
            c / k if k > 2 * se and c > 0 else math.nan
            for c, k, se in zip(cells["cost_pv"], cells["kept"], cells["kept_se"], strict=True)
        ]
    else:
        cells["kept"] = cells["kept_se"] = cells["per_point"] = math.nan
    overall = _overall(cells, scenarios, policies, target)
    noise = float(np.nanmax(cells["se"].to_numpy())) if len(cells) else math.nan
    return Answer(
        scenarios=list(scenarios),
        policies=list(policies),
        start_year=int(runs["start_year"].min()),
        year=int(runs["year"].max()),
        target=target,
        target_is_default=default,
        rate=rate,
        cells=cells,
        overall=overall,
        frontier=frontier(cells, scenarios, policies, overall, target),
        noise=noise,
        start_share=start_share,
    )


def _overall(
    cells: pd.DataFrame, scenarios: list[str], policies: list[str], target: float
) -> pd.DataFrame:
    rows = {}
    for p in policies:
        c = cells.xs(p, level="policy").reindex(scenarios)
        kept = c["kept"]
        mean_kept = float(kept.mean())
        kept_se = float(np.sqrt((c["kept_se"] ** 2).sum()) / len(c))
        cost_pv = float(c["cost_pv"].mean())
        rows[p] = {
            "at_target": int((c["share"] >= target - 1e-9).sum()),
            "runs_at_target": float(c["at_target"].mean()),
            "kept": mean_kept,
            "kept_low": float(kept.min()),
            "kept_high": float(kept.max()),
            "kept_se": kept_se,
            "cost_total": float(c["cost_total"].mean()),
            "cost_pv": cost_pv,
            "per_year": float(c["per_year"].mean()),
            "per_point": (
                cost_pv / mean_kept if mean_kept > 2 * kept_se and cost_pv > 0 else math.nan
            ),
            "best_share": float(c["share"].max()),
            # cost over kept ± 2 SE: the range of M€ per point the replication noise allows
            "per_point_low": cost_pv / (mean_kept + 2 * kept_se) if cost_pv > 0 else math.nan,
            "per_point_high": (
                cost_pv / (mean_kept - 2 * kept_se)
                if mean_kept > 2 * kept_se and cost_pv > 0
                else math.nan
            ),
        }
    out = pd.DataFrame.from_dict(rows, orient="index").reindex(policies)
    out["at_target"] = out["at_target"].astype(int)
    return out


def regret(cells: pd.DataFrame, scenarios: list[str], among: list[str]) -> pd.DataFrame:
    """Regret (points) of each package in ``among`` against the best of ``among``,
    policy × scenario."""
    share = cells["share"].unstack("scenario").reindex(index=among, columns=scenarios)
    return share.max(axis=0) - share


def frontier(
    cells: pd.DataFrame,
    scenarios: list[str],
    policies: list[str],
    overall: pd.DataFrame,
    target: float,
) -> pd.DataFrame:
    """The robust choice per budget among the packages (see the module docstring)."""
    cost = overall["cost_pv"]
    rows = []
    last = None
    for budget in sorted(set(cost.round(6))):
        affordable = [p for p in policies if cost[p] <= budget + 1e-6]
        r = regret(cells, scenarios, affordable)
        worst = r.max(axis=1)
        best = worst.min()
        ties = [p for p in affordable if worst[p] <= best + 1e-9]
        choice = min(ties, key=lambda p: (cost[p], policies.index(p)))
        if choice == last:
            continue  # a bigger budget that buys nothing better is not a new row
        last = choice
        rows.append(
            {
                "budget": float(budget),
                "policy": choice,
                "cost_pv": float(cost[choice]),
                "max_regret": float(worst[choice]),
                "at_target": int(overall.loc[choice, "at_target"]),
                "kept": float(overall.loc[choice, "kept"]),
                "n_affordable": len(affordable),
            }
        )
    return pd.DataFrame(rows)


def _has(runs: pd.DataFrame, scenario: str, policy: str) -> bool:
    return bool(((runs["scenario"] == scenario) & (runs["policy"] == policy)).any())
