"""Worker side: run one chunk of run specs and return its rows and failures.

This module runs inside worker processes (local or Dask), so it imports
only what a run needs. A run that raises is caught here and returned as a
failure record with its error text; the other runs of the chunk go on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import sim

from .design import RunSpec
from .inputs import RunSetup

ID_COLUMNS = ("run_id", "scenario", "policy", "replication", "seed")


@dataclass
class Failure:
    """A run that raised: its spec and the error text."""

    spec: RunSpec
    error: str
    traceback: str


@dataclass
class ChunkResult:
    """The rows of the chunk's finished runs (long format) and its failures."""

    rows: pd.DataFrame | None
    failures: list[Failure] = field(default_factory=list)
    run_ids: list[int] = field(default_factory=list)


def run_one(spec: RunSpec, setup: RunSetup) -> pd.DataFrame:
    """Run one spec; return its yearly outcomes in long format with id and design columns."""
    overrides = {**setup.overrides, **spec.design}
    params = setup.params.load(spec.scenario, spec.policy, overrides)
    outcomes = sim.MediaClusterModel(params, seed=spec.seed).run().outcomes()
    if setup.outcomes is not None:
        outcomes = outcomes[["year", *setup.outcomes]]
    n = len(outcomes)
    head = {
        "run_id": np.full(n, spec.run_id, dtype=np.int64),
        "scenario": [spec.scenario] * n,
        "policy": [spec.policy] * n,
        "replication": np.full(n, spec.replication, dtype=np.int64),
        "seed": np.full(n, spec.seed, dtype=np.int64),
    }
    for key, value in spec.design.items():
        head[key] = [design_value(value)] * n
    frame = pd.DataFrame(head)
    rest = outcomes.reset_index(drop=True)
    rest["year"] = rest["year"].astype(np.int64)
    # Cast only columns that are not float64 already (the model's are): a
    # per-column astype of every column was over half the time of a sweep.
    other = {c: np.float64 for c, t in rest.dtypes.items() if c != "year" and t != np.float64}
    return pd.concat([frame, rest.astype(other) if other else rest], axis=1)


def run_chunk(specs: list[RunSpec], setup: RunSetup) -> ChunkResult:
    """Run specs one after the other; a raising run becomes a Failure, the rest go on."""
    frames, failures, done = [], [], []
    for spec in specs:
        try:
            frames.append(run_one(spec, setup))
            done.append(spec.run_id)
        except Exception as err:  # noqa: BLE001 - any model error is recorded, not fatal
            text = _clean(f"{type(err).__name__}: {err}", setup)
            failures.append(Failure(spec, text, _clean(traceback.format_exc(), setup)))
    rows = pd.concat(frames, ignore_index=True) if frames else None
    return ChunkResult(rows, failures, done)


def design_value(value):
    """Design values are stored as float64 if numeric, else as text, so parts share a schema."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return str(value)
    return float(value)


def _clean(text: str, setup: RunSetup) -> str:
    """Replace this process's temporary params folder by ``params`` so that error
    texts are the same on every worker (reproduce compares them)."""
    folder = str(setup.params.baseline_path().parent)
    return text.replace(folder, "params")
