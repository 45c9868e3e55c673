"""One-off comparison: pyabc against our ABC-SMC on the shipped hindcast calibration.

    python -m benchmarks.calibration_vs_pyabc [--particles 100] [--populations 4]
                                              [--calibration params/history/calibration.toml]
                                              [--runs ours,pyabc,pyabc-engine]

Runs, at the same size, on one core each:

* **ours**: ``smc.abc_smc`` through the calibration pipeline's ``Engine``
  (run specs into engine stores in a temporary folder, the master seed of
  the calibration file), exactly as ``mediacluster calibrate`` does;
* **pyabc**: ``ABCSMC`` with our algorithm's settings
  (``experiments/calibration/reference.py``), whose model runs one
  simulation of 2010–2025 per parameter vector (``engine.execute.run_one`` on
  the same params, overrides and patterns) and returns the same distance;
* **pyabc-engine** (only when asked): the prototype integration, pyabc
  proposing through ``reference.BatchSampler`` whose batches run through the
  same ``Engine.simulate`` into engine stores; then started again over those
  stores (it should run nothing and give the identical posterior).

and prints per parameter the posterior median, 5–95% interval and sd ratio
(posterior sd / prior sd) side by side, with the shipped ``make hindcast``
posterior (``results/hindcast/posterior_summary.csv``) when it is there. Also
the ε schedules, acceptance, simulations and wall time of both. The table is
written to ``results/calibration_vs_pyabc.csv``. Needs pyabc (a ``dev`` extra).
Not a test: a few minutes at the default size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibration.calibration_file import load_calibration
from experiments.calibration.patterns import distances, pattern_values
from experiments.calibration.pipeline import Engine, posterior_summary
from experiments.calibration.reference import run_pyabc
from experiments.calibration.smc import Population, abc_smc
from experiments.engine.design import RunSpec
from experiments.engine.execute import run_one
from experiments.engine.executors import make_executor

SHIPPED = Path("results/hindcast/posterior_summary.csv")
OUT = Path("results/calibration_vs_pyabc.csv")


def one_distance(cal, engine: Engine):
    """pyabc's model: one 2010–2025 run of a parameter vector, its distance to history."""
    patterns = list(cal.patterns)

    def distance(theta: np.ndarray, rng: np.random.Generator) -> float:
        seed = int(rng.integers(0, 2**62))
        spec = RunSpec(0, cal.scenario, cal.policy, 0, seed, cal.overrides_at(theta))
        try:
            runs = run_one(spec, engine.setup)
        except Exception:  # noqa: BLE001 - a failed run is infinitely far, as in ours
            return float("inf")
        return float(distances(patterns, pattern_values(patterns, runs))[0])

    return distance


def columns(summary: pd.DataFrame, label: str) -> pd.DataFrame:
    """median, 5–95% interval and sd ratio per parameter, headed by the run's label."""
    s = summary.set_index("parameter")
    return pd.DataFrame(
        {
            f"{label} median": s["posterior_median"],
            f"{label} p05": s["posterior_p05"],
            f"{label} p95": s["posterior_p95"],
            f"{label} sd_ratio": s["sd_ratio"],
        }
    )


RUNS = ("ours", "pyabc", "pyabc-engine")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calibration", default="params/history/calibration.toml")
    ap.add_argument("--particles", type=int, default=100)
    ap.add_argument("--populations", type=int, default=4)
    ap.add_argument(
        "--runs",
        default="ours,pyabc",
        help=f"comma-separated, of {', '.join(RUNS)} (pyabc-engine: the prototype "
        "integration, pyabc proposing through reference.BatchSampler into engine stores, "
        "then started again to show the stores are read back)",
    )
    args = ap.parse_args(argv)
    runs = args.runs.split(",")
    if not runs or not set(runs) <= set(RUNS):
        ap.error(f"--runs: choose from {', '.join(RUNS)}")
    cal = load_calibration(args.calibration)
    n, t_max = args.particles, args.populations
    size = f"{n}×{t_max}"
    settings = (cal.master_seed, cal.quantile, cal.min_acceptance)
    parts, lines = [], []
    if SHIPPED.is_file():
        parts.append(columns(pd.read_csv(SHIPPED), "shipped"))
    with tempfile.TemporaryDirectory() as tmp, make_executor(1) as (executor, label):
        root = Path(tmp)
        engine = Engine(cal, root / "ours", executor, label, progress=False)
        if "ours" in runs:
            start = time.perf_counter()
            pops = abc_smc(cal.prior, engine.simulate, n, t_max, *settings)
            seconds = time.perf_counter() - start
            parts.append(columns(posterior_summary(cal, pops[-1]), f"ours {size}"))
            lines.append(
                f"ours : ε {[round(p.epsilon, 3) for p in pops]}, acceptance "
                f"{[round(float(p.acceptance), 3) for p in pops]}, "
                f"{sum(p.proposed for p in pops)} simulations, "
                f"ESS {pops[-1].ess:.0f}, {seconds:.0f} s"
            )
        if "pyabc" in runs:
            ref = run_pyabc(
                cal.prior, one_distance(cal, engine), n, t_max, settings[0], root / "a.db",
                *settings[1:],
            )  # fmt: skip
            parts.append(columns(posterior_summary(cal, as_population(ref)), f"pyabc {size}"))
            lines.append(describe("pyabc", ref))
        if "pyabc-engine" in runs:
            first = Engine(cal, root / "pyabc-engine", executor, label, progress=False)
            ref = run_pyabc(
                cal.prior, None, n, t_max, settings[0], root / "b.db", *settings[1:],
                simulate_batch=first.simulate,
            )  # fmt: skip
            again = Engine(cal, root / "pyabc-engine", executor, label, progress=False)
            rerun = run_pyabc(
                cal.prior, None, n, t_max, settings[0], root / "c.db", *settings[1:],
                simulate_batch=again.simulate,
            )  # fmt: skip
            same = np.array_equal(ref.theta, rerun.theta) and np.array_equal(
                ref.weights, rerun.weights
            )
            stores = len(list((root / "pyabc-engine" / "populations").glob("t*-b*")))
            parts.append(
                columns(posterior_summary(cal, as_population(ref)), f"pyabc-engine {size}")
            )
            lines.append(
                describe("pyabc-engine", ref)
                + f"; {first.simulations} runs into {stores} engine batch stores; "
                f"started again: {again.simulations} runs, {rerun.seconds:.0f} s, "
                f"posterior {'identical' if same else 'DIFFERENT'}"
            )
    table = pd.concat(parts, axis=1)
    table.insert(0, "prior_sd", [float(x) for x in cal.prior.sd()])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(OUT)

    print(f"calibration {cal.path} at {size}; one core each\n")
    print("\n".join(lines) + "\n")
    for name, row in table.iterrows():
        cells = [f"{name:26s} prior sd {row['prior_sd']:.3f}"]
        for part in parts:
            lab = part.columns[0].removesuffix(" median")
            cells.append(
                f"{lab}: {row[lab + ' median']:.2f} [{row[lab + ' p05']:.2f}, "
                f"{row[lab + ' p95']:.2f}] sd_ratio {row[lab + ' sd_ratio']:.2f}"
            )
        print("\n    ".join(cells))
    print(f"\nwritten: {OUT}")


def as_population(ref) -> Population:
    """pyabc's last population in our type (for posterior_summary)."""
    n = len(ref.weights)
    return Population(
        len(ref.epsilons) - 1, ref.theta, ref.weights, np.full(n, np.nan), ref.epsilons[-1], 0, 0
    )


def describe(label: str, ref) -> str:
    return (
        f"{label}: ε {[round(e, 3) for e in ref.epsilons]}, acceptance "
        f"{[round(a, 3) for a in ref.acceptance]}, {sum(ref.proposed)} simulations, "
        f"ESS {ref.ess:.0f}, {ref.seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
