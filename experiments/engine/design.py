"""Run specs and their seeds: *what* to run, kept apart from *how* it is run.

A run spec names one model run completely: the scenario and policy
overlays, the replication, the seed and the design values (dotted params
overrides such as ``{"policy.campus_amenity.value": 0.3}``). Any study —
a scenario × policy sweep, a sensitivity sample — produces a list of
specs; :func:`experiments.engine.runner.run_specs` executes them and stores the
results, with the same resume and reproduce machinery for all.

Seeds come from ``numpy.random.SeedSequence(master).spawn``: design row
``r`` gets the child ``spawn(n_rows)[r]`` and its replication ``k`` the
grandchild ``.spawn(replications)[k]``. A run's seed therefore depends only
on the master seed and its (row, replication) key — not on the executor,
the number of workers or the order in which runs finish.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RunSpec:
    """One model run.

    ``run_id`` is unique within a store and stable across resumes;
    ``design`` holds the run's own params overrides (dotted key -> value),
    stored as one column per key; every spec of a study must use the same
    keys. Overrides shared by all runs of a study belong in
    :class:`experiments.engine.inputs.RunSetup` instead.
    """

    run_id: int
    scenario: str
    policy: str
    replication: int
    seed: int
    design: dict[str, Any] = field(default_factory=dict)


def seed_of(sequence: np.random.SeedSequence) -> int:
    """A non-negative 63-bit integer seed from a SeedSequence.

    63 bits so that the seed fits a signed int64 Parquet column and seed
    collisions stay negligible even for millions of runs (32 bits would
    collide with probability ~1/8 at 100,000 runs).
    """
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def run_seeds(master_seed: int, n_rows: int, replications: int) -> np.ndarray:
    """Seeds of every (design row, replication), shape ``(n_rows, replications)``."""
    if master_seed < 0 or n_rows < 0 or replications < 0:
        raise ValueError("master_seed, n_rows and replications must be >= 0")
    rows = np.random.SeedSequence(master_seed).spawn(n_rows)
    seeds = np.empty((n_rows, replications), dtype=np.int64)
    for r, row in enumerate(rows):
        for k, child in enumerate(row.spawn(replications)):
            seeds[r, k] = seed_of(child)
    return seeds


def design_rows(
    rows: list[tuple[str, str, dict[str, Any]]], replications: int, master_seed: int
) -> list[RunSpec]:
    """Specs for design rows ``(scenario, policy, design values)`` × replications.

    Run ids number the runs row-major: ``run_id = row * replications + k``.
    This is the generic builder: a sensitivity study passes one row per
    sample point (scenario, policy and the factor values as overrides).
    """
    seeds = run_seeds(master_seed, len(rows), replications)
    specs = []
    for r, (scenario, policy, design) in enumerate(rows):
        for k in range(replications):
            specs.append(
                RunSpec(
                    run_id=r * replications + k,
                    scenario=scenario,
                    policy=policy,
                    replication=k,
                    seed=int(seeds[r, k]),
                    design=dict(design),
                )
            )
    return specs


def sweep_specs(
    scenarios: list[str], policies: list[str], replications: int, master_seed: int
) -> list[RunSpec]:
    """Every scenario × policy package × replication; design rows scenario-major."""
    rows = [(s, p, {}) for s in scenarios for p in policies]
    return design_rows(rows, replications, master_seed)


def check_specs(specs: list[RunSpec]) -> None:
    """Raise ValueError unless run ids are unique and all specs share design keys."""
    ids = [s.run_id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError("run ids must be unique")
    if specs:
        keys = set(specs[0].design)
        for spec in specs:
            if set(spec.design) != keys:
                raise ValueError(
                    f"run {spec.run_id}: design keys {sorted(spec.design)} differ from "
                    f"{sorted(keys)}; every spec of a study must use the same keys"
                )
            for key, value in spec.design.items():
                if "." not in key:
                    raise ValueError(
                        f"run {spec.run_id}: design key {key!r} is not a dotted params key"
                    )
                if isinstance(value, float) and not math.isfinite(value):
                    raise ValueError(f"run {spec.run_id}: design value {key} is not finite")
