"""The results store of one study: ``results/<experiment>/``.

Layout::

    manifest.json          inputs and hashes, seeds, versions, times, counts
    design.parquet         the run specs: run id, scenario, policy, replication, seed, design
    inputs/                copies of the experiment and params files that were run
    runs/part-*.parquet    long format outcomes, one file per finished chunk
    failures/part-*.parquet  runs that raised: spec, error text, traceback
    summary.csv, failures.csv, figures/   derived, rewritten at the end of a sweep

Every file is written to a temporary name and renamed, so a reader — or a
resumed sweep — sees a part either whole or not at all. A chunk's
outcome rows are renamed into place before its failure records; killed
between the two, the chunk's failed runs simply run again on resume.
A run id is "done" when it is in a ``runs/`` part; failed runs are retried
by ``--resume``. An exclusive ``flock`` on ``.lock`` keeps two sweeps from
writing the same store (the OS drops it when the holder dies, even by
SIGKILL).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

import sim

from .design import RunSpec
from .execute import ID_COLUMNS, ChunkResult, Failure, design_value
from .provenance import now_iso

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
# What a sweep writes before its manifest: a folder holding only these was
# left by a start that never finished, and may be written again.
STARTING = {".lock", "inputs", DESIGN, f".{DESIGN}.tmp", f".{MANIFEST}.tmp"}


class Store:
    """A results folder; see the module docstring for its layout."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.runs_dir = self.path / "runs"
        self.failures_dir = self.path / "failures"
        self.inputs_dir = self.path / "inputs"

    # ------------------------------------------------------------ state
    def exists(self) -> bool:
        """True if the folder holds a store (has a manifest)."""
        return (self.path / MANIFEST).is_file()

    def check_usable(self, resume: bool) -> None:
        """Raise ParamsError unless a new sweep (or a resume) may write here.

        A store is never overwritten implicitly: that would lose results.
        """
        if self.exists():
            if not resume:
                raise sim.ParamsError(
                    self.path,
                    None,
                    "already holds results; add --resume to continue it, --overwrite to "
                    "replace it, or --out to write elsewhere",
                )
        elif self.path.exists() and {p.name for p in self.path.iterdir()} - STARTING:
            raise sim.ParamsError(
                self.path, None, "exists, is not empty and is not a results store (no manifest)"
            )

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's exclusive writer lock."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise sim.ParamsError(
                    self.path, None, "another process is writing to this store"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def remove(self) -> None:
        """Delete a store (``--overwrite``); refuses a folder that is not a store."""
        if not self.path.exists():
            return
        if not self.exists():
            raise sim.ParamsError(
                self.path, None, "is not a results store (no manifest); not removing it"
            )
        with self.lock():
            for child in self.path.iterdir():
                if child.name == ".lock":
                    continue
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()

    def clean_temporary(self) -> None:
        """Remove half-written temporary files left by a killed writer."""
        for folder in (self.path, self.runs_dir, self.failures_dir):
            if folder.is_dir():
                for tmp in folder.glob(".*.tmp"):
                    tmp.unlink()

    # ------------------------------------------------------------ manifest, design, inputs
    def read_manifest(self) -> dict[str, Any]:
        """The manifest; ParamsError if the folder is not a store."""
        path = self.path / MANIFEST
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            problem = "not a results store (no manifest.json)"
            raise sim.ParamsError(self.path, None, problem) from None
        except json.JSONDecodeError as err:
            raise sim.ParamsError(path, None, f"invalid JSON: {err}") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Write the manifest atomically."""
        text = json.dumps(manifest, indent=2, default=str) + "\n"
        _atomic_write(self.path / MANIFEST, text.encode())

    def write_inputs(self, files: dict[str, str]) -> None:
        """Copy input files (relative name -> text) under ``inputs/``, replacing any there."""
        if self.inputs_dir.exists():
            shutil.rmtree(self.inputs_dir)
        for name, text in files.items():
            _atomic_write(self.inputs_dir / name, text.encode("utf-8"))

    def read_inputs(self) -> dict[str, str]:
        """Stored input files, relative name -> text."""
        if not self.inputs_dir.is_dir():
            return {}
        return {
            str(p.relative_to(self.inputs_dir)): p.read_text(encoding="utf-8")
            for p in sorted(self.inputs_dir.rglob("*"))
            if p.is_file() and not p.name.startswith(".")
        }

    def write_design(self, specs: list[RunSpec]) -> None:
        """Store the run specs (one row per run)."""
        _atomic_parquet(self.path / DESIGN, design_frame(specs))

    def read_design(self) -> pd.DataFrame:
        """The stored run specs as a table."""
        return pd.read_parquet(self.path / DESIGN)

    def read_specs(self) -> list[RunSpec]:
        """The stored run specs."""
        design = self.read_design()
        keys = [c for c in design.columns if c not in ID_COLUMNS]
        return [
            RunSpec(
                run_id=int(row["run_id"]),
                scenario=row["scenario"],
                policy=row["policy"],
                replication=int(row["replication"]),
                seed=int(row["seed"]),
                design={k: _python(row[k]) for k in keys},
            )
            for row in design.to_dict("records")
        ]

    # ------------------------------------------------------------ chunks
    def write_chunk(self, result: ChunkResult) -> None:
        """Store a finished chunk: outcome rows first, then failure records."""
        if result.rows is not None and len(result.rows):
            ids = result.run_ids
            _atomic_parquet(self.runs_dir / _part_name(ids), result.rows)
        if result.failures:
            self.write_failures(result.failures)

    def write_failures(self, failures: list[Failure]) -> None:
        """Store failure records (one part file)."""
        frame = design_frame([f.spec for f in failures])
        frame["error"] = [f.error for f in failures]
        frame["traceback"] = [f.traceback for f in failures]
        frame["recorded"] = now_iso()
        _atomic_parquet(self.failures_dir / _part_name(frame["run_id"].tolist()), frame)

    def done_run_ids(self) -> set[int]:
        """Run ids with stored outcomes (reads only the run_id column)."""
        done: set[int] = set()
        for part in self.parts("runs"):
            done.update(pq.read_table(part, columns=["run_id"])["run_id"].to_pylist())
        return done

    def failures(self) -> pd.DataFrame:
        """Failed runs without stored outcomes, the latest record of each."""
        parts = self.parts("failures")
        if not parts:
            return pd.DataFrame(columns=[*ID_COLUMNS, "error", "traceback", "recorded"])
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        frame = frame[~frame["run_id"].isin(self.done_run_ids())]
        frame = frame.sort_values(["run_id", "recorded"], kind="stable")
        return frame.drop_duplicates("run_id", keep="last").reset_index(drop=True)

    def parts(self, kind: str = "runs") -> list[Path]:
        """Finished part files of ``runs`` or ``failures``, in name order."""
        folder = self.path / kind
        return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []

    def dataset(self) -> ds.Dataset:
        """All stored outcome rows as a pyarrow dataset (read lazily, by columns)."""
        return ds.dataset([str(p) for p in self.parts("runs")], format="parquet")

    def read_runs(
        self, columns: list[str] | None = None, run_ids: list[int] | None = None
    ) -> pd.DataFrame:
        """Stored outcome rows (optionally some columns / run ids), sorted by run id and year."""
        if not self.parts("runs"):
            return pd.DataFrame(columns=columns or [])
        dataset = self.dataset()
        where = ds.field("run_id").isin(run_ids) if run_ids is not None else None
        if columns is not None:
            columns = list(dict.fromkeys(["run_id", "year", *columns]))
        frame = dataset.to_table(columns=columns, filter=where).to_pandas()
        return frame.sort_values(["run_id", "year"], kind="stable").reset_index(drop=True)

    def outcome_columns(self) -> list[str]:
        """Names of the stored outcome columns (everything after ``year``)."""
        parts = self.parts("runs")
        if not parts:
            return []
        names = pq.read_schema(parts[0]).names
        return names[names.index("year") + 1 :]


def design_frame(specs: list[RunSpec]) -> pd.DataFrame:
    """Run specs as a table: id columns, then one column per design key."""
    frame = pd.DataFrame(
        {
            "run_id": pd.Series([s.run_id for s in specs], dtype="int64"),
            "scenario": [s.scenario for s in specs],
            "policy": [s.policy for s in specs],
            "replication": pd.Series([s.replication for s in specs], dtype="int64"),
            "seed": pd.Series([s.seed for s in specs], dtype="int64"),
        }
    )
    keys = list(specs[0].design) if specs else []
    for key in keys:
        frame[key] = [design_value(s.design[key]) for s in specs]
    return frame


def same_design(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """True if two design tables hold the same specs (string dtypes may differ)."""
    return list(a.columns) == list(b.columns) and a.astype(object).equals(b.astype(object))


def _python(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _part_name(run_ids: list[int]) -> str:
    # Named by first and last run id: unique, because a part exists only once
    # all its runs are done, and done runs are never scheduled again.
    return f"part-{min(run_ids):09d}-{max(run_ids):09d}.parquet"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _atomic_parquet(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp"
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with open(tmp, "wb") as fh:
        pq.write_table(table, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename itself must reach the disk for the part to survive a power loss.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
