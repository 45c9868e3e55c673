"""The "space" section of docs/validation.md: ``python -m tests.space_figures``.

The floor-space market (sim/space.py) in every scenario, without and with
the space lever (public development of ``LEVER_M2`` m² a year from 2027,
policy otherwise none), over ``SEEDS`` paired seeds (the same seed with and
without the lever). Draws docs/figures/space.png — Hilversum's demand,
stock, pipeline and permission 2025–2040 — and writes every number the
section quotes to docs/figures/space_numbers.json. Fixed seeds: rerunning
gives the same numbers. tests/test_space.py checks the mechanisms.
"""

from __future__ import annotations

import json
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

import sim  # noqa: E402

from .validation_figures import FIGURES, log, r, save  # noqa: E402
from .validation_setups import BASELINE  # noqa: E402

SCENARIOS = ("studio-valley", "platform-satellite", "cloud-commons", "dispersed-feeds", "trend")
SEEDS = range(20)
LEVER_M2 = 6000.0  # m² a year of public development from 2027: the all-in package's value
LEVER = {"policy.space_expansion_m2_per_year.value": LEVER_M2}
NUMBERS: dict = {}


def runs(scenario: str, seeds, **overrides) -> list:
    """Outcome tables of one scenario (policy none plus ``overrides``), one per seed."""
    params = sim.load_params(BASELINE, scenario=scenario, overrides=overrides)
    return [sim.run_model(params, seed=s).outcomes() for s in seeds]


def paired(without: list, with_: list, column: str) -> dict:
    """Mean 2040 difference of ``column`` (with − without) over paired seeds, with its t-test."""
    a = np.array([df[column].iloc[-1] for df in without])
    b = np.array([df[column].iloc[-1] for df in with_])
    d = b - a
    se = d.std(ddof=1) / np.sqrt(d.size)
    # identical runs (the lever never binds): no test, the difference is exactly 0
    test = stats.ttest_rel(b, a) if d.std() > 0 else None
    return {
        "without": r(a.mean()),
        "with": r(b.mean()),
        "difference": r(d.mean(), 5),
        "standard_error": r(se, 5),
        "ci95": [r(d.mean() - 1.96 * se, 5), r(d.mean() + 1.96 * se, 5)],
        "t": r(test.statistic, 2) if test else None,
        "p_value": float(f"{test.pvalue:.3g}") if test else None,
        "seeds": int(d.size),
    }


def final(dfs: list, column: str) -> float:
    """Mean 2040 value of ``column`` over runs."""
    return float(np.mean([df[column].iloc[-1] for df in dfs]))


def first_full_year(df) -> float:
    """First year Hilversum's demand reaches its stock (demand ≥ stock), NaN if never."""
    full = df["space_demand_m2_hilversum"] >= df["space_stock_m2_hilversum"] - 1e-6
    return float(df.loc[full, "year"].iloc[0]) if full.any() else float("nan")


def scenarios_figure() -> None:
    log("Hilversum's floor space per scenario, without and with the space lever")
    fig, axes = plt.subplots(2, len(SCENARIOS), figsize=(17, 7), sharex=True, sharey=True)
    table = {}
    for col, scenario in enumerate(SCENARIOS):
        entry = {}
        for row, (label, overrides) in enumerate((("without", {}), ("with", LEVER))):
            dfs = runs(scenario, SEEDS, **overrides)
            years = dfs[0]["year"].to_numpy()
            ax = axes[row, col]
            for column, name, style in (
                ("space_demand_m2_hilversum", "demand", dict(color="C0", lw=2)),
                ("space_stock_m2_hilversum", "stock (built)", dict(color="C1", lw=2)),
                ("space_pipeline_m2_hilversum", "pipeline (started)", dict(color="C2", ls=":")),
                ("space_permission_m2_hilversum", "permission", dict(color="k", ls="--")),
            ):
                values = np.array([df[column].to_numpy() for df in dfs]) / 1000
                ax.plot(years, values.mean(axis=0), label=name, **style)
                if column == "space_demand_m2_hilversum":
                    lo, hi = np.percentile(values, [10, 90], axis=0)
                    ax.fill_between(years, lo, hi, color="C0", alpha=0.2, lw=0)
            full = np.array([first_full_year(df) for df in dfs])
            entry[label] = {
                "seeds_reaching_stock": int(np.isfinite(full).sum()),
                "seeds": len(dfs),
                "median_first_full_year": r(np.nanmedian(full), 1)
                if np.isfinite(full).any()
                else None,
                "demand_2040_m2": r(final(dfs, "space_demand_m2_hilversum"), 0),
                "stock_2040_m2": r(final(dfs, "space_stock_m2_hilversum"), 0),
                "turned_away_m2_total": r(
                    np.mean([df["space_turned_away_m2_hilversum"].sum() for df in dfs]), 0
                ),
                "share_2040": r(np.mean([df["hilversum_jobs_share"].iloc[-1] for df in dfs])),
                "rent_2040": r(np.mean([df["rent_hilversum"].iloc[-1] for df in dfs]), 1),
                "cost_meur_total": r(np.mean([df["policy_cost_meur"].sum() for df in dfs]), 1),
            }
            if col == 0:
                ax.set_ylabel(
                    ("without" if row == 0 else f"with {LEVER_M2:,.0f} m²/yr public development")
                    + "\nthousand m²"
                )
            if row == 0:
                ax.set_title(scenario)
            if row == 1:
                ax.set_xlabel("year")
        table[scenario] = entry
    axes[0, 0].legend(fontsize=8, loc="upper left")
    fig.suptitle(
        "Hilversum (Media Park) floor space, mean of 20 seeds (demand: 10–90% band); "
        "policy none, space lever from 2027, delivered after 3 years",
        y=1.0,
    )
    save(fig, "space.png")
    NUMBERS["hilversum_by_scenario"] = table


def capacity_alone() -> None:
    """The space lever with rent feedback off (ε_R = 0): does capacity alone move the share?"""
    log("space lever through capacity alone (rent elasticity 0), paired seeds")
    out = {}
    for scenario in ("studio-valley", "trend"):
        off = {"demography.rent_elasticity": 0.0}
        without = runs(scenario, SEEDS, **off)
        with_ = runs(scenario, SEEDS, **off, **LEVER)
        out[scenario] = {
            "hilversum_jobs_share": paired(without, with_, "hilversum_jobs_share"),
            "jobs_hilversum": paired(without, with_, "jobs_hilversum"),
            "turned_away_m2_total_without": r(
                np.mean([df["space_turned_away_m2_hilversum"].sum() for df in without]), 0
            ),
            "turned_away_m2_total_with": r(
                np.mean([df["space_turned_away_m2_hilversum"].sum() for df in with_]), 0
            ),
        }
    NUMBERS["lever_with_rent_elasticity_0"] = out
    full = {}
    for scenario in ("studio-valley",):
        without = runs(scenario, SEEDS)
        with_ = runs(scenario, SEEDS, **LEVER)
        full[scenario] = {"hilversum_jobs_share": paired(without, with_, "hilversum_jobs_share")}
    NUMBERS["lever_with_rent_feedback"] = full


def consolidation() -> None:
    """The issue's accounting artefact: 5% consolidation a year, paired with none (baseline)."""
    log("consolidation 0 vs 5% a year, baseline drivers, paired seeds")
    without = runs("baseline", SEEDS)
    with_ = runs("baseline", SEEDS, **{"drivers.consolidation_rate": {2025: 0.05}})
    NUMBERS["consolidation_5pct"] = {
        column: paired(without, with_, column)
        for column in ("occupancy_hilversum", "rent_hilversum", "hilversum_jobs_share")
    }


def turned_away_everywhere() -> None:
    """Arrivals turned away from Hilversum, every scenario × {none, campus-plus, all-in}."""
    log("arrivals turned away: scenarios × packages")
    table = {}
    for scenario in SCENARIOS:
        for policy in ("none", "campus-plus", "all-in"):
            params = sim.load_params(BASELINE, scenario=scenario, policy=policy)
            dfs = [sim.run_model(params, seed=s).outcomes() for s in range(5)]
            table[f"{scenario}/{policy}"] = {
                "runs_with_arrivals_turned_away": int(
                    sum(df["arrivals_turned_away"].sum() > 0 for df in dfs)
                ),
                "runs": len(dfs),
                "m2_turned_away_mean": r(
                    np.mean([df["space_turned_away_m2_hilversum"].sum() for df in dfs]), 0
                ),
                "share_2040": r(np.mean([df["hilversum_jobs_share"].iloc[-1] for df in dfs])),
            }
    NUMBERS["turned_away_by_package"] = table


def main() -> int:
    started = time.perf_counter()
    for step in (scenarios_figure, capacity_alone, consolidation, turned_away_everywhere):
        step()
    NUMBERS["seconds"] = round(time.perf_counter() - started, 1)
    out = FIGURES / "space_numbers.json"
    out.write_text(json.dumps(NUMBERS, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(NUMBERS, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
