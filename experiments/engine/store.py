"""The results store of one study: ``results/<experiment>/``.

Layout::

    manifest.json          this tool's name and store format, inputs and hashes, seeds,
                           versions, times, counts, and every part: its run ids,
                           rows and SHA-256
    design.parquet         the run specs: run id, scenario, policy, replication, seed, design
    inputs/                copies of the experiment and params files that were run
    runs/part-*.parquet    long format outcomes, one file per finished chunk
    failures/part-*.parquet  runs that raised: spec, error text, traceback
    damaged/               parts that ``--resume`` set aside (missing from the manifest's
                           record, unreadable or altered); their runs ran again
    summary.csv, failures.csv, figures/, ...   derived, rewritten at the end of a study

A folder is a store only if its ``manifest.json`` says so (``store.tool``
is ``mediacluster``; stores written before that key existed are known by
their keys), so a folder that merely holds some file of that name is never
written into or deleted. ``--overwrite`` removes only the store's own files
(:data:`OWN_FILES`, :data:`OWN_PATTERNS`); anything else in the folder stays.

Every file is written to a temporary name and renamed, so a reader — or a
resumed sweep — sees a part either whole or not at all; a write that fails
(a full disk) removes its temporary file. A chunk's outcome rows are
renamed into place before its failure records; killed between the two, the
chunk's failed runs simply run again on resume. A run id is "done" when it
is in a ``runs/`` part; failed runs are retried by ``--resume``. The manifest
records each part's run ids and checksum, so that :meth:`Store.check` finds
a part that is missing, truncated or altered. An exclusive ``flock`` on
``.lock`` keeps two sweeps from writing the same store (the OS drops it when
the holder dies, even by SIGKILL).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
TOOL = "mediacluster"
# 2: the manifest names its tool and format and records every part's run ids and
# checksum. 1 (no "store" key): recognised by its keys; parts checked for
# readability and the run count only.
FORMAT = 2
# What a sweep writes before its manifest: a folder holding only these was
# left by a start that never finished, and may be written again.
STARTING = {
    ".lock",
    "inputs",
    DESIGN,
    f".{DESIGN}.tmp",
    f".{MANIFEST}.tmp",
    ".kept-by-overwrite.json",
}
# A store's own files and folders: what --overwrite removes. Study kinds add
# the names of their derived outputs here (sweep and sensitivity are listed).
OWN_FILES = {
    MANIFEST,
    DESIGN,
    "inputs",
    "runs",
    "failures",
    "damaged",
    "figures",
    "summary.csv",
    "failures.csv",
    "report.html",
    # sensitivity (experiments/sensitivity/analysis.py)
    "indices.csv",
    "noise.csv",
    "ranked_factors.csv",
    "factors.csv",
    "design_points.csv",
    "warnings.txt",
    "summary.md",
}
OWN_PATTERNS = ["ranked_levers_*.csv", ".*.tmp"]
# Written by --overwrite: the names of the files it left in place (not the store's).
KEPT = ".kept-by-overwrite.json"
# Keys every store manifest has (the runner writes them all).
REQUIRED = {"kind": str, "inputs": dict, "runs": dict, "sessions": list, "status": str}


class StoreDamaged(Exception):
    """Parts of a store are missing, unreadable or altered, or runs are missing.

    Not bad input (exit 2) but a store that cannot be trusted as it is:
    the command line exits 1 with this one-line message; ``--resume``
    repairs it by re-running the runs concerned.
    """

    def __init__(self, path: Path, problems: list[PartProblem], missing_runs: list[int]):
        self.path, self.problems, self.missing_runs = path, problems, missing_runs
        what = [p.describe() for p in problems]
        if missing_runs:
            what.append(f"runs {id_ranges(missing_runs)} missing from a store marked complete")
        super().__init__(
            f"{path}: store incomplete: {'; '.join(what)} (--resume re-runs these runs)"
        )


@dataclass
class PartProblem:
    """A part file that cannot be used: ``missing``, ``damaged`` or ``altered``."""

    kind: str  # "runs" or "failures"
    name: str
    problem: str  # missing | damaged | altered
    detail: str = ""
    run_ids: list[int] | None = None

    def describe(self) -> str:
        """One phrase naming the part, what is wrong and its runs (if known)."""
        runs = f", runs {id_ranges(self.run_ids)}" if self.run_ids else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.kind}/{self.name} {self.problem}{detail}{runs}"


class Store:
    """A results folder; see the module docstring for its layout."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.runs_dir = self.path / "runs"
        self.failures_dir = self.path / "failures"
        self.inputs_dir = self.path / "inputs"
        self.damaged_dir = self.path / "damaged"

    # ------------------------------------------------------------ state
    def exists(self) -> bool:
        """True if the folder holds a store of this tool (a manifest that says so)."""
        try:
            self.read_manifest()
        except sim.ParamsError:
            return False
        return True

    def has_manifest_file(self) -> bool:
        """True if the folder holds a file named manifest.json (of any tool)."""
        return (self.path / MANIFEST).is_file()

    def check_usable(self, resume: bool) -> None:
        """Raise ParamsError unless a new sweep (or a resume) may write here.

        A store is never overwritten implicitly: that would lose results; a
        folder that is not a store is never written into unless it is empty
        (files that ``--overwrite`` left beside a store it removed excepted).
        A damaged manifest is named, never replaced.
        """
        if self.path.exists() and not self.path.is_dir():
            raise sim.ParamsError(self.path, None, "is a file, not a results folder")
        if self.has_manifest_file():
            self.read_manifest()  # raises if it is not a store of this tool, or damaged
            if not resume:
                raise sim.ParamsError(
                    self.path,
                    None,
                    "already holds results; add --resume to continue it, --overwrite to "
                    "replace it, or --out to write elsewhere",
                )
        elif self.path.is_dir() and set(self._names()) - STARTING - self._kept():
            raise sim.ParamsError(
                self.path,
                None,
                "exists, is not empty and is not a results store (no manifest.json of "
                "mediacluster); choose an empty or new --out",
            )

    def check_writable(self) -> None:
        """Raise ParamsError unless files can be created in the folder (see
        :func:`check_writable`)."""
        check_writable(self.path)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's exclusive writer lock."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fh = open(self.path / ".lock", "a")  # noqa: SIM115 - closed below
        except OSError as err:
            raise sim.ParamsError(self.path, None, f"cannot write here: {err.strerror}") from None
        with fh:
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

    def remove(self) -> list[str]:
        """Delete a store's own files (``--overwrite``); return the names left in place.

        Refuses a folder that is not a store of this tool (a damaged manifest
        included: it is named, and nothing is removed). Files the store did
        not write stay where they are.
        """
        if not self.path.exists():
            return []
        if not self.has_manifest_file():
            raise sim.ParamsError(
                self.path, None, "is not a results store (no manifest.json); not removing it"
            )
        self.read_manifest()  # raises for a manifest of another tool or a damaged one
        with self.lock():
            kept = []
            for child in sorted(self.path.iterdir()):
                if child.name in (".lock", KEPT):
                    continue
                if not self._own(child.name):
                    kept.append(child.name)
                elif child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
            # Remember what was left, so that the new store may be written beside it.
            _atomic_write(self.path / KEPT, json.dumps(kept).encode())
            return kept

    def _kept(self) -> set[str]:
        try:
            names = json.loads((self.path / KEPT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return (
            {n for n in names if isinstance(n, str)} | {KEPT} if isinstance(names, list) else set()
        )

    @staticmethod
    def _own(name: str) -> bool:
        return name in OWN_FILES or any(Path(name).match(p) for p in OWN_PATTERNS)

    def _names(self) -> list[str]:
        return [p.name for p in self.path.iterdir()] if self.path.is_dir() else []

    def clean_temporary(self) -> None:
        """Remove half-written temporary files left by a killed writer."""
        for folder in (self.path, self.runs_dir, self.failures_dir):
            if folder.is_dir():
                for tmp in folder.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)

    # ------------------------------------------------------------ manifest, design, inputs
    def read_manifest(self) -> dict[str, Any]:
        """The manifest, checked to be a store manifest of this tool.

        Raises ParamsError (one line: the file and the problem) for a folder
        that is not a store, a file given as folder, and a manifest that is not
        UTF-8, not JSON, not an object, of another tool, of a newer format or
        lacking keys every store manifest has.
        """
        path = self.path / MANIFEST
        if not self.path.exists():
            raise sim.ParamsError(self.path, None, "no such folder")
        if not self.path.is_dir():
            raise sim.ParamsError(self.path, None, "is a file, not a results folder")
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            problem = "not a results store (no manifest.json)"
            raise sim.ParamsError(self.path, None, problem) from None
        except UnicodeDecodeError as err:
            problem = f"damaged: not UTF-8 text (byte {err.object[err.start]:#04x} at {err.start})"
            raise sim.ParamsError(path, None, problem) from None
        except OSError as err:
            raise sim.ParamsError(path, None, f"cannot read: {err.strerror}") from None
        try:
            manifest = json.loads(text)
        except json.JSONDecodeError as err:
            raise sim.ParamsError(path, None, f"damaged: invalid JSON: {err}") from None
        check_manifest(manifest, path)
        return manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Write the manifest atomically (naming this tool and the store format)."""
        manifest.setdefault("store", {"tool": TOOL, "format": FORMAT})
        text = json.dumps(manifest, indent=2, default=str) + "\n"
        _atomic_write(self.path / MANIFEST, text.encode())

    def write_inputs(self, files: dict[str, str]) -> None:
        """Copy input files (relative name -> text) under ``inputs/``, replacing any there."""
        if self.inputs_dir.exists():
            shutil.rmtree(self.inputs_dir)
        for name, text in files.items():
            _atomic_write(self.inputs_dir / name, text.encode("utf-8"))

    def read_inputs(self) -> dict[str, str]:
        """Stored input files, relative name -> text (ParamsError for one that is not UTF-8)."""
        if not self.inputs_dir.is_dir():
            return {}
        out = {}
        for p in sorted(self.inputs_dir.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                try:
                    out[str(p.relative_to(self.inputs_dir))] = p.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as err:
                    raise sim.ParamsError(p, None, f"damaged copy: {err}") from None
        return out

    def input_problems(self, manifest: dict[str, Any]) -> list[str]:
        """Stored input copies that are missing or differ from the manifest's hashes."""
        out = []
        for name, expected in sorted(manifest["inputs"].items()):
            path = self.inputs_dir / name
            try:
                actual = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                actual = None
            if actual != expected:
                what = "is missing" if actual is None else "does not match its hash"
                out.append(f"input {name}: stored copy {what}")
        return out

    def write_design(self, specs: list[RunSpec]) -> None:
        """Store the run specs (one row per run)."""
        _atomic_parquet(self.path / DESIGN, design_frame(specs))

    def read_design(self) -> pd.DataFrame:
        """The stored run specs as a table (ParamsError if missing or damaged)."""
        path = self.path / DESIGN
        try:
            frame = pd.read_parquet(path)
        except FileNotFoundError:
            raise sim.ParamsError(path, None, "missing: the store's run specs are gone") from None
        except (OSError, ValueError, pa.ArrowException) as err:
            problem = f"damaged: {_first_line(err)}"
            raise sim.ParamsError(path, None, problem) from None
        missing = [c for c in ID_COLUMNS if c not in frame.columns]
        if missing:
            raise sim.ParamsError(path, None, f"damaged: lacks columns {', '.join(missing)}")
        return frame

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
    def write_chunk(self, result: ChunkResult) -> dict[str, dict[str, Any]]:
        """Store a finished chunk: outcome rows first, then failure records.

        Returns the record of each part written (``"runs/part-….parquet"`` ->
        run ids, rows, SHA-256), for the manifest's ``parts``.
        """
        written = {}
        if result.rows is not None and len(result.rows):
            ids = result.run_ids
            path = self.runs_dir / _part_name(ids)
            written[f"runs/{path.name}"] = _atomic_parquet(path, result.rows)
        if result.failures:
            written.update(self.write_failures(result.failures))
        return written

    def write_failures(self, failures: list[Failure]) -> dict[str, dict[str, Any]]:
        """Store failure records (one part file); return its record."""
        frame = design_frame([f.spec for f in failures])
        frame["error"] = [f.error for f in failures]
        frame["traceback"] = [f.traceback for f in failures]
        frame["recorded"] = now_iso()
        path = self.failures_dir / _part_name(frame["run_id"].tolist())
        return {f"failures/{path.name}": _atomic_parquet(path, frame)}

    def done_run_ids(self) -> set[int]:
        """Run ids with stored outcomes (reads only the run_id column)."""
        done: set[int] = set()
        for part in self.parts("runs"):
            done.update(self._part_ids(part))
        return done

    def _part_ids(self, part: Path) -> list[int]:
        try:
            return pq.read_table(part, columns=["run_id"])["run_id"].to_pylist()
        except (OSError, ValueError, KeyError, pa.ArrowException) as err:
            kind = part.parent.name
            problem = PartProblem(kind, part.name, "damaged", _unreadable(err))
            raise StoreDamaged(self.path, [problem], []) from None

    def failures(self) -> pd.DataFrame:
        """Failed runs without stored outcomes, the latest record of each."""
        parts = self.parts("failures")
        if not parts:
            return pd.DataFrame(columns=[*ID_COLUMNS, "error", "traceback", "recorded"])
        frames = []
        for p in parts:
            try:
                frames.append(pd.read_parquet(p))
            except (OSError, ValueError, pa.ArrowException) as err:
                problem = PartProblem("failures", p.name, "damaged", _unreadable(err))
                raise StoreDamaged(self.path, [problem], []) from None
        frame = pd.concat(frames, ignore_index=True)
        frame = frame[~frame["run_id"].isin(self.done_run_ids())]
        frame = frame.sort_values(["run_id", "recorded"], kind="stable")
        return frame.drop_duplicates("run_id", keep="last").reset_index(drop=True)

    def parts(self, kind: str = "runs") -> list[Path]:
        """Finished part files of ``runs`` or ``failures``, in name order."""
        folder = self.path / kind
        return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []

    # ------------------------------------------------------------ completeness
    def check(self, manifest: dict[str, Any] | None = None) -> StoreCheck:
        """Compare the part files with the manifest's record of them.

        Finds parts that are recorded but missing, unreadable (truncated,
        empty, not Parquet) or altered (checksum differs), parts on disk
        that the manifest does not record yet (a writer killed between a
        part's rename and the manifest's update: usable, adopted on resume),
        and — for a store marked complete — runs of the design that are in
        no part. Reads every part once.
        """
        manifest = self.read_manifest() if manifest is None else manifest
        recorded = manifest.get("parts")  # None: format 1, parts were not recorded
        result = StoreCheck()
        ids: dict[str, set[int]] = {"runs": set(), "failures": set()}
        for kind in ("runs", "failures"):
            on_disk = {p.name: p for p in self.parts(kind)}
            for name, path in on_disk.items():
                key = f"{kind}/{name}"
                record = (recorded or {}).get(key)
                try:
                    data = path.read_bytes()
                    part_ids = pq.read_table(io.BytesIO(data), columns=["run_id"])
                    part_ids = part_ids["run_id"].to_pylist()
                except (OSError, ValueError, KeyError, pa.ArrowException) as err:
                    runs = expand_ranges(record["run_ids"]) if record else None
                    result.problems.append(
                        PartProblem(kind, name, "damaged", _unreadable(err), runs)
                    )
                    ids[kind].update(runs or [])  # named with the part, not again as missing
                    continue
                if record is not None and hashlib.sha256(data).hexdigest() != record["sha256"]:
                    detail = "checksum differs from the manifest's"
                    runs = expand_ranges(record["run_ids"])
                    result.problems.append(PartProblem(kind, name, "altered", detail, runs))
                elif recorded is not None and record is None:
                    result.unrecorded[key] = _record(data, part_ids)
                ids[kind].update(part_ids)
            for key, record in (recorded or {}).items():
                folder, _, name = key.partition("/")
                if folder == kind and name not in on_disk:
                    runs = expand_ranges(record["run_ids"])
                    result.problems.append(PartProblem(kind, name, "missing", "", runs))
                    ids[kind].update(runs)
        if str(manifest.get("status", "")).startswith("complete"):
            planned = set(self.read_design()["run_id"].tolist())
            result.missing_runs = sorted(planned - ids["runs"] - ids["failures"])
        return result

    def verify(self, manifest: dict[str, Any] | None = None) -> StoreCheck:
        """:meth:`check`, raising :class:`StoreDamaged` if anything is missing or damaged."""
        result = self.check(manifest)
        if result.problems or result.missing_runs:
            raise StoreDamaged(self.path, result.problems, result.missing_runs)
        return result

    def set_aside(self, problems: list[PartProblem]) -> list[str]:
        """Move unusable parts into ``damaged/`` (never deleted); return their names."""
        moved = []
        for problem in problems:
            path = self.path / problem.kind / problem.name
            if path.exists():
                target = self.damaged_dir / problem.kind / problem.name
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                moved.append(f"{problem.kind}/{problem.name}")
        return moved

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


@dataclass
class StoreCheck:
    """What :meth:`Store.check` found."""

    problems: list[PartProblem] = field(default_factory=list)
    missing_runs: list[int] = field(default_factory=list)
    unrecorded: dict[str, dict[str, Any]] = field(default_factory=dict)


def report_kept(kept: list[str], store: Store) -> None:
    """Tell the user which files ``--overwrite`` left in place (not the store's own)."""
    if kept:
        names = ", ".join(kept[:5]) + (f" and {len(kept) - 5} more" if len(kept) > 5 else "")
        print(f"note: {store.path}: kept {names} (not part of the store)", file=sys.stderr)


def check_writable(folder: str | Path) -> None:
    """Raise ParamsError unless files can be created in ``folder`` (made if needed).

    Catches an output folder under a file, on a read-only mount or in
    ``/proc`` before any run starts; folders made for the probe are removed
    again if it fails.
    """
    folder = Path(folder)
    made = []
    try:
        missing = folder
        while not missing.exists() and missing != missing.parent:
            made.append(missing)
            missing = missing.parent
        if not missing.is_dir():
            raise sim.ParamsError(folder, None, f"cannot be made: {missing} is a file")
        for new in reversed(made):
            new.mkdir()
        probe = folder / f".probe-{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        for new in made:
            try:
                new.rmdir()
            except OSError:
                pass
        problem = f"cannot write here: {err.strerror or err}"
        raise sim.ParamsError(folder, None, problem) from None


def check_manifest(manifest: Any, path: Path) -> None:
    """Raise ParamsError unless ``manifest`` is a store manifest of this tool.

    Format 2 names the tool (``store.tool``); a format 1 manifest (written
    before that key existed) is known by the keys the runner always wrote.
    """
    if not isinstance(manifest, dict):
        kind = type(manifest).__name__.replace("dict", "object").replace("list", "array")
        raise sim.ParamsError(path, None, f"damaged: a JSON {kind}, not a store manifest")
    marker = manifest.get("store")
    if marker is None:
        if not {"kind", "sessions"} <= set(manifest):
            raise sim.ParamsError(
                path, None, f"not a {TOOL} results store manifest (no 'store' key naming {TOOL})"
            )
    elif not isinstance(marker, dict) or marker.get("tool") != TOOL:
        raise sim.ParamsError(path, "store", f"not a {TOOL} results store manifest")
    elif not isinstance(marker.get("format"), int) or marker["format"] > FORMAT:
        raise sim.ParamsError(
            path, "store.format", f"{marker.get('format')!r}: written by a newer version"
        )
    for key, kind in REQUIRED.items():
        if key not in manifest:
            raise sim.ParamsError(path, key, "damaged: required key is missing")
        if not isinstance(manifest[key], kind):
            raise sim.ParamsError(path, key, f"damaged: expected a JSON {kind.__name__}")
    parts = manifest.get("parts")
    if parts is not None and not (
        isinstance(parts, dict)
        and all(isinstance(r, dict) and {"run_ids", "sha256"} <= set(r) for r in parts.values())
    ):
        raise sim.ParamsError(path, "parts", "damaged: expected part records")


def id_ranges(ids: list[int]) -> str:
    """Run ids as short text: ``[0, 1, 2, 5]`` -> ``"0-2, 5"``."""
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in compact(ids))


def compact(ids: list[int]) -> list[list[int]]:
    """Run ids as sorted inclusive ranges ``[[first, last], ...]`` (the manifest's form)."""
    out: list[list[int]] = []
    for i in sorted(set(ids)):
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def expand_ranges(ranges: list[list[int]]) -> list[int]:
    """The inverse of :func:`compact`."""
    return [i for a, b in ranges for i in range(int(a), int(b) + 1)]


def write_error(err: OSError, path: Path | None = None) -> sim.ParamsError:
    """A failed store write (a full disk, say) as one line naming the file and the cure."""
    where = err.filename or path
    hint = (
        "free some space and continue with --resume (finished chunks are kept)"
        if err.errno in (errno.ENOSPC, errno.EDQUOT)
        else "finished chunks are kept; continue with --resume"
    )
    return sim.ParamsError(where, None, f"cannot write: {err.strerror or err}; {hint}")


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


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def _unreadable(err: BaseException) -> str:
    """Why pyarrow could not read a part, without its buffer name."""
    text = _first_line(err).split("': ", 1)[-1]
    return "unreadable: " + text.split(". ")[0].rstrip(".")


def _part_name(run_ids: list[int]) -> str:
    # Named by first and last run id: unique, because a part exists only once
    # all its runs are done, and done runs are never scheduled again.
    return f"part-{min(run_ids):09d}-{max(run_ids):09d}.parquet"


def _record(data: bytes, run_ids: list[int]) -> dict[str, Any]:
    return {
        "run_ids": compact(run_ids),
        "rows": len(run_ids),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise
    _fsync_dir(path.parent)


def _atomic_parquet(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    """Write a table with a ``run_id`` column atomically; return its record
    (run ids, rows, SHA-256 of the bytes)."""
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    data = buffer.getvalue()
    _atomic_write(path, data)
    return _record(data, frame["run_id"].astype("int64").tolist())


def _fsync_dir(folder: Path) -> None:
    # The rename itself must reach the disk for the part to survive a power loss.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
