"""The tables of a robust study, from the stored runs.

Written to the study folder:

- ``robustness.csv`` — ``policy, outcome, metric, value``: for each outcome
  ``mean``, ``p10``, ``satisficing``, ``target``, ``max_regret``,
  ``mean_regret``; for outcome ``policy_cost_meur`` the metrics
  ``cost_meur`` and ``cost_discounted_meur``;
- ``frontier.csv`` — ``budget_meur, policy, metric, value``: per budget the
  most robust policy within it and its ``satisficing``, ``p10``, ``mean``,
  ``max_regret``, ``mean_regret``, ``cost_meur``, ``cost_discounted_meur``
  (main outcome);
- ``pareto.csv`` — one row per Pareto mix: lever values, in-sample and
  out-of-sample objectives;
- ``prim_boxes.csv`` — ``policy, box, coverage, density, dimension, low, high``;
  ``prim_trajectory.csv`` the peeling trajectories; ``cart_boxes.csv`` the
  CART cross-check in the columns of ``prim_boxes.csv``; ``discovery.csv``
  how many futures each policy misses in, how many boxes were found and why none;
- ``regret.csv`` (policy × future), ``futures.csv``, ``policies.csv``,
  ``search_history.csv`` (hypervolume per generation), ``search_candidates.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import metrics as m
from .futures import Ensemble
from .plan import COST_COLUMN, PolicyRun, Results, lever_table
from .prim import box_rows, cart_boxes, prim
from .search import SearchResult, non_dominated
from .study import RobustStudy

TABLES = (
    "robustness",
    "frontier",
    "pareto",
    "prim_boxes",
    "prim_trajectory",
    "cart_boxes",
    "discovery",
    "regret",
    "futures",
    "policies",
    "search_history",
    "search_candidates",
)


def q_name(study: RobustStudy) -> str:
    """The percentile metric's name (``p10``)."""
    return m.percentile_name(study.metrics.percentile)


def outcome_arrays(
    study: RobustStudy, results: Results, outcome: str
) -> tuple[np.ndarray, np.ndarray]:
    """Final-year values and targets ``(policies, futures)``, means over replications.

    The main outcome's target is ``metrics.target`` if given; otherwise (and
    for other outcomes) each run's own first-year (2025) value.
    """
    values = results.values[outcome]
    final = values[..., -1].mean(axis=2)
    if outcome == study.main_outcome and study.metrics.target is not None:
        target = np.full_like(final, study.metrics.target)
    else:
        target = values[..., 0].mean(axis=2)
    return final, target


def costs(study: RobustStudy, results: Results) -> dict[str, np.ndarray]:
    """Cost per policy and future, M€: summed over the years, and discounted."""
    cost = results.values[COST_COLUMN]
    return {
        "cost_meur": m.cumulative_cost(cost, results.years, 0.0),
        "cost_discounted_meur": m.cumulative_cost(cost, results.years, study.metrics.discount_rate),
    }


def robustness_table(study: RobustStudy, results: Results) -> pd.DataFrame:
    """``robustness.csv``: every outcome's metrics and the costs, per policy."""
    frames = []
    for outcome in study.outcomes:
        final, target = outcome_arrays(study, results, outcome)
        metrics = m.outcome_metrics(final, target, study.metrics.percentile)
        frames.append(m.long_table(results.policies, outcome, metrics))
    cost = {k: v.mean(axis=1) for k, v in costs(study, results).items()}
    frames.append(m.long_table(results.policies, m.COST_OUTCOME, cost))
    return pd.concat(frames, ignore_index=True)


def policy_metrics(study: RobustStudy, results: Results) -> pd.DataFrame:
    """One row per policy: the main outcome's metrics and the costs as columns."""
    return m.wide(robustness_table(study, results), study.main_outcome).loc[results.policies]


def regret_table(study: RobustStudy, ensemble: Ensemble, results: Results) -> pd.DataFrame:
    """Per policy and future: the main outcome, its target and the regret."""
    final, target = outcome_arrays(study, results, study.main_outcome)
    regret = m.regret(final)
    rows = []
    for p, policy in enumerate(results.policies):
        rows.append(
            pd.DataFrame(
                {
                    "policy": policy,
                    "future": ensemble.frame["future"].to_numpy(),
                    "label": ensemble.frame["label"].to_numpy(),
                    "value": final[p],
                    "target": target[p],
                    "regret": regret[p],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def pareto_table(
    study: RobustStudy,
    found: SearchResult,
    chosen: np.ndarray,
    runs: list[PolicyRun],
    wide: pd.DataFrame,
) -> pd.DataFrame:
    """``pareto.csv``: lever values, in-sample objectives (search ensemble) and
    out-of-sample objectives (evaluation ensemble) of each Pareto mix."""
    q = q_name(study)
    names = [r.name for r in runs if r.name.startswith("search-")]
    ids = wide.index.tolist()
    F = np.column_stack([-wide["satisficing"], -wide[q], wide["cost_meur"]])
    front = dict(zip(ids, non_dominated(F), strict=True))
    rows = []
    for name, i in zip(names, chosen, strict=True):
        run = next(r for r in runs if r.name == name)
        row = {"policy": name, **run.levers}
        row.update(
            {
                "satisficing_in_sample": -found.F[i, 0],
                f"{q}_in_sample": -found.F[i, 1],
                "cost_meur_in_sample": found.F[i, 2],
                "satisficing_out_of_sample": wide.loc[name, "satisficing"],
                f"{q}_out_of_sample": wide.loc[name, q],
                "cost_meur_out_of_sample": wide.loc[name, "cost_meur"],
                "cost_discounted_meur_out_of_sample": wide.loc[name, "cost_discounted_meur"],
                "max_regret_out_of_sample": wide.loc[name, "max_regret"],
                "non_dominated_out_of_sample": bool(front[name]),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


def min_cases(study: RobustStudy, n: int) -> int:
    """Fewest misses (and fewest hits) for a discovery: a box needs at least ``min_mass``
    of the futures, and no fewer than 5 of either (below that any box is anecdote)."""
    return max(5, int(np.ceil(study.discovery.min_mass * n)))


def discovery_tables(
    study: RobustStudy, ensemble: Ensemble, results: Results
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """PRIM boxes, peeling trajectories, CART boxes of "ends below the target", and a
    note per policy (how many futures miss; whether a box was sought). The boxes may
    restrict the uncertainties and, with a posterior, the particles' parameters."""
    d = study.discovery
    dims = study.dimensions()  # the uncertainties, then a posterior's parameters
    names = [d[0] for d in dims]
    X = ensemble.frame[names].to_numpy(dtype=float)
    low = np.array([d[2] for d in dims])
    high = np.array([d[3] for d in dims])
    final, target = outcome_arrays(study, results, study.main_outcome)
    boxes, paths, carts, notes = [], [], [], []
    for policy in d.policies:
        p = results.policies.index(policy)
        y = (final[p] < target[p]).astype(float)
        misses = int(y.sum())
        enough = min(misses, len(y) - misses) >= min_cases(study, len(y))
        note = {"policy": policy, "misses": misses, "futures": len(y), "boxes": 0, "note": ""}
        notes.append(note)
        if not enough:
            note["note"] = "too few misses or too few hits for a box"
            continue  # the policy (almost) always or never misses: nothing to discover
        res = prim(
            X,
            y,
            low,
            high,
            d.peel_alpha,
            d.paste_alpha,
            d.min_mass,
            d.min_coverage,
            d.max_boxes,
            d.max_qp,
        )
        boxes += box_rows(policy, res.boxes, names, res.domain_low, res.domain_high)
        note["boxes"] = len(res.boxes)
        if not res.boxes:
            note["note"] = f"no restriction with a quasi-p-value <= {d.max_qp}"
        paths.append(res.trajectory.assign(policy=policy))
        tree = cart_boxes(X, y, d.cart_depth, d.min_mass, low, high)
        carts += box_rows(policy, tree, names, res.domain_low, res.domain_high)
    columns = ["policy", "box", "coverage", "density", "dimension", "low", "high"]
    trajectory = (
        pd.concat(paths, ignore_index=True)[
            ["policy", "box", "step", "coverage", "density", "mass", "restricted"]
        ]
        if paths
        else pd.DataFrame(
            columns=["policy", "box", "step", "coverage", "density", "mass", "restricted"]
        )
    )
    return (
        pd.DataFrame(boxes, columns=columns),
        trajectory,
        pd.DataFrame(carts, columns=columns),
        pd.DataFrame(notes, columns=["policy", "misses", "futures", "boxes", "note"]),
    )


def analyse(
    study: RobustStudy,
    ensemble: Ensemble,
    results: Results,
    runs: list[PolicyRun],
    found: SearchResult | None,
    chosen: np.ndarray,
) -> dict[str, pd.DataFrame]:
    """Every table of the study."""
    robustness = robustness_table(study, results)
    wide = m.wide(robustness, study.main_outcome).loc[results.policies]
    budgets = study.metrics.budgets_meur or m.default_budgets(
        wide[study.metrics.budget_cost].to_numpy()
    )
    frontier = m.frontier(wide, budgets, study.metrics.budget_cost, q_name(study))
    prim_boxes, trajectory, cart, notes = discovery_tables(study, ensemble, results)
    tables = {
        "robustness": robustness,
        "frontier": frontier,
        "prim_boxes": prim_boxes,
        "prim_trajectory": trajectory,
        "cart_boxes": cart,
        "discovery": notes,
        "regret": regret_table(study, ensemble, results),
        "futures": ensemble.frame,
        "policies": lever_table(runs),
    }
    if found is not None:
        tables["pareto"] = pareto_table(study, found, chosen, runs, wide)
        tables["search_history"] = found.history
        cands = pd.DataFrame(found.X, columns=list(study.search.levers))
        cands.insert(0, "generation", found.generation)
        cands["satisficing"] = -found.F[:, 0]
        cands[q_name(study)] = -found.F[:, 1]
        cands["cost_meur"] = found.F[:, 2]
        cands["non_dominated"] = np.isin(np.arange(len(found.F)), found.pareto)
        tables["search_candidates"] = cands
    return tables


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write the tables as CSV files into the study folder."""
    paths = []
    for name in TABLES:
        if name in tables:
            path = folder / f"{name}.csv"
            tables[name].to_csv(path, index=False)
            paths.append(path)
    return paths


def headline(tables: dict[str, pd.DataFrame]) -> list[str]:
    """A few lines for the terminal: the frontier and the PRIM boxes."""
    lines = []
    f = tables["frontier"]
    for budget, rows in f.groupby("budget_meur", sort=True):
        v = rows.set_index("metric")["value"]
        lines.append(
            f"  budget {budget:,.0f} M€: {rows['policy'].iloc[0]} — satisficing "
            f"{v['satisficing']:.0%}, cost {v['cost_meur']:,.0f} M€"
        )
    for r in tables["discovery"].itertuples():
        if not r.boxes:
            lines.append(
                f"  {r.policy}: misses the target in {r.misses} of {r.futures} futures ({r.note})"
            )
    for (policy, box), rows in tables["prim_boxes"].groupby(["policy", "box"], sort=False):
        dims = "; ".join(f"{r.dimension} in [{r.low:.3g}, {r.high:.3g}]" for r in rows.itertuples())
        cov, den = rows["coverage"].iloc[0], rows["density"].iloc[0]
        lines.append(
            f"  {policy} misses the target mostly when {dims} "
            f"(box {box}: coverage {cov:.0%}, density {den:.0%})"
        )
    return lines
