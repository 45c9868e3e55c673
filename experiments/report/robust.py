"""A robustness study's tables as the report reads them.

The robustness study (issue 14, ``results/robust/``) writes

- ``robustness.csv``: ``policy, outcome, metric, value`` — per policy and outcome,
  measures over the futures ensemble (e.g. ``satisficing``: share of futures at or
  above the target; ``p10``; ``max_regret``; ``cost_meur``; ``cost_discounted_meur``);
- ``frontier.csv``: ``budget_meur, policy, metric, value`` — for each budget level,
  the most robust policy and its measures.

The report uses these exact columns and shows every metric it finds (with a human
name for the ones the message catalogue knows). Shares are written as fractions
(0–1) by the study; the report shows them in % (levels) or points (regrets), and
costs in M€, deciding by the metric's name (:func:`kind_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MAIN_OUTCOME = "hilversum_jobs_share"
# which frontier metric the frontier figure and page one show, in order of preference
FRONTIER_PREFERENCE = ("satisficing", "p10", "median", "mean", "max_regret", "kept_pp")


def kind_of(metric: str) -> str:
    """How a metric's value reads: 'cost' (M€), 'fraction' (share of futures, shown in %),
    'regret' (points), 'share' (a level of the share, %) or 'other'."""
    m = metric.lower()
    if "cost" in m or "meur" in m:
        return "cost"
    if "satisf" in m or "fraction" in m or "probab" in m:
        return "fraction"
    if "regret" in m or m.endswith("_pp") or "kept" in m:
        return "regret"
    if m in {"p10", "p05", "p90", "median", "mean", "min", "max", "worst_decile"} or m.startswith(
        ("p1", "p5", "p9", "percentile", "quantile")
    ):
        return "share"
    return "other"


@dataclass
class RobustStudy:
    """robustness.csv (pivoted to policy × metric for the main outcome) and the frontier."""

    name: str
    path: Path
    outcome: str | None
    table: pd.DataFrame | None  # policy × metric
    frontier: pd.DataFrame | None  # rows: budget_meur, policy, then one column per metric

    def frontier_metric(self) -> str | None:
        """The frontier metric page one leads with."""
        if self.frontier is None:
            return None
        metrics = [c for c in self.frontier.columns if c not in ("budget_meur", "policy")]
        for name in FRONTIER_PREFERENCE:
            if name in metrics:
                return name
        return metrics[0] if metrics else None


def read_robust(path: Path, name: str) -> RobustStudy:
    """The study's tables (either may be absent)."""
    table = outcome = frontier = None
    file = path / "robustness.csv"
    if file.is_file():
        rows = pd.read_csv(file)
        outcomes = list(dict.fromkeys(rows["outcome"].astype(str)))
        outcome = MAIN_OUTCOME if MAIN_OUTCOME in outcomes else (outcomes[0] if outcomes else None)
        rows = rows[rows["outcome"].astype(str) == outcome]
        order = list(dict.fromkeys(rows["policy"].astype(str)))
        metrics = list(dict.fromkeys(rows["metric"].astype(str)))
        table = rows.pivot_table(index="policy", columns="metric", values="value", aggfunc="first")
        table = table.reindex(index=order, columns=metrics)
    file = path / "frontier.csv"
    if file.is_file():
        rows = pd.read_csv(file)
        metrics = list(dict.fromkeys(rows["metric"].astype(str)))
        frontier = rows.pivot_table(
            index=["budget_meur", "policy"], columns="metric", values="value", aggfunc="first"
        )
        frontier = frontier.reindex(columns=metrics).reset_index().sort_values("budget_meur")
        frontier = frontier.reset_index(drop=True)
    return RobustStudy(name, path, outcome, table, frontier)
