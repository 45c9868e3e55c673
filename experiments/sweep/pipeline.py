"""``mediacluster sweep``: an experiment file's scenarios × policies × replications.

Glue only: the design comes from :mod:`experiments.engine.design`, execution and
storage from :mod:`experiments.engine.runner`, tables and figures from
:mod:`experiments.sweep.summary` and :mod:`experiments.sweep.figures`.
"""

from __future__ import annotations

from pathlib import Path

from ..engine.design import sweep_specs
from ..engine.executors import make_executor
from ..engine.inputs import ParamsBundle, RunSetup
from ..engine.runner import SweepOutcome, run_specs
from ..engine.store import Store, report_kept
from .experiment_file import Experiment, load_experiment
from .figures import write_figures
from .summary import final_summary, write_tables

RESULTS = Path("results")


def setup_of(exp: Experiment) -> RunSetup:
    """The shared inputs of the experiment's runs."""
    bundle = ParamsBundle.from_baseline(
        exp.baseline, exp.scenarios, exp.policies, exp.custom_policies
    )
    return RunSetup(bundle, exp.overrides, exp.outcomes)


def run_sweep(
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
) -> SweepOutcome:
    """Run (or resume) the sweep of an experiment file, then write summary.csv and figures."""
    exp = load_experiment(path)
    specs = sweep_specs(exp.scenarios, exp.policies, exp.replications, exp.master_seed)
    setup = setup_of(exp)
    store = Store(out or RESULTS / exp.name)
    if overwrite:
        report_kept(store.remove(), store)
    store.check_usable(resume)  # before a cluster is started for nothing
    locations = setup.params.load(exp.scenarios[0], exp.policies[0], exp.overrides).location_names
    info = {
        "kind": "sweep",
        "experiment": exp.name,
        "description": exp.description,
        "experiment_file": str(exp.path),
        "baseline_file": str(exp.baseline),
        "command": command,
        "scenarios": exp.scenarios,
        "policies": exp.policies,
        "replications": exp.replications,
        "master_seed": exp.master_seed,
        "locations": locations,
    }
    with make_executor(workers, scheduler) as (executor, label):
        outcome = run_specs(
            specs,
            setup,
            store.path,
            executor,
            info=info,
            inputs={"experiment.toml": exp.text},
            resume=resume,
            chunk_size=chunk_size or exp.chunk_size,
            progress=progress,
            executor_label=label,
        )
    write_results(store, figures)
    return outcome


def write_results(store: Store, figures: bool = True) -> list[Path]:
    """(Re)write summary.csv, failures.csv and (unless not wanted) the figures of a store."""
    manifest = store.read_manifest()
    summary = final_summary(store)
    written = write_tables(store, summary)
    if not figures:
        return written
    written += write_figures(
        store, manifest["scenarios"], manifest["policies"], manifest["locations"], summary
    )
    return written
