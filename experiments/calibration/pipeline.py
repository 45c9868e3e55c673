"""``mediacluster calibrate``: ABC-SMC of a calibration file on the shared engine.

Every batch of proposals is a list of run specs executed by
:func:`experiments.engine.runner.run_specs` into its own engine store
(``populations/tNN-bNNN/``: manifest, design, runs/part-*.parquet), on the
executor the command line chose (local processes or Dask). The algorithm is
deterministic given the master seed (``smc``), so ``--resume`` simply runs
it again: batches already stored are read back, not re-run. Each batch store
can be checked with ``mediacluster reproduce``; ``reproduce`` on the
calibration folder re-runs them all.

Layout of ``results/<name>/``::

    calibration.json        inputs and hashes, settings, ε schedule, status, versions
    inputs/                 copies of the calibration, patterns and params files
    populations/tNN-bNNN/   engine stores of the proposals' runs
    predictive/             engine store of the posterior-predictive runs
    populations.parquet     every accepted particle of every population
    posterior.parquet       the final population (weights, distances, parameters)
    posterior_summary.csv   prior and posterior per parameter (mean, 5/50/95%)
    fit.csv                 each pattern: observed, tolerance, simulated 5/50/95%, within
    figures/fit.png, figures/posterior.png
"""

from __future__ import annotations

import json
import math
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import sim

from ..engine import provenance
from ..engine.design import RunSpec
from ..engine.executors import make_executor, slots
from ..engine.inputs import RunSetup
from ..engine.runner import run_specs
from ..engine.store import Store, _atomic_write
from .calibration_file import Calibration, load_calibration
from .patterns import distances, outcome_columns, pattern_values
from .posterior import write_posterior
from .smc import Population, abc_smc, run_seeds, weighted_quantile

RESULTS = Path("results")
MANIFEST = "calibration.json"
PREDICTIVE_KEY = 10_000  # population slot of the posterior-predictive seeds
CHUNK_MAX = 50


@dataclass
class CalibrationResult:
    """Where the calibration was written and its headline numbers."""

    store: Path
    populations: list[Population]
    fit: pd.DataFrame
    summary: pd.DataFrame
    simulations: int


class Engine:
    """Runs batches of parameter vectors as engine stores and returns their distances."""

    def __init__(self, cal: Calibration, root: Path, executor, label: str, progress: bool):
        self.cal, self.root, self.executor, self.label = cal, root, executor, label
        self.progress = progress
        self.setup = RunSetup(cal.bundle, cal.overrides, outcome_columns(list(cal.patterns)))
        self.simulations = 0

    def specs(self, key: int, batch: int, thetas: np.ndarray) -> list[RunSpec]:
        seeds = run_seeds(self.cal.master_seed, key, batch, len(thetas))
        return [
            RunSpec(
                i, self.cal.scenario, self.cal.policy, 0, int(seeds[i]), self.cal.overrides_at(th)
            )
            for i, th in enumerate(thetas)
        ]

    def run(self, folder: Path, specs: list[RunSpec], info: dict) -> pd.DataFrame:
        """Run (or read back) the specs in an engine store; pattern values per run id."""
        n_slots = slots(self.executor)
        chunk = self.cal.chunk_size or max(1, min(CHUNK_MAX, math.ceil(len(specs) / (4 * n_slots))))
        outcome = run_specs(
            specs,
            self.setup,
            folder,
            self.executor,
            info={"kind": "calibration-batch", "calibration": self.cal.name, **info},
            inputs={"calibration.toml": self.cal.text},
            resume=True,
            chunk_size=chunk,
            progress=False,
            executor_label=self.label,
        )
        self.simulations += outcome.ran
        runs = Store(folder).read_runs(columns=list(self.setup.outcomes))
        values = pattern_values(list(self.cal.patterns), runs)
        return values.reindex(range(len(specs)))

    def simulate(self, t: int, batch: int, thetas: np.ndarray) -> np.ndarray:
        folder = self.root / "populations" / f"t{t:02d}-b{batch:03d}"
        values = self.run(folder, self.specs(t, batch, thetas), {"population": t, "batch": batch})
        return distances(list(self.cal.patterns), values)


def run_calibration(
    path: str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    chunk_size: int | None = None,
    progress: bool = True,
    command: list[str] | None = None,
    figures: bool = True,
) -> CalibrationResult:
    """Run (or resume) the calibration of a calibration file; write posterior, fit, figures."""
    cal = load_calibration(path)
    if chunk_size:
        from dataclasses import replace

        cal = replace(cal, chunk_size=chunk_size)
    root = Path(out or RESULTS / cal.name)
    _prepare(root, resume, overwrite)
    files = cal.input_files()
    hashes = {n: provenance.text_sha256(t) for n, t in sorted(files.items())}
    manifest = _open_manifest(root, cal, hashes, files, command)
    with Store(root).lock(), make_executor(workers, scheduler) as (executor, label):
        engine = Engine(cal, root, executor, label, progress)
        manifest["sessions"].append(
            {
                "started": provenance.now_iso(),
                "executor": label,
                "git_commit": provenance.git_commit(),
            }
        )
        manifest["status"] = "running"
        _write_manifest(root, manifest)

        def report(pop: Population) -> None:
            if progress:
                print(
                    f"population {pop.t}: ε = {pop.epsilon:.3g}, acceptance {pop.acceptance:.2f}, "
                    f"ESS {pop.ess:.0f}, median distance {np.median(pop.distances):.3g}",
                    file=sys.stderr,
                    flush=True,
                )

        pops = abc_smc(
            cal.prior,
            engine.simulate,
            cal.particles,
            cal.populations,
            cal.master_seed,
            cal.quantile,
            cal.min_acceptance,
            on_population=report,
        )
        posterior = pops[-1]
        _write_populations(root, cal, pops)
        write_posterior(
            root / "posterior.parquet",
            particle_frame(cal, posterior),
            _meta(cal),
            {
                "calibration": cal.name,
                "calibration_file": str(cal.path),
                "git_commit": provenance.git_commit(),
                "created": provenance.now_iso(),
                "inputs": hashes,
            },
        )
        summary = posterior_summary(cal, posterior)
        summary.to_csv(root / "posterior_summary.csv", index=False)
        fit = predictive_fit(cal, engine, posterior)
        fit.to_csv(root / "fit.csv", index=False)
        if figures:
            from .figures import write_figures

            write_figures(root, cal, pops, fit)
        manifest.update(
            status="complete",
            finished=provenance.now_iso(),
            populations=[_pop_record(p) for p in pops],
            simulations_run_now=engine.simulations,
            patterns_within=int(fit["within"].sum()),
            patterns=len(fit),
        )
        manifest["sessions"][-1]["finished"] = manifest["finished"]
        _write_manifest(root, manifest)
    total = sum(p.proposed for p in pops) + cal.predictive
    return CalibrationResult(root, pops, fit, summary, total)


def particle_frame(cal: Calibration, pop: Population) -> pd.DataFrame:
    """A population as a table: particle, weight, distance, one column per parameter."""
    frame = pd.DataFrame(
        {"particle": np.arange(len(pop.weights)), "weight": pop.weights, "distance": pop.distances}
    )
    for j, p in enumerate(cal.parameters):
        frame[p.name] = pop.theta[:, j]
    return frame


def posterior_summary(cal: Calibration, pop: Population) -> pd.DataFrame:
    """Prior and posterior per parameter: means, 5/50/95% points and the sd ratio."""
    prior = cal.prior
    rows = []
    for j, p in enumerate(cal.parameters):
        x, w = pop.theta[:, j], pop.weights
        q05, q50, q95 = weighted_quantile(x, w, [0.05, 0.5, 0.95])
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        rows.append(
            {
                "parameter": p.name,
                "prior_low": p.low,
                "prior_high": p.high,
                "prior_mean": float(prior.mean()[j]),
                "prior_sd": float(prior.sd()[j]),
                "posterior_mean": mean,
                "posterior_sd": sd,
                "posterior_p05": float(q05),
                "posterior_median": float(q50),
                "posterior_p95": float(q95),
                "sd_ratio": sd / float(prior.sd()[j]),
            }
        )
    return pd.DataFrame(rows)


def predictive_fit(cal: Calibration, engine: Engine, pop: Population) -> pd.DataFrame:
    """Posterior-predictive runs: each pattern's simulated 5/50/95% and whether the median
    lies within the tolerance. Particles are drawn by weight with the master seed."""
    rng = np.random.default_rng(
        np.random.SeedSequence(cal.master_seed, spawn_key=(PREDICTIVE_KEY,))
    )
    rows = rng.choice(len(pop.weights), size=cal.predictive, p=pop.weights)
    thetas = pop.theta[rows]
    values = engine.run(
        engine.root / "predictive",
        engine.specs(PREDICTIVE_KEY, 0, thetas),
        {"posterior_predictive": True},
    )
    return fit_table(list(cal.patterns), values)


def fit_table(patterns, values: pd.DataFrame) -> pd.DataFrame:
    """fit.csv: target, year, observed, low, high, sim_p05, sim_median, sim_p95, within."""
    rows = []
    for p in patterns:
        v = values[p.target].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        p05, med, p95 = np.quantile(v, [0.05, 0.5, 0.95]) if v.size else (np.nan,) * 3
        rows.append(
            {
                "target": p.target,
                "year": p.year,
                "observed": p.observed,
                "low": p.low,
                "high": p.high,
                "sim_p05": float(p05),
                "sim_median": float(med),
                "sim_p95": float(p95),
                "within": bool(p.low <= med <= p.high),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- store helpers


def _prepare(root: Path, resume: bool, overwrite: bool) -> None:
    manifest = root / MANIFEST
    if overwrite and root.exists():
        if not manifest.is_file():
            raise sim.ParamsError(
                root, None, "is not a calibration store (no calibration.json); not removing it"
            )
        shutil.rmtree(root)
    if manifest.is_file() and not resume:
        raise sim.ParamsError(
            root,
            None,
            "already holds a calibration; add --resume to continue it, --overwrite to replace it, "
            "or --out to write elsewhere",
        )
    if not manifest.is_file() and root.exists() and any(root.iterdir()):
        raise sim.ParamsError(root, None, "exists, is not empty and is not a calibration store")


def _open_manifest(root: Path, cal: Calibration, hashes: dict, files: dict, command) -> dict:
    path = root / MANIFEST
    if path.is_file():
        manifest = json.loads(path.read_text())
        if manifest.get("inputs") != hashes:
            changed = sorted(
                n
                for n in set(hashes) | set(manifest["inputs"])
                if hashes.get(n) != manifest["inputs"].get(n)
            )
            raise sim.ParamsError(
                root,
                None,
                "cannot resume: this calibration was written from other inputs "
                f"({', '.join(changed)}); use --overwrite or another --out",
            )
        return manifest
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        _atomic_write(root / "inputs" / name, text.encode("utf-8"))
    return {
        "kind": "calibration",
        "calibration": cal.name,
        "description": cal.description,
        "calibration_file": str(cal.path),
        "command": command,
        "master_seed": cal.master_seed,
        "particles": cal.particles,
        "populations_planned": cal.populations,
        "quantile": cal.quantile,
        "min_acceptance": cal.min_acceptance,
        "predictive": cal.predictive,
        "parameters": {
            p.name: {"bounds": [p.low, p.high], "mode": p.mode, "reason": p.reason}
            for p in cal.parameters
        },
        "inputs": hashes,
        "git_commit": provenance.git_commit(),
        "versions": provenance.package_versions(),
        "host": provenance.host(),
        "started": provenance.now_iso(),
        "finished": None,
        "status": "running",
        "sessions": [],
    }


def _write_manifest(root: Path, manifest: dict) -> None:
    _atomic_write(root / MANIFEST, (json.dumps(manifest, indent=2, default=str) + "\n").encode())


def _write_populations(root: Path, cal: Calibration, pops: list[Population]) -> None:
    frames = []
    for pop in pops:
        frame = particle_frame(cal, pop)
        frame.insert(0, "population", pop.t)
        frame.insert(1, "epsilon", pop.epsilon)
        frames.append(frame)
    pd.concat(frames, ignore_index=True).to_parquet(root / "populations.parquet", index=False)


def _pop_record(pop: Population) -> dict:
    return {
        "population": pop.t,
        "epsilon": pop.epsilon if math.isfinite(pop.epsilon) else None,
        "accepted": len(pop.weights),
        "proposed": pop.proposed,
        "acceptance": pop.acceptance,
        "ess": pop.ess,
        "median_distance": float(np.median(pop.distances)),
    }


def _meta(cal: Calibration) -> dict:
    return {
        p.name: {
            "keys": list(p.keys),
            "transfer": p.transfer,
            "mode": p.mode,
            "bounds": [p.low, p.high],
        }
        for p in cal.parameters
    }


def substores(root: str | Path) -> list[Path]:
    """The engine stores of a calibration (batches, then the predictive runs)."""
    root = Path(root)
    found = sorted((root / "populations").glob("t*-b*"))
    if (root / "predictive").is_dir():
        found.append(root / "predictive")
    return [p for p in found if Store(p).exists()]
