"""Run a list of run specs on any executor into a crash-safe store.

The Python API for every kind of study::

    from experiments.engine.design import design_rows
    from experiments.engine.inputs import ParamsBundle, RunSetup
    from experiments.engine.runner import run_specs

    specs = design_rows(
        [("trend", "none", {"policy.campus_amenity.value": 0.1}),
         ("trend", "none", {"policy.campus_amenity.value": 0.4})],
        replications=3, master_seed=7)
    bundle = ParamsBundle.from_baseline("params/baseline.toml", ["trend"], ["none"])
    outcome = run_specs(specs, RunSetup(bundle), "results/my-study",
                        info={"kind": "sensitivity", "experiment": "my-study"})
    # results/my-study/runs/part-*.parquet, one row per run and year

Runs are grouped into chunks (one executor task each) large enough that
scheduling overhead stays small, and at most a few chunks per worker are
in flight, so memory stays bounded however long the sweep: each finished
chunk is written to the store and dropped.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

import sim

from . import provenance
from .design import RunSpec, check_specs
from .execute import ChunkResult, Failure, run_chunk, run_one
from .executors import SerialExecutor, process_pool, slots
from .inputs import RunSetup
from .store import Store, design_frame, same_design, write_error

TARGET_TASK_SECONDS = 3.0  # a task well over the ~1-10 ms a scheduler spends on it
CHUNKS_PER_SLOT = 4  # small sweeps still spread over every worker
MAX_CHUNK = 500
# A 2,000-part manifest is ~0.5 MB and took ~80 ms to write and fsync here:
# rewritten after every chunk it would cost a long sweep minutes.
MANIFEST_SECONDS = 2.0


@dataclass
class SweepOutcome:
    """Counts after :func:`run_specs`: runs planned, with outcomes, failed, and run now."""

    store: Path
    planned: int
    done: int
    failed: int
    ran: int

    @property
    def pending(self) -> int:
        """Runs neither done nor failed (none after a sweep that was not interrupted)."""
        return self.planned - self.done - self.failed


def run_specs(
    specs: list[RunSpec],
    setup: RunSetup,
    out: str | Path,
    executor: Executor | None = None,
    *,
    info: dict[str, Any] | None = None,
    inputs: dict[str, str] | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    progress: bool = True,
    executor_label: str | None = None,
) -> SweepOutcome:
    """Run ``specs`` and store their outcomes under ``out``; return the counts.

    ``executor``: any concurrent.futures Executor (default: a local process
    pool sized to the machine, shut down afterwards). ``info``: fields for
    the manifest (``kind``, ``experiment``, ``master_seed``, ...).
    ``inputs``: extra files to copy into the store (name -> text), e.g. the
    experiment file. ``resume``: continue a store written from the same
    specs and inputs, skipping stored run ids (failed runs are retried).
    ``chunk_size``: runs per task (default: measured, about
    ``TARGET_TASK_SECONDS`` a task). A run that raises is recorded as a
    failure and the others go on; a store that exists without ``resume``,
    or that was written from different specs, raises :class:`sim.ParamsError`.
    """
    try:
        check_specs(specs)
    except ValueError as err:
        raise sim.ParamsError(None, "specs", str(err)) from None
    store = Store(out)
    store.check_usable(resume)
    store.check_writable()
    owned = executor is None
    with store.lock():
        store.clean_temporary()
        files = {f"params/{k}": v for k, v in setup.params.files.items()} | (inputs or {})
        try:
            manifest = _open_manifest(store, specs, setup, files, info or {})
        except OSError as err:
            store.clean_temporary()
            raise write_error(err, store.path) from None
        done = store.done_run_ids()
        todo = [s for s in specs if s.run_id not in done]
        if owned and todo:
            executor = SerialExecutor() if len(todo) == 1 else process_pool()
        label = executor_label or (type(executor).__name__ if executor else "none")
        n_slots = slots(executor) if executor else 1
        size = chunk_size or (auto_chunk_size(todo, setup, n_slots) if todo else 1)
        session = {
            "started": provenance.now_iso(),
            "host": provenance.host(),
            "git_commit": provenance.git_commit(),
            "executor": label,
            "chunk_size": size,
            "runs_to_do": len(todo),
        }
        manifest["sessions"].append(session)
        manifest["status"] = "running"
        try:
            store.write_manifest(manifest)
        except OSError as err:
            store.clean_temporary()
            raise write_error(err, store.path) from None
        ran, status, written = 0, "interrupted", time.monotonic()
        bar = tqdm(
            total=len(specs),
            initial=len(done),
            unit="run",
            desc=str(manifest.get("experiment", store.path.name)),
            disable=not progress,
            dynamic_ncols=True,
        )
        failed_now = 0
        try:
            for chunk, result in stream_chunks(chunks(todo, size), setup, executor, n_slots):
                if isinstance(result, BaseException):
                    result = _chunk_failure(chunk, result)
                try:
                    manifest["parts"].update(store.write_chunk(result))
                    # The manifest records each part (run ids, checksum) so that a
                    # part lost or damaged later is found by Store.check. Rewritten
                    # at most every MANIFEST_SECONDS (and at the end): a part newer
                    # than the manifest when the process is killed is checked and
                    # adopted by --resume.
                    if time.monotonic() - written >= MANIFEST_SECONDS:
                        store.write_manifest(manifest)
                        written = time.monotonic()
                except OSError as err:  # a full disk, say: one line, --resume continues
                    raise write_error(err, store.path) from None
                ran += len(chunk)
                failed_now += len(result.failures)
                bar.update(len(chunk))
                bar.set_postfix(failed=failed_now, refresh=False)
            status = "complete"
        finally:
            bar.close()
            if owned and executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
            store.clean_temporary()
            n_done, n_failed = len(store.done_run_ids()), len(store.failures())
            if status == "complete" and n_failed:
                status = "complete with failed runs"
            session.update(finished=provenance.now_iso(), runs_run=ran)
            manifest.update(
                status=status,
                finished=session["finished"],
                runs={"planned": len(specs), "done": n_done, "failed": n_failed},
            )
            try:
                store.write_manifest(manifest)
            except OSError:
                # Even the manifest cannot be written (the disk is full): it keeps
                # its last state, which --resume handles like an interruption.
                store.clean_temporary()
                if status.startswith("complete"):
                    raise
    return SweepOutcome(store.path, len(specs), n_done, n_failed, ran)


def chunks(specs: list[RunSpec], size: int) -> list[list[RunSpec]]:
    """Consecutive groups of ``size`` specs (the last may be shorter)."""
    return [specs[i : i + size] for i in range(0, len(specs), size)]


def stream_chunks(
    groups: list[list[RunSpec]], setup: RunSetup, executor: Executor, n_slots: int
) -> Iterator[tuple[list[RunSpec], ChunkResult | BaseException]]:
    """Submit chunks, at most ``2 * n_slots + 1`` at a time, and yield each as it finishes.

    A chunk whose task itself failed (a worker died, say) is yielded with
    the exception. Pending tasks are cancelled if the consumer stops.
    """
    window = 2 * n_slots + 1
    queue = iter(groups)
    running: dict[Future, list[RunSpec]] = {}
    try:
        while True:
            while len(running) < window:
                group = next(queue, None)
                if group is None:
                    break
                try:
                    running[executor.submit(run_chunk, group, setup)] = group
                except Exception as err:  # noqa: BLE001 - e.g. a broken process pool
                    yield group, err
            if not running:
                return
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: running[f][0].run_id):
                group = running.pop(future)
                try:
                    yield group, future.result()
                except Exception as err:  # noqa: BLE001 - the task, not a run, failed
                    yield group, err
    finally:
        for future in running:
            future.cancel()


def auto_chunk_size(todo: list[RunSpec], setup: RunSetup, n_slots: int) -> int:
    """Runs per task: about TARGET_TASK_SECONDS of work, from one timed probe run.

    Capped so that every worker still gets several chunks. The probe's
    result is discarded; it only measures (the chunk size never changes
    any outcome, only how runs are grouped).
    """
    start = time.perf_counter()
    try:
        run_one(todo[0], setup)
    except Exception:  # noqa: BLE001 - the sweep will record this run's error
        return 1
    seconds = max(time.perf_counter() - start, 1e-3)
    wanted = math.ceil(TARGET_TASK_SECONDS / seconds)
    balanced = math.ceil(len(todo) / (CHUNKS_PER_SLOT * n_slots))
    return max(1, min(wanted, balanced, MAX_CHUNK))


def _chunk_failure(chunk: list[RunSpec], err: BaseException) -> ChunkResult:
    text = f"task failed: {type(err).__name__}: {err}"
    return ChunkResult(None, [Failure(spec, text, "") for spec in chunk], [])


def _open_manifest(
    store: Store,
    specs: list[RunSpec],
    setup: RunSetup,
    files: dict[str, str],
    info: dict[str, Any],
) -> dict[str, Any]:
    """A new manifest (and inputs and design), or the existing one after checking
    that it was written from the same inputs and specs."""
    hashes = {name: provenance.text_sha256(text) for name, text in sorted(files.items())}
    if store.has_manifest_file():
        manifest = store.read_manifest()
        problems = []
        if manifest.get("inputs") != hashes:
            changed = sorted(
                n
                for n in set(hashes) | set(manifest.get("inputs", {}))
                if hashes.get(n) != manifest.get("inputs", {}).get(n)
            )
            problems.append(f"input files differ ({', '.join(changed)})")
        if manifest.get("overrides") != _jsonable(setup.overrides):
            problems.append("fixed overrides differ")
        if manifest.get("outcomes") != (list(setup.outcomes) if setup.outcomes else None):
            problems.append("kept outcomes differ")
        if not same_design(store.read_design(), design_frame(specs)):
            problems.append("run specs differ (design, seeds or run ids)")
        if problems:
            raise sim.ParamsError(
                store.path,
                None,
                "cannot resume: this store was written from other inputs: "
                + "; ".join(problems)
                + " (use --overwrite or another --out)",
            )
        _repair(store, manifest, files)
        commit = provenance.git_commit()
        first = manifest["sessions"][0] if manifest["sessions"] else {}
        if isinstance(first, dict) and first.get("git_commit", commit) != commit:
            print(
                f"warning: resuming with code at {commit}; "
                f"the store was started at {first['git_commit']}",
                file=sys.stderr,
            )
        return manifest
    store.write_inputs(files)
    store.write_design(specs)
    manifest = {
        **info,
        "inputs": hashes,
        "overrides": _jsonable(setup.overrides),
        "outcomes": list(setup.outcomes) if setup.outcomes else None,
        "git_commit": provenance.git_commit(),
        "versions": provenance.package_versions(),
        "host": provenance.host(),
        "started": provenance.now_iso(),
        "finished": None,
        "status": "running",
        "runs": {"planned": len(specs), "done": 0, "failed": 0},
        "sessions": [],
        "parts": {},
    }
    return manifest


def _repair(store: Store, manifest: dict[str, Any], files: dict[str, str]) -> None:
    """Before a resume: restore edited input copies, set aside unusable parts, adopt
    parts written but not yet recorded; one warning line for each kind of repair.

    The current inputs were checked to hash as the manifest records, so their
    text is the right copy. A part that is missing, unreadable or altered is
    moved to ``damaged/`` (never deleted) and its runs run again.
    """
    edited = store.input_problems(manifest)
    if edited:
        store.write_inputs(files)
        names = ", ".join(p.split(":")[0].removeprefix("input ") for p in edited)
        print(f"warning: {store.path}: restored edited input copies ({names})", file=sys.stderr)
    if manifest.get("parts") is None:
        manifest["parts"] = {}  # a store of format 1: its readable parts are adopted below
    check = store.check({**manifest, "status": "running"})
    if check.problems:
        moved = store.set_aside(check.problems)
        for problem in check.problems:
            manifest["parts"].pop(f"{problem.kind}/{problem.name}", None)
        what = "; ".join(p.describe() for p in check.problems)
        print(
            f"warning: {store.path}: {what}; "
            + (f"moved {len(moved)} to damaged/; " if moved else "")
            + "their runs run again",
            file=sys.stderr,
        )
    manifest["parts"].update(check.unrecorded)


def _jsonable(overrides: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through the manifest's JSON form so that a resume compares like with like.
    return json.loads(json.dumps(overrides, default=str))
