"""The calibration the report shows in "Grounded in history": found, checked and read.

A calibration folder is what ``mediacluster calibrate`` (``make hindcast``)
writes: ``calibration.json`` (kind ``calibration``), ``fit.csv``,
``posterior_summary.csv`` and ``posterior.parquet``. The report finds one by
this rule, first match wins:

1. ``--hindcast DIR`` (``build_report(hindcast=...)``): that folder; a folder
   that is not a calibration is bad input (one line, exit 2);
2. the posterior a store's manifest names (``posterior.path``, as recorded by
   ``mediacluster sweep``: relative to the folder the sweep ran in, i.e. the
   repository root) — its folder, if that is a calibration;
3. a folder ``hindcast`` next to a given store (``results/hindcast`` beside
   ``results/scenarios``), if that is a calibration.

Whatever is found, every store that drew from a posterior has its recorded
SHA-256 compared with the shown ``posterior.parquet``'s: a mismatch (the
calibration was re-run, or another posterior was used) is said in the report,
as is a named posterior that no longer exists.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import sim

from ..calibration.posterior import load_posterior
from .stores import StoreInfo

FIT_COLUMNS = [
    "target", "year", "observed", "low", "high", "sim_p05", "sim_median", "sim_p95", "within"
]  # fmt: skip
SUMMARY_COLUMNS = [
    "parameter",
    "prior_low",
    "prior_high",
    "posterior_p05",
    "posterior_median",
    "posterior_p95",
    "sd_ratio",
]
DEFAULT_PATTERNS = Path("params/history/patterns.toml")
SIBLING = "hindcast"  # rule 3: the folder name `make hindcast` writes to


@dataclass
class Calibration:
    """A calibration's results as the report shows them."""

    path: Path
    info: dict[str, Any]  # calibration.json
    fit: pd.DataFrame  # fit.csv, with a boolean ``within``
    summary: pd.DataFrame  # posterior_summary.csv
    patterns: dict[str, dict[str, Any]]  # target -> its patterns.toml entry (label, statistic)
    transfer: dict[str, bool]  # parameter -> passed to studies that draw from the posterior
    sha256: str | None  # of posterior.parquet (None: no such file)
    how: str  # "option", "manifest" or "sibling": which rule found it

    @property
    def within(self) -> int:
        """Patterns whose posterior-predictive median lies within their tolerance."""
        return int(self.fit["within"].sum())

    @property
    def simulations(self) -> int | None:
        """Model runs of the calibration: the ABC-SMC proposals plus the predictive runs
        (``simulations_run_now`` where the run was not resumed, which also counts the
        surplus of the last batch of each population)."""
        info = self.info
        if isinstance(info.get("simulations_run_now"), int) and len(info.get("sessions", [])) <= 1:
            return int(info["simulations_run_now"])
        try:
            proposed = sum(int(p["proposed"]) for p in info.get("populations", []))
            return proposed + int(info.get("predictive", 0))
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def years(self) -> tuple[int, int]:
        """The history's first and last year (patterns' base years, the fit's years)."""
        bases = [int(p["base_year"]) for p in self.patterns.values() if "base_year" in p]
        end = int(self.fit["year"].max()) if len(self.fit) else 2025
        return (min(bases) if bases else 2010), end


@dataclass
class Found:
    """The calibration to show (or None) and what the report must say about provenance."""

    calibration: Calibration | None = None
    # (store name, recorded posterior path, recorded sha, problem: "missing" or "mismatch")
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)


def posterior_of(info: StoreInfo) -> dict[str, Any] | None:
    """The posterior provenance a store's manifest records (None: defaults were used)."""
    post = info.manifest.get("posterior")
    return post if isinstance(post, dict) and post.get("path") else None


def is_calibration(folder: Path) -> bool:
    """A folder holding calibration.json of kind calibration, fit.csv and the summary."""
    try:
        info = json.loads((folder / "calibration.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return False
    return (
        isinstance(info, dict)
        and info.get("kind") == "calibration"
        and (folder / "fit.csv").is_file()
        and (folder / "posterior_summary.csv").is_file()
    )


def find_calibration(stores: list[StoreInfo], explicit: str | Path | None = None) -> Found:
    """The calibration by the module's rule, and every store whose posterior is missing or
    differs from the shown one. ``explicit`` that is not a calibration: ParamsError."""
    found = Found()
    if explicit is not None:
        folder = Path(explicit)
        if not is_calibration(folder):
            raise sim.ParamsError(
                folder,
                "--hindcast",
                "not a calibration folder (needs calibration.json of kind calibration, "
                "fit.csv and posterior_summary.csv, as `make hindcast` writes)",
            )
        found.calibration = read_calibration(folder, "option")
    for info in stores:
        post = posterior_of(info)
        if post is None:
            continue
        file = Path(post["path"])
        if not file.is_file():
            found.problems.append((info.name, str(file), str(post.get("sha256", "")), "missing"))
            continue
        if found.calibration is None and is_calibration(file.parent):
            found.calibration = read_calibration(file.parent, "manifest")
    if found.calibration is None:
        for info in stores:
            folder = info.path.parent / SIBLING
            if folder.resolve() != info.path.resolve() and is_calibration(folder):
                found.calibration = read_calibration(folder, "sibling")
                break
    if found.calibration is not None:
        for info in stores:
            post = posterior_of(info)
            if post is None or not Path(post["path"]).is_file():
                continue
            if post.get("sha256") != found.calibration.sha256:
                found.problems.append(
                    (info.name, str(post["path"]), str(post.get("sha256", "")), "mismatch")
                )
    return found


def read_calibration(folder: Path, how: str) -> Calibration:
    """Read a calibration folder's tables; a table without its columns is a ParamsError."""
    info = json.loads((folder / "calibration.json").read_text(encoding="utf-8"))
    fit = _csv(folder / "fit.csv", FIT_COLUMNS)
    fit["within"] = fit["within"].astype(str).str.lower().isin(["true", "1", "yes"])
    summary = _csv(folder / "posterior_summary.csv", SUMMARY_COLUMNS)
    try:
        posterior = load_posterior(folder / "posterior.parquet")
    except sim.ParamsError:  # missing or unreadable: the fit is still shown, its hash not
        posterior = None
    if posterior is not None:
        sha = posterior.sha256
        transfer = {n: bool(p.get("transfer", True)) for n, p in posterior.parameters.items()}
    else:
        sha, transfer = None, _stored_transfer(folder)
    return Calibration(folder, info, fit, summary, _patterns(folder), transfer, sha, how)


def _csv(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise sim.ParamsError(path, None, f"not a readable CSV table: {err}") from None
    lacking = [c for c in columns if c not in frame.columns]
    if lacking:
        raise sim.ParamsError(path, None, f"lacks the column(s) {', '.join(lacking)}")
    return frame


def _patterns(folder: Path) -> dict[str, dict[str, Any]]:
    """The patterns file stored with the calibration (``inputs/patterns.toml``), else the
    working tree's ``params/history/patterns.toml``; {} if neither is readable."""
    for path in (folder / "inputs" / "patterns.toml", DEFAULT_PATTERNS):
        try:
            tree = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        items = tree.get("pattern", [])
        return {str(p["target"]): p for p in items if isinstance(p, dict) and "target" in p}
    return {}


def _stored_transfer(folder: Path) -> dict[str, bool]:
    """Which parameters studies take, from the calibration file stored with the results
    (for a folder whose posterior is gone); {} if unknown."""
    try:
        stored = tomllib.loads((folder / "inputs" / "calibration.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    params = stored.get("parameters", {})
    return {n: bool(spec.get("transfer", True)) for n, spec in params.items()}
