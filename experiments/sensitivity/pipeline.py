"""``mediacluster sensitivity``: run a study file end to end.

Glue only: the study from :mod:`.study`, the runs from :mod:`.plan`,
executed and stored by the sweep runner (:func:`experiments.engine.runner.run_specs`:
parallel on any executor or a Dask cluster, crash-safe, resumable), then
:mod:`.analysis` on the stored outcomes. The store and every output live
in ``results/<study name>/`` (or ``out``).
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from ..engine.executors import make_executor
from ..engine.inputs import ParamsBundle, RunSetup
from ..engine.runner import SweepOutcome, run_specs
from ..engine.store import Store, report_kept
from .analysis import Analysis, analyse, write_outputs
from .behaviour import NAME as BEHAVIOUR
from .outcomes import from_runs, model_columns
from .plan import Plan, make_plan
from .study import Study, load_study

RESULTS = Path("results")


class RunsIncomplete(Exception):
    """Some runs failed or did not run; the study cannot be analysed yet."""


@dataclass
class StudyResult:
    """What :func:`run_study` did: the store, the runner's counts and the analysis."""

    store: Path
    sweep: SweepOutcome
    analysis: Analysis
    paths: list[Path]


def setup_of(study: Study) -> RunSetup:
    """The inputs every run of the study shares (params files, fixed overrides, columns)."""
    bundle = ParamsBundle.from_baseline(
        study.baseline, list(study.scenarios), [study.policy], study.custom_policies
    )
    return RunSetup(bundle, dict(study.overrides), model_columns(study))


def run_study(
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
) -> StudyResult:
    """Run (or resume) a study's runs through the sweep runner, then analyse and write.

    ``executor`` (any concurrent.futures Executor) overrides ``workers`` and
    ``scheduler``; ``chunk_size`` (runs per task) overrides the study file's.
    Raises :class:`sim.ParamsError` on bad input and :class:`RunsIncomplete`
    if runs failed (``resume`` retries them).
    """
    study = load_study(path)
    plan = make_plan(study)
    specs = plan.specs()
    setup = setup_of(study)
    store = Store(out or RESULTS / study.name)
    if overwrite:
        report_kept(store.remove(), store)
    store.check_usable(resume)  # before a cluster is started for nothing
    info = {
        "kind": "sensitivity",
        "experiment": study.name,
        "description": study.description,
        "experiment_file": str(study.path),
        "baseline_file": str(study.baseline),
        "command": command,
        "scenarios": list(study.scenarios),
        "policies": [study.policy],
        "replications": study.replications,
        "master_seed": study.master_seed,
        "methods": study.methods.samples + (["pawn"] if study.methods.pawn else []),
        "factors": study.factor_names,
        "design_rows": len(plan.frame),
    }
    if study.behaviour is not None:
        info["posterior"] = study.behaviour.provenance()
    kwargs = dict(
        info=info,
        inputs={"experiment.toml": study.text},
        resume=resume,
        chunk_size=chunk_size or study.chunk_size,
        progress=progress,
    )
    if executor is not None:
        outcome = run_specs(specs, setup, store.path, executor, **kwargs)
    else:
        with make_executor(workers, scheduler) as (pool, label):
            outcome = run_specs(specs, setup, store.path, pool, executor_label=label, **kwargs)
    if outcome.failed or outcome.pending:
        raise RunsIncomplete(
            f"{outcome.failed} of {outcome.planned} runs failed and {outcome.pending} did not "
            f"run; see {store.path}/failures; --resume retries them"
        )
    analysis = analyse_store(plan, store)
    paths = write_outputs(analysis, store.path, figures=figures)
    return StudyResult(store.path, outcome, analysis, paths)


def analyse_store(plan: Plan, store: Store) -> Analysis:
    """Analyse the stored runs of a plan."""
    runs = store.read_runs(columns=list(model_columns(plan.study)))
    return analyse(plan, from_runs(plan, runs))


def describe(result: StudyResult) -> str:
    """What a finished study wrote, its top levers and its warnings, for the terminal."""
    a = result.analysis
    study = a.study
    n_csv = sum(1 for p in result.paths if p.suffix == ".csv")
    n_png = sum(1 for p in result.paths if p.suffix == ".png")
    lines = [
        f"wrote {result.store}/: {result.sweep.done} runs stored ({result.sweep.ran} run now); "
        f"indices.csv, convergence.csv, lever_effects.csv, ranked_levers_<scenario>.csv, "
        f"summary.md, warnings.txt "
        f"({n_csv} tables, {n_png} figures)"
    ]
    key = "ST" if study.methods.sobol else "mu_star"
    for scenario in study.scenarios:
        levers = a.ranked[(a.ranked["scenario"] == scenario) & (a.ranked["role"] == "lever")]
        top = ", ".join(f"{r.factor} {getattr(r, key):.2f}" for r in levers.head(3).itertuples())
        lines.append(f"  {scenario}: top levers by {key} on {study.analysis.main_outcome}: {top}")
        grouped = a.ranked[(a.ranked["scenario"] == scenario) & (a.ranked["factor"] == BEHAVIOUR)]
        if len(grouped):
            lines.append(
                f"  {scenario}: calibrated behaviour (posterior draw) {key} "
                f"{grouped[key].iloc[0]:.2f}"
            )
    if a.warnings:
        errors = sum(w.severity == "error" for w in a.warnings)
        lines.append(
            f"  {errors} errors and {len(a.warnings) - errors} warnings (ΣS1 > 1, negative "
            "indices, wide intervals, seed noise, unsuited outcomes): see warnings.txt"
        )
    return "\n".join(lines)
