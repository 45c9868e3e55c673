"""Figures of a robust study (matplotlib, PNG in ``figures/`` of the study folder).

- ``frontier.png``: every judged policy's cost against the share of futures
  in which it meets the target, and the budget frontier as a step line;
- ``pareto.png``: the searched mixes' trade-offs (cost against satisficing
  and against the bad-decile outcome), in sample and out of sample, with
  the packages for comparison;
- ``prim_<policy>.png``: the peeling trajectory (coverage against density)
  and the chosen box's ranges on each restricted uncertainty;
- ``regret.png``: the distribution over futures of each policy's regret;
- ``convergence.png``: the search's hypervolume per generation.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .analysis import q_name  # noqa: E402
from .study import RobustStudy  # noqa: E402

OUTCOME_LABELS = {"hilversum_jobs_share": "Hilversum's share of the sector's jobs"}
PACKAGE = "#1f77b4"
MIX = "#2ca02c"
SEARCHED = "#d62728"


def _label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))


def _kind(study: RobustStudy, policy: str) -> str:
    if policy.startswith("search-"):
        return "searched mix"
    return "package" if policy in study.packages else "named mix"


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_figures(study: RobustStudy, tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write every figure under ``folder/figures``; return their paths."""
    out = folder / "figures"
    out.mkdir(parents=True, exist_ok=True)
    paths = [frontier_plot(study, tables, out / "frontier.png")]
    paths.append(regret_plot(study, tables["regret"], out / "regret.png"))
    if "pareto" in tables:
        paths.append(pareto_plot(study, tables, out / "pareto.png"))
        paths.append(convergence_plot(tables["search_history"], out / "convergence.png"))
    for policy in tables["prim_boxes"]["policy"].unique():
        paths.append(prim_plot(study, tables, policy, out / f"prim_{policy}.png"))
    return paths


def _wide(study: RobustStudy, robustness: pd.DataFrame) -> pd.DataFrame:
    keep = robustness[robustness["outcome"].isin([study.main_outcome, "policy_cost_meur"])]
    table = keep.pivot_table(index="policy", columns="metric", values="value", sort=False)
    return table


def frontier_plot(study: RobustStudy, tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Cost against satisficing for every policy; the frontier as a step line."""
    wide = _wide(study, tables["robustness"])
    cost = study.metrics.budget_cost
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    colours = {"package": PACKAGE, "named mix": MIX, "searched mix": SEARCHED}
    for kind, colour in colours.items():
        sel = [p for p in wide.index if _kind(study, p) == kind]
        if sel:
            ax.scatter(
                wide.loc[sel, cost],
                100 * wide.loc[sel, "satisficing"],
                color=colour,
                label=kind,
                zorder=3,
            )
    for p in wide.index:
        if not p.startswith("search-"):
            ax.annotate(
                p,
                (wide.loc[p, cost], 100 * wide.loc[p, "satisficing"]),
                fontsize=8,
                xytext=(4, 3),
                textcoords="offset points",
            )
    front = tables["frontier"]
    sat = front[front["metric"] == "satisficing"].sort_values("budget_meur")
    if len(sat):
        ax.step(
            sat["budget_meur"],
            100 * sat["value"],
            where="post",
            color="black",
            lw=1.5,
            label="frontier: best within budget",
        )
        changes = sat["policy"].ne(sat["policy"].shift())
        for r in sat[changes].itertuples():
            ax.annotate(
                r.policy,
                (r.budget_meur, 100 * r.value),
                fontsize=7,
                color="0.3",
                xytext=(2, -10),
                textcoords="offset points",
            )
    which = (
        f"discounted at {study.metrics.discount_rate:.2%}"
        if cost == "cost_discounted_meur"
        else "undiscounted"
    )
    ax.set_xlabel(f"policy cost 2025–{study.years[-1]}, M€ ({which})")
    ax.set_ylabel("futures meeting the target, % (satisficing)")
    ax.set_ylim(-3, 103)
    ax.set_title(f"{_label(study.main_outcome)} in {study.years[-1]}: robustness for the money")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return _save(fig, path)


def pareto_plot(study: RobustStudy, tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Searched mixes in and out of sample: cost against satisficing and against p10."""
    pareto = tables["pareto"]
    wide = _wide(study, tables["robustness"])
    q = q_name(study)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    for ax, metric, scale, label in (
        (axes[0], "satisficing", 100, "futures meeting the target, %"),
        (axes[1], q, 100, f"{q[1:]}th percentile over futures, % of jobs"),
    ):
        ax.scatter(
            pareto["cost_meur_in_sample"],
            scale * pareto[f"{metric}_in_sample"],
            facecolors="none",
            edgecolors=SEARCHED,
            label="searched mix, in sample",
        )
        ax.scatter(
            pareto["cost_meur_out_of_sample"],
            scale * pareto[f"{metric}_out_of_sample"],
            color=SEARCHED,
            label="searched mix, out of sample",
        )
        for r in pareto.itertuples():
            ax.plot(
                [r.cost_meur_in_sample, r.cost_meur_out_of_sample],
                [
                    scale * getattr(r, f"{metric}_in_sample"),
                    scale * getattr(r, f"{metric}_out_of_sample"),
                ],
                color=SEARCHED,
                lw=0.6,
                alpha=0.5,
            )
        packages = [p for p in wide.index if _kind(study, p) != "searched mix"]
        ax.scatter(
            wide.loc[packages, "cost_meur"],
            scale * wide.loc[packages, metric],
            marker="s",
            color=PACKAGE,
            label="packages and named mixes",
        )
        for p in packages:
            ax.annotate(
                p,
                (wide.loc[p, "cost_meur"], scale * wide.loc[p, metric]),
                fontsize=7,
                xytext=(3, 3),
                textcoords="offset points",
            )
        ax.set_xlabel(f"policy cost 2025–{study.years[-1]}, M€ (undiscounted)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle(
        f"Searched lever mixes: trade-offs ({_label(study.main_outcome)}, {study.years[-1]})"
    )
    return _save(fig, path)


def regret_plot(study: RobustStudy, regret: pd.DataFrame, path: Path) -> Path:
    """Box plots of regret (percentage points) over futures, one per policy."""
    order = regret.groupby("policy", sort=False)["regret"].median().sort_values().index.tolist()
    data = [100 * regret.loc[regret["policy"] == p, "regret"].to_numpy() for p in order]
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(order) + 1.8))
    horizontal = (
        {"orientation": "horizontal"}
        if "orientation" in inspect.signature(ax.boxplot).parameters
        else {"vert": False}  # matplotlib < 3.10
    )
    ax.boxplot(
        data,
        **horizontal,
        showmeans=True,
        meanprops={"marker": "^", "markersize": 5},
    )
    ax.set_yticks(range(1, len(order) + 1), order)
    ax.set_xlabel(
        f"regret: percentage points of {_label(study.main_outcome)} behind "
        f"the best policy of each future ({study.years[-1]})"
    )
    ax.set_title("Regret across futures (box: middle half; whiskers: 1.5 × IQR; triangle: mean)")
    ax.grid(axis="x", alpha=0.3)
    return _save(fig, path)


def convergence_plot(history: pd.DataFrame, path: Path) -> Path:
    """Hypervolume of the non-dominated set after each generation."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot(history["generation"], history["hypervolume"], marker="o", color=SEARCHED)
    ax.set_xlabel("generation of the search (NSGA-II)")
    ax.set_ylabel("hypervolume (normalised objectives)")
    ax.set_title("Search convergence: objective space covered by the best mixes")
    ax.grid(alpha=0.3)
    return _save(fig, path)


def prim_plot(study: RobustStudy, tables: dict[str, pd.DataFrame], policy: str, path: Path) -> Path:
    """Peeling trajectory and the chosen boxes' ranges on each restricted uncertainty."""
    traj = tables["prim_trajectory"]
    traj = traj[traj["policy"] == policy]
    boxes = tables["prim_boxes"]
    boxes = boxes[(boxes["policy"] == policy) & (boxes["dimension"] != "")]
    dims = {name: (label, (lo, hi)) for name, label, lo, hi in study.dimensions()}
    fig, axes = plt.subplots(
        1, 2, figsize=(14, 0.5 * max(len(boxes), 4) + 2.5), gridspec_kw={"width_ratios": [1, 1.3]}
    )
    first = traj[traj["box"] == 1]
    sc = axes[0].scatter(
        100 * first["coverage"], 100 * first["density"], c=first["restricted"], cmap="viridis", s=18
    )
    fig.colorbar(sc, ax=axes[0], label="uncertainties restricted")
    chosen = tables["prim_boxes"]
    chosen = chosen[(chosen["policy"] == policy) & (chosen["box"] == 1)]
    if len(chosen):
        axes[0].scatter(
            100 * chosen["coverage"].iloc[0],
            100 * chosen["density"].iloc[0],
            marker="*",
            s=200,
            color="red",
            label="chosen box (after pasting)",
        )
        axes[0].legend(fontsize=8)
    axes[0].set_xlabel("coverage: share of the misses inside the box, %")
    axes[0].set_ylabel("density: share of futures in the box that miss, %")
    axes[0].set_title("Peeling trajectory (box 1)")
    axes[0].grid(alpha=0.3)
    ax = axes[1]
    labels = []
    for i, r in enumerate(boxes.itertuples()):
        label, (lo, hi) = dims[r.dimension]
        span = hi - lo
        ax.barh(i, 1.0, left=0.0, color="0.9")
        ax.barh(
            i,
            (min(r.high, hi) - max(r.low, lo)) / span,
            left=(max(r.low, lo) - lo) / span,
            color=SEARCHED if r.box == 1 else "#ff9896",
        )
        ax.text(1.02, i, f"{r.low:.3g} – {r.high:.3g}", va="center", fontsize=8)
        labels.append(f"box {r.box}: {label}")
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlim(0, 1.45)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("position in the uncertainty's range (0 = lower, 1 = upper bound)")
    ax.set_title("The box: ranges where the misses concentrate")
    ax.invert_yaxis()
    fig.suptitle(f"Scenario discovery (PRIM): when does '{policy}' end below the target?")
    return _save(fig, path)
