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
        # room on the Media Park for the archives' 2025 space (sim/space.py refuses a
        # 2025 sector bigger than the let part of the stock)
        "locations.hilversum.floor_space_m2": 170000.0,
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


def test_roles_of_an_extra_kind_act_as_named():
    """Entry, exit hazard, consolidation and scale-up roles of a params-only kind."""
    o = extra_kind_overrides()
    o["kinds.archive"] = {
        **ARCHIVE,
        "relocation_hazard": 0.0,
        "consolidation_driver": "archive_mergers",
        "scale_up": {"into": "tech_firm", "min_age": 100, "rate": 1.0},
    }
    o["drivers.archive_mergers"] = {2025: 1.0}  # every co-located archive but one merges
    m = sim.MediaClusterModel(make_params(**o), seed=4)
    a = m.kind_names.index("archive")
    jobs_before = m.jobs[a].copy()
    m.step()
    # one archive left per place that had any, with all their jobs (grown 2%)
    assert list(m.orgs[a]) == [1 if n else 0 for n in (4, 1, 1, 1, 0)]
    assert m.jobs[a] == pytest.approx(jobs_before * 1.02)
    # exit hazard 1 and an entry driver: every year only that year's entrants remain
    o["kinds.archive"] = {**ARCHIVE, "entry_driver": "archive_births", "exit_hazard": 1.0}
    o["drivers.archive_births"] = {2025: 2.0}  # 2 × 7 = 14 expected entrants a year
    o.pop("drivers.archive_mergers")
    m = sim.MediaClusterModel(make_params(**o), seed=5)
    for _ in range(3):
        m.step()
        assert m.orgs[a].sum() > 0  # this year's entrants, placed
        # none older than this year: every incumbent exited at hazard 1
        assert (
            m.org_age[: m.n_rows][m.org_alive[: m.n_rows] & (m.org_kind[: m.n_rows] == a)].max()
            == 0
        )
    # scale-up into another kind keeps the jobs: archives of age ≥ 0 all become tech firms
    o["kinds.archive"] = {**ARCHIVE, "scale_up": {"into": "tech_firm", "min_age": 0, "rate": 1.0}}
    o.pop("drivers.archive_births")
    m = sim.MediaClusterModel(make_params(**o), seed=6)
    t = m.kind_names.index("tech_firm")
    m.step()
    assert m.orgs[a].sum() == 0
    assert m.recorder.row["scaleups"] == 7
    assert m.jobs[t].sum() > 0
