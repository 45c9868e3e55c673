"""Validation: the quick study's corrected ST against an independent direct Sobol' estimate.

On the trend scenario (issue 13): the quick study's noise-corrected ST of
every factor on the 2040 Hilversum jobs share (N = 256, common random
numbers, dummy on its own seeds) against a second, independent estimate:
another Sobol' sample (another master seed), N = 128, **every run on
seeds of its own** (no common random numbers at all), 2 replications,
the same noise-corrected estimator. The two agree for a factor when the
difference of the two estimates lies within its 95% interval
(``|a − b| ≤ 1.96 √(se_a² + se_b²)``, with the standard errors taken as
half-widths / 1.96). The uncorrected ST of the independent design is
written beside it: what SALib reports on such runs.

Run (a few CPU-minutes for the independent design, plus the trend part of
the quick study unless ``--quick-store`` points at a finished quick study)::

    .venv/bin/python -m benchmarks.validation_sobol_trend [--workers 2]

Writes ``results/validation-sobol-trend/comparison.csv`` and
``comparison.png`` and prints the table. Never part of ``make test``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from experiments.engine.executors import make_executor  # noqa: E402
from experiments.engine.runner import run_specs  # noqa: E402
from experiments.engine.store import Store  # noqa: E402
from experiments.sensitivity.outcomes import from_runs, model_columns  # noqa: E402
from experiments.sensitivity.pipeline import run_study, setup_of  # noqa: E402
from experiments.sensitivity.plan import make_plan  # noqa: E402
from experiments.sensitivity.sobol_noise import estimate  # noqa: E402
from experiments.sensitivity.study import Methods, SobolSchema, load_study  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUICK = ROOT / "params" / "experiments" / "policy-sensitivity-quick.toml"
OUT = ROOT / "results" / "validation-sobol-trend"
SCENARIO = "trend"
OUTCOME = "hilversum_jobs_share"
N_INDEPENDENT = 128
SEED_INDEPENDENT = 99_2040_13  # a master seed unrelated to the quick study's


def quick_trend_file() -> Path:
    """The quick study file with the trend scenario only (results/validation-sobol-trend/)."""
    baseline = (QUICK.parent.parent / "baseline.toml").as_posix()
    text = QUICK.read_text().replace('baseline = "../baseline.toml"', f'baseline = "{baseline}"')
    start = text.index("scenarios = [")
    end = text.index("]", start) + 1
    text = text[:start] + f'scenarios = ["{SCENARIO}"]' + text[end:]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "quick-trend.toml"
    path.write_text(text)
    return path


def quick_trend(store: Path | None, workers: int) -> pd.DataFrame:
    """The quick study's corrected ST on trend: from a finished store, or run it now."""
    if store is None:
        path = quick_trend_file()
        store = OUT / "quick-trend"
        resume = (store / "manifest.json").is_file()
        run_study(path, out=store, workers=workers, resume=resume, progress=True, figures=True)
    indices = pd.read_csv(store / "indices.csv")
    sel = indices[
        (indices["scenario"] == SCENARIO)
        & (indices["outcome"] == OUTCOME)
        & (indices["method"] == "sobol")
        & (indices["index"] == "ST")
    ]
    return sel[sel["year"] == sel["year"].max()].set_index("factor")


def independent_trend(workers: int) -> tuple[pd.DataFrame, float, int]:
    """A second Sobol' design on trend, N = 128, every run on its own seeds."""
    study = load_study(QUICK)
    study = replace(
        study,
        scenarios=(SCENARIO,),
        master_seed=SEED_INDEPENDENT,
        methods=Methods(
            sobol=SobolSchema(base_samples=N_INDEPENDENT, bootstrap=1000, nested_min=N_INDEPENDENT),
            morris=None,
            pawn=None,
        ),
    )
    plan = make_plan(study)
    plan.frame["seed_group"] = np.arange(len(plan.frame))  # no common random numbers
    store = Store(OUT / "independent")
    resume = store.path.is_dir() and (store.path / "manifest.json").is_file()
    wall = time.time()
    with make_executor(workers, None) as (pool, label):
        run_specs(
            plan.specs(),
            setup_of(study),
            store.path,
            pool,
            info={"kind": "sensitivity", "experiment": "validation-independent"},
            resume=resume,
            executor_label=label,
        )
    elapsed = time.time() - wall
    runs = store.read_runs(columns=list(model_columns(study)))
    values = from_runs(plan, runs)
    y = values.values[OUTCOME][plan.points(SCENARIO, "sobol")["row"].to_numpy(), :, -1]
    k = len(study.factors)
    est = estimate(y, k, bootstrap=1000, seed=SEED_INDEPENDENT)
    raw = estimate(y, k, bootstrap=1000, seed=SEED_INDEPENDENT, correct=False)
    frame = pd.DataFrame(
        {
            "ST": est.ST,
            "ST_low": est.ST_low,
            "ST_high": est.ST_high,
            "ST_uncorrected": raw.ST,
        },
        index=study.factor_names,
    )
    return frame, elapsed, plan.n_runs


def main(argv: list[str] | None = None) -> int:
    """Run both estimates and compare them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick-store", type=Path, default=None)
    parser.add_argument(
        "--independent-only", action="store_true", help="run only the independent design"
    )
    args = parser.parse_args(argv)
    if args.independent_only:
        independent_trend(args.workers)
        return 0
    other, seconds, n_runs = independent_trend(args.workers)
    quick = quick_trend(args.quick_store, args.workers)
    table = pd.DataFrame(
        {
            "quick_ST": quick["value"],
            "quick_low": quick["conf_low"],
            "quick_high": quick["conf_high"],
            "independent_ST": other["ST"],
            "independent_low": other["ST_low"],
            "independent_high": other["ST_high"],
            "independent_uncorrected": other["ST_uncorrected"],
        }
    ).reindex(other.index)
    se_q = (table["quick_high"] - table["quick_low"]) / (2 * 1.96)
    se_i = (table["independent_high"] - table["independent_low"]) / (2 * 1.96)
    table["difference"] = table["quick_ST"] - table["independent_ST"]
    table["agree"] = table["difference"].abs() <= 1.96 * np.sqrt(se_q**2 + se_i**2)
    OUT.mkdir(parents=True, exist_ok=True)
    table.to_csv(OUT / "comparison.csv", index_label="factor", float_format="%.4f")
    _figure(table, OUT / "comparison.png")
    print(table.round(3).to_string())
    print(
        f"{int(table['agree'].sum())} of {len(table)} factors agree within intervals; "
        f"independent design: {n_runs} runs in {seconds:.0f} s wall"
    )
    return 0


def _figure(table: pd.DataFrame, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6.5, 6))
    ax.errorbar(
        table["independent_ST"],
        table["quick_ST"],
        xerr=np.abs(np.vstack([table["independent_ST"] - table["independent_low"],
                               table["independent_high"] - table["independent_ST"]])),
        yerr=np.abs(np.vstack([table["quick_ST"] - table["quick_low"],
                               table["quick_high"] - table["quick_ST"]])),
        fmt="o", ms=4, lw=0.8,
    )  # fmt: skip
    ax.scatter(table["independent_uncorrected"], table["quick_ST"], marker="x", color="#d62728",
               label="independent, uncorrected (as SALib)")  # fmt: skip
    for name, row in table.iterrows():
        ax.annotate(name, (row["independent_ST"], row["quick_ST"]), fontsize=7,
                    xytext=(3, 3), textcoords="offset points")  # fmt: skip
    top = float(np.nanmax(table[["quick_high", "independent_high"]].to_numpy())) + 0.05
    ax.plot([-0.05, top], [-0.05, top], color="#999999", lw=0.8)
    ax.set_xlabel(f"independent direct ST (N = {N_INDEPENDENT}, own seeds, noise-corrected)")
    ax.set_ylabel("quick study ST (N = 256, common seeds, noise-corrected)")
    ax.set_title(f"Total effects on the {OUTCOME} in 2040, trend scenario", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    raise SystemExit(main())
