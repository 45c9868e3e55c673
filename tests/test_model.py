"""The model as a whole: reproducibility, agents as records, outcomes, the run command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import sim
from experiments.cli import main

from .conftest import KINDS, make_params


def test_same_seed_same_outcomes_different_seed_different():
    params = make_params("trend", "campus-plus")
    a = sim.MediaClusterModel(params, seed=4).run().outcomes()
    b = sim.MediaClusterModel(params, seed=4).run().outcomes()
    c = sim.MediaClusterModel(params, seed=5).run().outcomes()
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert not a.equals(c)


def test_seed_defaults_to_params():
    params = make_params(**{"run.seed": 99, "run.end_year": 2027})
    a = sim.MediaClusterModel(params).run().outcomes()
    b = sim.MediaClusterModel(params, seed=99).run().outcomes()
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_agents_are_the_record_of_each_organisation():
    model = sim.MediaClusterModel(make_params(**{"run.end_year": 2028}), seed=1).run()
    by_type = {cls.__name__: len(agents) for cls, agents in model.agents_by_type.items()}
    assert set(by_type) >= {"Broadcaster", "TechFirm", "School", "StartUp"}
    jobs = np.zeros_like(model.jobs)
    for agent in model.agents:
        jobs[KINDS.index(agent.kind), model.location_names.index(agent.location)] += agent.employees
    assert np.allclose(jobs, model.jobs)
    # each agent's class is the one its kind names in params (kinds.*.agent)
    assert all(type(a).__name__ == model.params.kinds[a.kind].agent for a in model.agents)
    broadcasters = {a.kind for a in model.agents_by_type[sim.agents.Broadcaster]}
    assert broadcasters == {"public_broadcaster", "commercial_broadcaster"}
    schools = [a for a in model.agents if a.kind == "school"]
    assert all(a.students > 0 for a in schools)


def test_outcomes_have_every_year_and_consistent_shares():
    model = sim.MediaClusterModel(make_params(), seed=2).run()
    df = model.outcomes()
    assert df["year"].tolist() == list(range(2025, 2041))
    assert list(df.columns) == sim.outcome_columns(model.params)
    jobs_cols = [f"jobs_{loc}" for loc in model.location_names]
    assert np.allclose(df[jobs_cols].sum(axis=1), df["jobs_total"])
    assert np.allclose(df["jobs_hilversum"] / df["jobs_total"], df["hilversum_jobs_share"])
    assert df["hilversum_diversity"].between(0, 1).all()
    attract = df[[f"attractiveness_{k}" for k in KINDS]]
    assert attract.gt(0).all().all() and attract.lt(1).all().all()
    summary = model.summary()
    assert summary["min_hilversum_jobs_share"] == df["hilversum_jobs_share"].min()
    assert summary["hilversum_jobs_share_final"] == df["hilversum_jobs_share"].iloc[-1]


def test_tipping_year_is_first_year_below_threshold():
    df = pd.DataFrame(
        {
            "year": [2025, 2026, 2027, 2028],
            "hilversum_jobs_share": [0.3, 0.26, 0.24, 0.27],
            "policy_cost_meur": [0, 1, 1, 1],
            "policy_cost_discounted_meur": [0, 0.9, 0.8, 0.7],
        }
    )
    assert sim.run_summary(df, 0.25)["tipping_year"] == 2027
    assert np.isnan(sim.run_summary(df, 0.2)["tipping_year"])


def test_policy_all_in_keeps_more_of_hilversum_than_none():
    """A sanity check of direction, over 3 seeds each: the strongest package helps."""
    shares = {}
    for policy in ("none", "all-in"):
        params = make_params("dispersed-feeds", policy)
        shares[policy] = np.mean(
            [
                sim.MediaClusterModel(params, seed=s)
                .run()
                .outcomes()["hilversum_jobs_share"]
                .iloc[-1]
                for s in range(3)
            ]
        )
    assert shares["all-in"] > shares["none"]


@pytest.mark.parametrize(
    "scenario", ["trend", "studio-valley", "platform-satellite", "cloud-commons", "dispersed-feeds"]
)
def test_every_scenario_runs(scenario):
    df = sim.MediaClusterModel(make_params(scenario), seed=1).run().outcomes()
    assert len(df) == 16 and df.notna()["hilversum_jobs_share"].all()


def test_run_command_writes_outputs(tmp_path):
    out = tmp_path / "run"
    code = main(
        [
            "run",
            "--scenario",
            "dispersed-feeds",
            "--policy",
            "all-in",
            "--seed",
            "7",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    for name in (
        "outcomes.csv",
        "outcomes.parquet",
        "calibration.csv",
        "summary.json",
        "manifest.json",
        "hilversum_share.png",
    ):
        assert (out / name).stat().st_size > 0, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["policy"] == "all-in"
    assert manifest["scenario"] == "dispersed-feeds"
    assert len(manifest["params_hash"]) == 64 and manifest["git_commit"]
    csv = pd.read_csv(out / "outcomes.csv")
    parquet = pd.read_parquet(out / "outcomes.parquet")
    assert np.allclose(csv.to_numpy(float), parquet.to_numpy(float), equal_nan=True)
    # the manifest's resolved params reproduce the run exactly
    params = sim.validate(manifest["params"])
    again = sim.MediaClusterModel(params, seed=7).run().outcomes()
    assert np.allclose(
        again.to_numpy(float), parquet.to_numpy(float), equal_nan=True, rtol=0, atol=0
    )
