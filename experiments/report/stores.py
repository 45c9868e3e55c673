"""The results folders a report is built from: checked, classified, read.

A folder must be a results store (``manifest.json``) of kind ``sweep``
(``mediacluster sweep``: scenarios × policy packages × replications),
``sensitivity`` (``mediacluster sensitivity``) or ``robust`` (a robustness
study: ``robustness.csv`` and/or ``frontier.csv``; a folder holding either
file is read as one whatever its manifest says). Anything else is bad
input: one :class:`sim.ParamsError` naming the folder and the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import sim

from ..engine.store import Store

KINDS = ("sweep", "sensitivity", "robust")
ROBUST_FILES = ("robustness.csv", "frontier.csv")


@dataclass
class StoreInfo:
    """One results store: its path, manifest and kind."""

    path: Path
    manifest: dict[str, Any]
    store: Store = field(repr=False)

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    @property
    def name(self) -> str:
        return str(self.manifest.get("experiment") or self.path.name)

    @property
    def complete(self) -> bool:
        if self.kind == "robust" and "runs" not in self.manifest:
            return True  # a robustness study's tables are written when it is done
        runs = self.manifest.get("runs", {})
        return self.manifest.get("status") == "complete" and runs.get("done") == runs.get("planned")

    def inputs_dir(self) -> Path | None:
        """The copy of the params files the runs used (``inputs/params``), if stored."""
        folder = self.path / "inputs" / "params"
        return folder if (folder / "baseline.toml").is_file() else None


def open_store(path: str | Path) -> StoreInfo:
    """Check that ``path`` is a sweep or sensitivity store; ParamsError naming it if not."""
    path = Path(path)
    if not path.exists():
        raise sim.ParamsError(path, None, "no such folder (run `make run` or `make sensitivity`)")
    if not path.is_dir():
        raise sim.ParamsError(path, None, "is a file, not a results folder")
    manifest_path = path / "manifest.json"
    robust = any((path / name).is_file() for name in ROBUST_FILES)
    if robust:
        return _robust_store(path, manifest_path)
    if not manifest_path.is_file():
        raise sim.ParamsError(
            path,
            None,
            "not a results store (no manifest.json): give a folder written by "
            "`mediacluster sweep` or `mediacluster sensitivity`",
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise sim.ParamsError(manifest_path, None, f"invalid JSON: {err}") from None
    if not isinstance(manifest, dict) or manifest.get("kind") not in KINDS:
        kind = manifest.get("kind") if isinstance(manifest, dict) else None
        raise sim.ParamsError(
            manifest_path,
            "kind",
            f"{kind!r} is not a store the report reads (sweep, sensitivity, robust)",
        )
    store = Store(path)
    if manifest["kind"] == "sweep":
        missing = {"scenarios", "policies"} - set(manifest)
        if missing:
            raise sim.ParamsError(manifest_path, ", ".join(sorted(missing)), "missing in manifest")
    # A store whose parts are missing, unreadable or altered, or that lacks runs
    # while marked complete, is never reported on (StoreDamaged: exit 1).
    store.verify()
    if manifest["kind"] == "sweep":
        if not store.parts("runs"):
            raise sim.ParamsError(path, None, "holds no finished runs (has the sweep run?)")
        needed = {"hilversum_jobs_share", "policy_cost_meur"} - set(store.outcome_columns())
        if needed:
            raise sim.ParamsError(
                path,
                None,
                f"the runs lack the outcomes the report needs: {', '.join(sorted(needed))}",
            )
    return StoreInfo(path, manifest, store)


ROBUST_COLUMNS = {
    "robustness.csv": ["policy", "outcome", "metric", "value"],
    "frontier.csv": ["budget_meur", "policy", "metric", "value"],
}


def _robust_store(path: Path, manifest_path: Path) -> StoreInfo:
    """A robustness study's folder: its tables checked for the columns the report reads."""
    manifest: dict[str, Any] = {}
    if manifest_path.is_file():
        try:
            loaded = json.loads(manifest_path.read_text(encoding="utf-8"))
            manifest = loaded if isinstance(loaded, dict) else {}
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise sim.ParamsError(manifest_path, None, f"invalid JSON: {err}") from None
    for name, columns in ROBUST_COLUMNS.items():
        file = path / name
        if not file.is_file():
            continue
        try:
            header = pd.read_csv(file, nrows=0).columns.tolist()
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
            raise sim.ParamsError(file, None, f"not a readable CSV table: {err}") from None
        lacking = [c for c in columns if c not in header]
        if lacking:
            raise sim.ParamsError(file, None, f"lacks the column(s) {', '.join(lacking)}")
    manifest = {**manifest, "kind": "robust"}
    return StoreInfo(path, manifest, Store(path))


def open_stores(paths: list[str | Path]) -> list[StoreInfo]:
    """Every given store, checked; the same folder twice is bad input too."""
    if not paths:
        raise sim.ParamsError(None, "RESULTS_DIR", "give at least one results folder")
    seen: dict[Path, str] = {}
    out = []
    for p in paths:
        resolved = Path(p).resolve()
        if resolved in seen:
            raise sim.ParamsError(p, None, f"given twice (also as {seen[resolved]})")
        seen[resolved] = str(p)
        out.append(open_store(p))
    return out


def sweep_yearly(info: StoreInfo) -> pd.DataFrame:
    """The yearly rows of a sweep the report needs: run id, scenario, policy, year,
    Hilversum jobs share and that year's policy cost."""
    return info.store.read_runs(
        columns=["scenario", "policy", "hilversum_jobs_share", "policy_cost_meur"]
    )
