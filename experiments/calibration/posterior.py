"""Stored posteriors: writing, reading and drawing parameter sets for other studies.

``posterior.parquet`` holds one row per particle of the final ABC-SMC
population (``particle``, ``weight``, ``distance`` and one column per
parameter). Its Parquet metadata (key ``mediacluster``) records how each
parameter acts on the params — its key patterns and mode (``set`` a value or
``scale`` the matched values) — so a sweep on any scenario can turn a
particle into params overrides: a ``scale`` parameter multiplies that
scenario's own values (a moving-cost scale of 1.2 raises every kind's κ by
20% whatever the kind's baseline κ).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import sim

from ..engine.checks import match_keys

META_KEY = b"mediacluster"
FIXED = ("particle", "weight", "distance")


@dataclass(frozen=True)
class Posterior:
    """A stored posterior: particles and weights, how parameters act, provenance."""

    path: Path
    frame: pd.DataFrame
    parameters: dict[str, dict[str, Any]]  # name -> {"keys": [...], "mode": ...}
    info: dict[str, Any]
    sha256: str

    @property
    def names(self) -> list[str]:
        """The parameters other studies take from the posterior (not history's nuisances)."""
        return [n for n, spec in self.parameters.items() if spec.get("transfer", True)]

    def draw(self, n: int, seed: int) -> np.ndarray:
        """Row indices of n particles drawn by weight (with replacement)."""
        w = self.frame["weight"].to_numpy(dtype=float)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0xA8C,)))
        return rng.choice(len(w), size=n, p=w / w.sum())

    def keys_set(self, params: sim.Params) -> dict[str, str]:
        """Each concrete params key the posterior sets on these params -> its parameter."""
        tree = params.model_dump(mode="python")
        return {
            key: name
            for name in self.names
            for pattern in self.parameters[name]["keys"]
            for key, _ in match_keys(tree, pattern)
        }

    def overrides(self, row: int, params: sim.Params) -> dict[str, float]:
        """Params overrides that put the particle in ``row`` on these params."""
        tree = params.model_dump(mode="python")
        out: dict[str, float] = {}
        for name in self.names:
            spec = self.parameters[name]
            value = float(self.frame[name].iat[row])
            for pattern in spec["keys"]:
                for key, base in match_keys(tree, pattern):
                    out[key] = float(base) * value if spec["mode"] == "scale" else value
        return out

    def provenance(self) -> dict[str, Any]:
        """What a manifest records about the posterior used."""
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "particles": len(self.frame),
            "parameters": self.names,
            **{k: self.info.get(k) for k in ("calibration", "git_commit", "created")},
        }


def write_posterior(
    path: Path, frame: pd.DataFrame, parameters: dict[str, dict], info: dict[str, Any]
) -> None:
    """Write a posterior table with its metadata (atomically)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[META_KEY] = json.dumps({"parameters": parameters, **info}, default=str).encode()
    table = table.replace_schema_metadata(meta)
    tmp = path.parent / f".{path.name}.tmp"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, tmp)
    tmp.replace(path)


def load_posterior(path: str | Path, where: str | Path | None = None, key: str = "posterior"):
    """Read a stored posterior; a bad file is a ParamsError naming ``where`` and ``key``."""
    path = Path(path)
    where = where or path
    if not path.is_file():
        raise sim.ParamsError(where, key, f"posterior file not found: {path}")
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as err:
        raise sim.ParamsError(where, key, f"{path} is not a Parquet file: {err}") from None
    raw = (table.schema.metadata or {}).get(META_KEY)
    if raw is None:
        raise sim.ParamsError(where, key, f"{path} is not a stored posterior (no metadata)")
    meta = json.loads(raw)
    parameters = meta.pop("parameters")
    frame = table.to_pandas()
    missing = [c for c in (*FIXED, *parameters) if c not in frame.columns]
    if missing:
        raise sim.ParamsError(where, key, f"{path} lacks columns: {', '.join(missing)}")
    if len(frame) == 0 or not np.isfinite(frame["weight"]).all() or frame["weight"].sum() <= 0:
        raise sim.ParamsError(where, key, f"{path} has no usable weights")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Posterior(path, frame, parameters, meta, digest)
