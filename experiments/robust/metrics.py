"""Robustness metrics of policies across futures, and the budget frontier.

All functions work on plain arrays, policies on the first axis and futures
on the second, so tests check them against values computed by hand. Every
outcome is "more is better" (a jobs share, jobs, start-ups).

For an outcome ``x[p, f]`` (policy ``p`` in future ``f``, the mean over
replications of the final-year value):

- ``satisficing[p]`` = share of futures with ``x[p, f] >= target[p, f]``;
- ``p10[p]`` = the 10th percentile of ``x[p, :]`` (linear interpolation,
  numpy's default), the outcome in a bad-but-not-worst future;
- ``mean[p]`` = the mean of ``x[p, :]``;
- ``regret[p, f]`` = ``max_q x[q, f] − x[p, f]``: what choosing ``p`` lost
  against the best of the judged policies in that future (Savage 1951);
  ``max_regret`` and ``mean_regret`` summarise it over futures;
- ``cost_meur[p]`` = the policy cost summed over the run years, M€, mean over
  futures; ``cost_discounted_meur`` the same with each year's cost divided
  by ``(1 + rate) ** (year − first year)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COST_OUTCOME = "policy_cost_meur"
COST_METRICS = ("cost_meur", "cost_discounted_meur")


def percentile_name(q: float) -> str:
    """``p10`` for the 10th percentile."""
    return f"p{q:g}"


def satisficing(values: np.ndarray, target: np.ndarray | float) -> np.ndarray:
    """Share of futures (axis 1) in which the outcome reaches the target."""
    return np.mean(np.asarray(values) >= target, axis=1)


def percentile(values: np.ndarray, q: float) -> np.ndarray:
    """The ``q``-th percentile over futures (axis 1)."""
    return np.percentile(np.asarray(values, dtype=float), q, axis=1)


def regret(values: np.ndarray) -> np.ndarray:
    """Regret of each policy in each future against the best policy of that future."""
    values = np.asarray(values, dtype=float)
    return values.max(axis=0, keepdims=True) - values


def discount_factors(years: np.ndarray, rate: float) -> np.ndarray:
    """``(1 + rate) ** −(year − first year)`` for every year."""
    years = np.asarray(years)
    return (1.0 + rate) ** -(years - years[0]).astype(float)


def cumulative_cost(cost: np.ndarray, years: np.ndarray, rate: float = 0.0) -> np.ndarray:
    """Cost summed over years (last axis), discounted at ``rate``; then the mean over
    replications (axis 2) of an array ``(policies, futures, replications, years)``."""
    return (cost * discount_factors(years, rate)).sum(axis=-1).mean(axis=2)


def outcome_metrics(
    values: np.ndarray, target: np.ndarray | float, q: float
) -> dict[str, np.ndarray]:
    """Every metric of one outcome, one value per policy."""
    r = regret(values)
    return {
        "mean": np.mean(values, axis=1),
        percentile_name(q): percentile(values, q),
        "satisficing": satisficing(values, target),
        "target": np.broadcast_to(
            np.mean(np.broadcast_to(target, values.shape), axis=1), (len(values),)
        ),
        "max_regret": r.max(axis=1),
        "mean_regret": r.mean(axis=1),
    }


def long_table(policies: list[str], outcome: str, metrics: dict[str, np.ndarray]) -> pd.DataFrame:
    """Rows ``policy, outcome, metric, value``."""
    rows = [
        {"policy": p, "outcome": outcome, "metric": m, "value": float(v[i])}
        for m, v in metrics.items()
        for i, p in enumerate(policies)
    ]
    return pd.DataFrame(rows, columns=["policy", "outcome", "metric", "value"])


def wide(table: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One row per policy: the main outcome's metrics and the cost metrics as columns."""
    keep = table[table["outcome"].isin([outcome, COST_OUTCOME])]
    out = keep.pivot_table(index="policy", columns="metric", values="value", sort=False)
    out.columns.name = None
    return out


def most_robust(
    table: pd.DataFrame, budget: float, cost: str, q_name: str, criterion: str = "satisficing"
) -> str | None:
    """The most robust policy costing at most ``budget`` (``table`` from :func:`wide`):
    the highest ``criterion``, then the highest percentile, then the lowest cost."""
    fits = table[table[cost] <= budget + 1e-9]
    if fits.empty:
        return None
    order = fits.assign(_neg_cost=-fits[cost]).sort_values(
        [criterion, q_name, "_neg_cost"], ascending=False, kind="stable"
    )
    return str(order.index[0])


def frontier(
    table: pd.DataFrame,
    budgets: list[float],
    cost: str,
    q_name: str,
    criterion: str = "satisficing",
) -> pd.DataFrame:
    """For every budget (M€), the most robust policy within it and what it keeps:
    rows ``budget_meur, policy, metric, value``."""
    metrics = ["satisficing", q_name, "mean", "max_regret", "mean_regret", *COST_METRICS]
    rows = []
    for budget in sorted(budgets):
        best = most_robust(table, budget, cost, q_name, criterion)
        if best is None:
            continue
        for m in metrics:
            rows.append(
                {
                    "budget_meur": float(budget),
                    "policy": best,
                    "metric": m,
                    "value": float(table.loc[best, m]),
                }
            )
    return pd.DataFrame(rows, columns=["budget_meur", "policy", "metric", "value"])


def default_budgets(costs: np.ndarray, n: int = 8) -> list[float]:
    """Budget levels from 0 to just above the dearest policy, rounded to 10 M€."""
    top = float(np.max(costs)) if len(costs) else 0.0
    step = max(10.0, np.ceil(top / (n - 1) / 10.0) * 10.0)
    return [float(step * i) for i in range(n)]
