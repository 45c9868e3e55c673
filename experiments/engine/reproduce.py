"""``mediacluster reproduce``: re-run a store's runs from its manifest and compare.

Uses only what the store kept: the copies of the input files under
``inputs/`` (checked against the manifest's hashes), the fixed overrides
and kept outcomes from the manifest, and the run specs in
``design.parquet``. For a sweep it also re-derives the specs from the
stored experiment file, so that a change in seeding shows up too. Every
re-run value must equal the stored one exactly (NaN equals NaN); a failed
run must fail again with the same error text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..sweep.experiment_file import load_experiment
from . import provenance
from .design import RunSpec, sweep_specs
from .execute import ChunkResult
from .executors import SerialExecutor, slots
from .inputs import ParamsBundle, RunSetup
from .runner import chunks, stream_chunks
from .store import Store, design_frame, id_ranges, same_design

MAX_LISTED = 20


@dataclass
class Report:
    """What reproduce compared and every difference found."""

    compared: int = 0
    skipped: int = 0  # runs neither stored nor failed (an unfinished sweep)
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """True if nothing differed."""
        return not self.differences


def reproduce(
    path: str | Path,
    sample: int | None = None,
    sample_seed: int = 0,
    executor=None,
    chunk_size: int = 8,
) -> Report:
    """Re-run all stored runs (or ``sample`` of them, drawn with ``sample_seed``)."""
    store = Store(path)
    manifest = store.read_manifest()
    report = Report()
    # Completeness first: a part that is missing, unreadable or altered, or runs
    # missing from a store marked complete, is a difference, named.
    check = store.check(manifest)
    report.differences += [f"part {p.describe()}" for p in check.problems]
    if check.missing_runs:
        report.differences.append(
            f"runs {id_ranges(check.missing_runs)}: missing from a store marked complete"
        )
    report.differences += store.input_problems(manifest)
    # An altered part is still read, so that its changed values are listed too.
    if (
        any(p.problem != "altered" for p in check.problems)
        or check.missing_runs
        or (report.differences and not check.problems)
    ):
        return report
    files = store.read_inputs()
    params = {k.removeprefix("params/"): v for k, v in files.items() if k.startswith("params/")}
    setup = RunSetup(
        ParamsBundle(params),
        manifest.get("overrides") or {},
        tuple(manifest["outcomes"]) if manifest.get("outcomes") else None,
    )
    specs = store.read_specs()
    if manifest.get("kind") == "sweep" and "experiment.toml" in files:
        _check_sweep_design(store, setup, specs, report)
    _note_environment(manifest, report)

    done = store.done_run_ids()
    failed = store.failures().set_index("run_id")["error"].to_dict()
    stored = [s for s in specs if s.run_id in done or s.run_id in failed]
    report.skipped = len(specs) - len(stored)
    if sample is not None and sample < len(stored):
        rng = np.random.default_rng(sample_seed)
        picked = np.sort(rng.choice(len(stored), size=sample, replace=False))
        stored = [stored[i] for i in picked]
    executor = executor or SerialExecutor()
    groups = chunks(stored, chunk_size)
    for chunk, result in stream_chunks(groups, setup, executor, slots(executor)):
        if isinstance(result, BaseException):
            report.differences.append(f"runs {chunk[0].run_id}..: task failed: {result}")
            continue
        _compare(store, chunk, result, failed, report)
        report.compared += len(chunk)
    return report


def _check_sweep_design(store: Store, setup: RunSetup, specs: list[RunSpec], report: Report):
    baseline = setup.params.baseline_path()
    exp = load_experiment(store.inputs_dir / "experiment.toml", baseline=baseline)
    again = sweep_specs(exp.scenarios, exp.policies, exp.replications, exp.master_seed)
    if not same_design(design_frame(again), store.read_design()):
        report.differences.append("design: run specs re-derived from the experiment differ")


def _note_environment(manifest: dict, report: Report) -> None:
    commit = provenance.git_commit()
    if manifest.get("git_commit") != commit:
        report.notes.append(f"code: stored at {manifest.get('git_commit')}, now {commit}")
    now = provenance.package_versions()
    for name, version in (manifest.get("versions") or {}).items():
        if now.get(name) != version:
            report.notes.append(f"{name}: stored {version}, now {now.get(name)}")


def _compare(
    store: Store, chunk: list[RunSpec], result: ChunkResult, failed: dict, report: Report
) -> None:
    new_errors = {f.spec.run_id: f.error for f in result.failures}
    for spec in chunk:
        old, new = failed.get(spec.run_id), new_errors.get(spec.run_id)
        if old is not None or new is not None:
            if old != new:
                report.differences.append(
                    f"run {spec.run_id}: stored {'error ' + repr(old) if old else 'outcomes'}, "
                    f"now {'error ' + repr(new) if new else 'outcomes'}"
                )
    ok = [s.run_id for s in chunk if s.run_id not in failed and s.run_id not in new_errors]
    if not ok:
        return
    stored = store.read_runs(run_ids=ok)
    fresh = result.rows[result.rows["run_id"].isin(ok)]
    fresh = fresh.sort_values(["run_id", "year"], kind="stable").reset_index(drop=True)
    report.differences += frame_differences(stored, fresh)


def frame_differences(stored: pd.DataFrame, fresh: pd.DataFrame) -> list[str]:
    """Every cell where two tables of the same runs differ (NaN equals NaN)."""
    if list(stored.columns) != list(fresh.columns):
        return [f"columns differ: stored {list(stored.columns)}, now {list(fresh.columns)}"]
    if len(stored) != len(fresh):
        return [f"rows differ: stored {len(stored)}, now {len(fresh)}"]
    out = []
    for column in stored.columns:
        a, b = stored[column].to_numpy(), fresh[column].to_numpy()
        if a.dtype.kind == "f" or b.dtype.kind == "f":
            same = (a == b) | (pd.isna(a) & pd.isna(b))
        else:
            same = a == b
        for i in np.flatnonzero(~same):
            run, year = stored["run_id"].iat[i], stored["year"].iat[i]
            was, now = _plain(a[i]), _plain(b[i])
            out.append(f"run {run} year {year} {column}: stored {was!r}, now {now!r}")
    return out


def _plain(value):
    """A numpy scalar as the Python number it holds (prints 0.5, not np.float64(0.5))."""
    return value.item() if isinstance(value, np.generic) else value


def format_report(report: Report, path: str | Path) -> str:
    """Human-readable lines for the command line."""
    lines = [f"note: {n}" for n in report.notes]
    if report.skipped:
        lines.append(f"note: {report.skipped} runs not stored yet (unfinished sweep), not compared")
    if report.identical:
        lines.append(f"{path}: reproduced {report.compared} runs, identical")
    else:
        lines += report.differences[:MAX_LISTED]
        more = len(report.differences) - MAX_LISTED
        if more > 0:
            lines.append(f"... and {more} more differences")
        lines.append(
            f"{path}: NOT reproduced: {len(report.differences)} differences "
            f"in {report.compared} runs compared"
        )
    return "\n".join(lines)
