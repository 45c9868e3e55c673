"""Run specs and seeds: derived from SeedSequence(master).spawn, keyed by (row, replication)."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.engine.design import check_specs, design_rows, run_seeds, seed_of, sweep_specs


def test_seed_of_row_and_replication_is_the_spawned_grandchild():
    # spawn() gives children spawn_key (row,) and grandchildren (row, k): an
    # independent way to build the same SeedSequence.
    seeds = run_seeds(2040, 4, 3)
    for row in range(4):
        for k in range(3):
            expected = seed_of(np.random.SeedSequence(2040, spawn_key=(row, k)))
            assert seeds[row, k] == expected
    assert len(np.unique(seeds)) == seeds.size
    assert (seeds >= 0).all()


def test_seeds_do_not_depend_on_how_many_rows_or_replications_follow():
    # Adding replications or scenarios to an experiment leaves the existing runs' seeds alone.
    small = run_seeds(7, 2, 3)
    large = run_seeds(7, 5, 10)
    assert (large[:2, :3] == small).all()
    assert (run_seeds(8, 2, 3) != small).all()


def test_sweep_specs_number_runs_row_major_scenario_first():
    specs = sweep_specs(["a", "b"], ["x", "y", "z"], 2, master_seed=1)
    assert [s.run_id for s in specs] == list(range(12))
    assert [(s.scenario, s.policy, s.replication) for s in specs[:4]] == [
        ("a", "x", 0),
        ("a", "x", 1),
        ("a", "y", 0),
        ("a", "y", 1),
    ]
    seeds = run_seeds(1, 6, 2)
    assert [s.seed for s in specs] == seeds.ravel().tolist()


def test_design_rows_carry_design_values_and_check_specs_rejects_inconsistent_keys():
    specs = design_rows([("trend", "none", {"run.logit_scale": 0.5})], 2, 0)
    assert [s.design for s in specs] == [{"run.logit_scale": 0.5}] * 2
    check_specs(specs)
    mixed = specs + design_rows([("trend", "none", {"run.seed": 1})], 1, 0)
    with pytest.raises(ValueError, match="run ids must be unique"):
        check_specs(mixed)
    renumbered = [*specs, design_rows([("trend", "none", {"run.seed": 1})], 3, 0)[2]]
    with pytest.raises(ValueError, match="design keys"):
        check_specs(renumbered)
    with pytest.raises(ValueError, match="not a dotted params key"):
        check_specs(design_rows([("trend", "none", {"seed": 1})], 1, 0))
