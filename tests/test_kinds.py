"""Kinds as data: a kind, its behaviour roles and the places policies act on come from params."""

from __future__ import annotations

import numpy as np
import pytest

import sim

from .conftest import KINDS, make_params

# An extra kind defined in params alone (no code): a broadcast archive that
# grows along its own driver, never enters, exits or relocates, and values
# being near public broadcasters.
ARCHIVE = {
    "label": "archives",
    "count": 7,
    "employees_median": 60.0,
    "employees_sigma": 0.5,
    "employees_min": 10.0,
    "space_per_employee_m2": 40.0,
    "shares_2025": {
        "hilversum": 0.6,
        "amsterdam": 0.2,
        "utrecht": 0.1,
        "rest_nl": 0.09,
        "abroad": 0.01,
    },
    "rent_weight": 0.5,
    "talent_weight": 0.2,
    "facility_weight": 1.0,
    "amenity_weight": 0.2,
    "moving_cost": 5.0,
    "relocation_hazard": 0.0,
    "growth_driver": "archive_growth",
}


def extra_kind_overrides() -> dict:
    return {
        "kinds.archive": ARCHIVE,
        "drivers.archive_growth": {2025: 0.02},
        "spillover.archive": {"public_broadcaster": 0.2, "archive": 0.1},
        "run.end_year": 2030,
    }


def test_a_kind_defined_in_params_alone_is_built_run_and_reported():
    params = make_params(**extra_kind_overrides())
    assert params.kind_names == [*KINDS, "archive"]
    model = sim.MediaClusterModel(params, seed=3).run()
    df = model.outcomes()
    assert list(df.columns) == sim.outcome_columns(params)
    for loc in params.location_names:
        assert f"jobs_archive_{loc}" in df and f"orgs_archive_{loc}" in df
    assert "hilversum_jobs_share_archive" in df and "attractiveness_archive" in df
    # 2025: 7 archives placed by the shares with largest remainders: 4.2, 1.4, 0.7, 0.63, 0.07
    first = df.iloc[0]
    assert [first[f"orgs_archive_{loc}"] for loc in params.location_names] == [4, 1, 1, 1, 0]
    # calibration reproduces the new kind's 2025 shares like every other kind's
    cal = model.calibration()
    arch = cal[cal["kind"] == "archive"]
    assert np.allclose(arch["share_model"], arch["share_observed"], atol=1e-8)
    # its own growth driver, and nothing else, changes its jobs: no entry, exit or
    # merger role, so 2030 jobs = 2025 jobs × 1.02^5 (moves only shift them)
    jobs = df[[f"jobs_archive_{loc}" for loc in params.location_names]].sum(axis=1)
    assert jobs.iloc[-1] == pytest.approx(jobs.iloc[0] * 1.02**5, rel=1e-12)
    agents = [a for a in model.agents if a.kind == "archive"]
    assert len(agents) == 7 and all(type(a) is sim.agents.Organisation for a in agents)


def test_the_extra_kind_runs_under_every_scenario_and_policy_file():
    for scenario in ("trend", "dispersed-feeds"):
        params = make_params(scenario=scenario, policy="all-in", **extra_kind_overrides())
        df = sim.MediaClusterModel(params, seed=1).run().outcomes()
        assert df["jobs_archive_hilversum"].iloc[-1] > 0


def test_home_and_lever_reach_come_from_params():
    # With utrecht as the home place the levers act there and the columns say so.
    params = make_params(
        **{
            "places.home": "utrecht",
            "policy.accessibility_minutes_saved.places": ["amsterdam"],
            "policy.campus_amenity.value": 0.1,
            "run.end_year": 2028,
        }
    )
    model = sim.MediaClusterModel(params, seed=2).run()
    u = model.location_names.index("utrecht")
    assert model.amenity[u] == pytest.approx(params.locations["utrecht"].amenity + 0.1)
    df = model.outcomes()
    assert "utrecht_jobs_share" in df and "hilversum_jobs_share" not in df
    assert "min_utrecht_jobs_share" in model.summary()


def test_roles_map_to_the_mechanisms():
    model = sim.MediaClusterModel(make_params(), seed=1)
    k = {name: i for i, name in enumerate(model.kind_names)}
    assert model.entry_roles == [
        (k["tech_firm"], "tech_entry_rate"),
        (k["startup"], "startup_birth_rate"),
    ]
    assert model.scale_up_roles == [(k["startup"], k["tech_firm"], 3, 0.05)]
    assert model.lever_kinds("cooperation_programme") == [
        k["public_broadcaster"],
        k["commercial_broadcaster"],
        k["production_facility"],
        k["tech_firm"],
    ]
    assert model.lever_kinds("rent_subsidy") == list(range(len(KINDS)))  # no list: all kinds
