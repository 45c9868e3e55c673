"""``mediacluster robust``: run a robust study end to end.

Glue only. Three kinds of runs, each a results store of the shared engine
(:func:`experiments.engine.runner.run_specs`: any executor or a Dask
cluster, crash-safe, ``--resume``, ``mediacluster reproduce``), inside the
study's folder ``results/<study name>/``:

- ``evaluate/``: the packages and named mixes on the evaluation ensemble;
- ``search/gen-NNN/``: one store per NSGA-II generation, its candidates on
  the search ensemble (the search asks the same candidates again from the
  same seed, so a resumed study finds its stored generations);
- ``out-of-sample/``: the Pareto mixes of the search on the evaluation
  ensemble, with the same futures and seeds as ``evaluate/``.

Then :mod:`.analysis` writes the tables and :mod:`.figures` the figures
into the study folder, with a copy of the study file (``study.toml``) and
``robust.json`` (its name and hash, and a posterior's provenance: path, SHA-256,
particles, the calibration it came from — also in every store's manifest).
``--resume`` on a finished study runs nothing and re-analyses: a changed
discovery or budget setting needs no runs, while any change that alters a run
(futures, policies, seeds, a posterior, or a target that steers the search)
is refused by the stores' check of their run specs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import sim

from ..engine.executors import make_executor
from ..engine.inputs import ParamsBundle, RunSetup
from ..engine.runner import run_specs
from ..engine.store import Store
from . import analysis
from .futures import Ensemble, evaluation_ensemble, search_ensemble, stream_seed
from .plan import (
    MIX_POLICY,
    PolicyRun,
    Results,
    concat,
    kept_columns,
    mix_policy_text,
    policy_run,
    read_results,
    specs_for,
)
from .search import SearchResult, nsga2, spread_pick
from .study import RobustStudy, load_study

RESULTS = Path("results")
MARKER = "robust.json"


class RunsIncomplete(Exception):
    """Some runs failed or did not run; the study cannot be analysed yet."""


@dataclass
class RobustResult:
    """What :func:`run_robust` did: the folder, run counts, the tables and written files."""

    folder: Path
    runs_stored: int = 0
    runs_now: int = 0
    tables: dict = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)


def setup_of(study: RobustStudy) -> RunSetup:
    """The inputs every run of the study shares."""
    bundle = ParamsBundle.from_baseline(study.baseline, list(study.scenarios), study.packages)
    files = {**bundle.files, f"policies/{MIX_POLICY}.toml": mix_policy_text(study)}
    return RunSetup(ParamsBundle(files), dict(study.overrides), kept_columns(study))


def prepare_folder(folder: Path, study: RobustStudy, resume: bool, overwrite: bool) -> None:
    """Check (or clear, with ``overwrite``) the study folder and write its marker.

    A folder holding a robust study is never overwritten implicitly.
    """
    marker = folder / MARKER
    if folder.exists() and any(folder.iterdir()):
        if not marker.is_file():
            raise sim.ParamsError(
                folder, None, "exists, is not empty and is not a robust study's folder"
            )
        if overwrite:
            for sub in sorted(folder.rglob("manifest.json")):
                Store(sub.parent).remove()
            shutil.rmtree(folder)
        elif not resume:
            raise sim.ParamsError(
                folder,
                None,
                "already holds results; add --resume to continue it, --overwrite to "
                "replace it, or --out to write elsewhere",
            )
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(study.text.encode()).hexdigest()
    marker_info = {"kind": "robust", "study": study.name, "study_sha256": digest}
    if study.posterior is not None:
        marker_info["posterior"] = study.posterior.provenance()
    text = json.dumps(marker_info, indent=2)
    marker.write_text(text + "\n")
    # The study file as last run: the stores keep only what their runs depend on (params
    # files and run specs), so a change to the analysis settings (discovery, budgets)
    # re-analyses with --resume, and a change that alters any run is refused by the store.
    (folder / "study.toml").write_text(study.text, encoding="utf-8")


def run_robust(
    path: str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    chunk_size: int | None = None,
    progress: bool = True,
    figures: bool = True,
    command: list[str] | None = None,
    executor: Executor | None = None,
    search: bool = True,
) -> RobustResult:
    """Run (or resume) a robust study: evaluate, search, re-evaluate out of sample,
    discover; then write tables and figures. Raises :class:`sim.ParamsError` on bad
    input and :class:`RunsIncomplete` if runs failed (``resume`` retries them)."""
    study = load_study(path)
    folder = Path(out or RESULTS / study.name)
    prepare_folder(folder, study, resume, overwrite)
    setup = setup_of(study)
    result = RobustResult(folder)
    runner = _Runner(study, setup, folder, resume, chunk_size, progress, command, result)
    evaluate = evaluation_ensemble(study)
    policies = [policy_run(study, mix) for mix in study.policies]
    context = nullcontext((executor, None)) if executor else make_executor(workers, scheduler)
    found: SearchResult | None = None
    pareto: list[PolicyRun] = []
    chosen = np.array([], dtype=int)
    with context as (pool, label):
        runner.executor, runner.label = pool, label
        base = runner.run("evaluate", evaluate, policies)
        results = base
        if search and study.search is not None:
            ensemble = search_ensemble(study)
            found = run_search(study, runner, ensemble)
            pareto, chosen = pareto_runs(study, found)
            oos = runner.run("out-of-sample", evaluate, pareto)
            results = concat(base, oos)
    tables = analysis.analyse(study, evaluate, results, policies + pareto, found, chosen)
    result.tables = tables
    result.paths = analysis.write_tables(tables, folder)
    if figures:
        from .figures import write_figures

        result.paths += write_figures(study, tables, folder)
    return result


class _Runner:
    """Runs policies on an ensemble into one store of the study folder."""

    def __init__(self, study, setup, folder, resume, chunk_size, progress, command, result):
        self.study, self.setup, self.folder = study, setup, folder
        self.resume, self.chunk_size, self.progress = resume, chunk_size, progress
        self.command, self.result = command, result
        self.executor, self.label = None, None

    def run(self, name: str, ensemble: Ensemble, policies: list[PolicyRun]) -> Results:
        study = self.study
        specs = specs_for(study, ensemble, policies)
        store = Store(self.folder / name)
        info = {
            "kind": "robust",
            "experiment": f"{study.name}/{name}",
            "description": study.description,
            "experiment_file": str(study.path),
            "baseline_file": str(study.baseline),
            "command": self.command,
            "scenarios": list(study.scenarios),
            "policies": [p.name for p in policies],
            "futures": int(ensemble.n),
            "replications": study.replications,
            "master_seed": study.master_seed,
            "uncertainties": study.uncertainty_names,
        }
        if study.posterior is not None:
            info["posterior"] = study.posterior.provenance()
        outcome = run_specs(
            specs,
            self.setup,
            store.path,
            self.executor,
            info=info,
            resume=self.resume,
            chunk_size=self.chunk_size or study.chunk_size,
            progress=self.progress,
            executor_label=self.label,
        )
        self.result.runs_stored += outcome.done
        self.result.runs_now += outcome.ran
        if outcome.failed or outcome.pending:
            raise RunsIncomplete(
                f"{outcome.failed} of {outcome.planned} runs failed and {outcome.pending} did "
                f"not run; see {store.path}/failures; --resume retries them"
            )
        return read_results(store, study, ensemble.n, [p.name for p in policies])


def candidate(study: RobustStudy, name: str, x: np.ndarray) -> PolicyRun:
    """A searched mix: the searched levers at ``x``, every other lever off."""
    levers = dict.fromkeys(sim.LEVERS, 0.0)
    levers.update({lever: float(v) for lever, v in zip(study.search.levers, x, strict=True)})
    return PolicyRun(name, MIX_POLICY, levers)


def objectives(study: RobustStudy, results: Results) -> np.ndarray:
    """Search objectives to minimise: −satisficing, −p10 (main outcome), cost (M€)."""
    table = analysis.policy_metrics(study, results)
    return np.column_stack(
        [-table["satisficing"], -table[analysis.q_name(study)], table["cost_meur"]]
    )


def run_search(study: RobustStudy, runner: _Runner, ensemble: Ensemble) -> SearchResult:
    """NSGA-II over the searched levers, one store per generation."""
    spec = study.search
    lower = np.array([lo for lo, _ in spec.levers.values()])
    upper = np.array([hi for _, hi in spec.levers.values()])

    def evaluate(g: int, X: np.ndarray) -> np.ndarray:
        runs = [candidate(study, f"gen{g:03d}-{i:03d}", x) for i, x in enumerate(X)]
        return objectives(study, runner.run(f"search/gen-{g:03d}", ensemble, runs))

    seed = stream_seed(study.master_seed, "search/nsga2")
    return nsga2(evaluate, lower, upper, 3, spec.population, spec.generations, seed)


def pareto_runs(study: RobustStudy, found: SearchResult) -> tuple[list[PolicyRun], np.ndarray]:
    """The Pareto mixes to judge out of sample (at most ``max_pareto``, spread by cost,
    cheapest first) and their indices among the evaluated candidates."""
    idx = found.pareto[spread_pick(found.F[found.pareto], study.search.max_pareto, column=2)]
    idx = idx[np.argsort(found.F[idx, 2], kind="stable")]
    runs = [candidate(study, f"search-{k + 1:02d}", found.X[i]) for k, i in enumerate(idx)]
    return runs, idx


def describe(result: RobustResult) -> str:
    """What a finished study wrote and its headline, for the terminal."""
    t = result.tables
    csv = [p.name for p in result.paths if p.suffix == ".csv"][:4]
    n_png = sum(1 for p in result.paths if p.suffix == ".png")
    lines = [
        f"wrote {result.folder}/: {result.runs_stored} runs stored ({result.runs_now} run now); "
        f"{', '.join(csv)}, … ({len(result.paths) - n_png} tables, {n_png} figures)"
    ]
    lines += analysis.headline(t)
    return "\n".join(lines)
