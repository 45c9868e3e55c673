"""Helpers for the experiment-layer tests: tiny experiment files, stored tables."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pandas as pd

from experiments.engine.store import Store

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "params" / "baseline.toml"


def write_experiment(folder: Path, name: str = "tiny", **fields) -> Path:
    """A small experiment file: 2 scenarios × 2 policies × 2 replications, 2025–2027.

    ``fields`` replace top-level keys (values written with repr, so strings
    and lists come out as valid TOML); ``end_year`` sets the override.
    """
    end_year = fields.pop("end_year", 2027)
    keys = {
        "name": name,
        "baseline": str(BASELINE),
        "scenarios": ["trend", "cloud-commons"],
        "policies": ["none", "all-in"],
        "replications": 2,
        "master_seed": 5,
    }
    keys.update(fields)
    lines = [f"{k} = {_toml(v)}" for k, v in keys.items() if v is not None]
    lines += ["", "[overrides]", f"run.end_year = {end_year}", ""]
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines))
    return path


def _toml(value) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def stored_rows(path: Path) -> pd.DataFrame:
    """All stored outcome rows, sorted by run id and year."""
    return Store(path).read_runs()


def assert_identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Same columns, dtypes, and bit-for-bit equal values (NaNs included)."""
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for column in a.columns:
        x, y = a[column].to_numpy(), b[column].to_numpy()
        if x.dtype.kind in "iuf":
            assert x.dtype == y.dtype, column
            assert x.tobytes() == y.tobytes(), f"column {column} differs"
        else:
            assert list(x) == list(y), f"column {column} differs"


def cli(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m experiments ARGS`` as a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "experiments", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class FullDisk:
    """A file whose writes stop half-way with OSError(ENOSPC), as on a full disk."""

    def __init__(self, fh, path):
        self.fh, self.path = fh, path

    def write(self, data):
        self.fh.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()
