"""Each switch of docs/design.md §3.5 turns its mechanism off (and it is on otherwise)."""

from __future__ import annotations

import numpy as np

import sim

from .conftest import KINDS, make_params

SHORT = {"run.end_year": 2030}


def run(scenario=None, policy=None, seed=1, **overrides) -> tuple:
    params = make_params(scenario, policy, **{**SHORT, **overrides})
    model = sim.MediaClusterModel(params, seed=seed).run()
    return model, model.outcomes()


def test_agglomeration_off_makes_utility_independent_of_jobs():
    for proximity, should_change in ((1.0, True), (0.0, False)):
        model, _ = run(**{"drivers.proximity_importance": {2025: proximity}})
        before = model._utility()
        model.jobs = model.jobs * np.linspace(0.5, 2.0, model.jobs.shape[1])
        changed = not np.allclose(model._utility(), before)
        assert changed == should_change


def test_spillover_matrix_zero_turns_agglomeration_off():
    overrides = {f"spillover.{a}.{b}": 0.0 for a in KINDS for b in KINDS}
    model, _ = run(**overrides)
    before = model._utility()
    model.jobs = model.jobs * 3.0
    assert np.allclose(model._utility(), before)


def test_rent_feedback_off_holds_rent():
    _, on = run("studio-valley")
    _, off = run("studio-valley", **{"demography.rent_elasticity": 0.0})
    assert on["rent_hilversum"].nunique() > 1
    assert off["rent_hilversum"].nunique() == 1
    assert off["occupancy_hilversum"].nunique() > 1  # occupancy still moves


def test_hazards_zero_mean_no_exits():
    zero = {
        "kinds.tech_firm.exit_hazard": 0.0,
        "kinds.startup.exit_hazard": 0.0,
        "kinds.public_broadcaster.exit_below_employees": 0.0,
        "kinds.commercial_broadcaster.exit_below_employees": 0.0,
    }
    _, on = run("dispersed-feeds")
    _, off = run("dispersed-feeds", **zero)
    assert on["exits"].sum() > 0
    assert off["exits"].sum() == 0


def test_births_zero_mean_no_entries():
    zero = {"drivers.tech_entry_rate": {2025: 0.0}, "drivers.startup_birth_rate": {2025: 0.0}}
    _, on = run()
    _, off = run(**zero)
    assert on["entries"].sum() > 0
    assert off["entries"].sum() == 0


def test_relocation_hazard_zero_means_nobody_moves():
    zero = {f"kinds.{k}.relocation_hazard": 0.0 for k in KINDS}
    _, on = run()
    _, off = run(**zero)
    assert on["relocations"].sum() > 0
    assert off["relocations"].sum() == 0


def test_consolidation_and_growth_switches():
    _, on = run("dispersed-feeds")
    assert on["mergers"].sum() > 0 and on["jobs_growth"].sum() < 0
    off_overrides = {
        "drivers.consolidation_rate": {2025: 0.0},
        "drivers.public_broadcaster_growth": {2025: 0.0},
        "drivers.commercial_broadcaster_growth": {2025: 0.0},
        "drivers.production_demand": {2025: 0.0},
        "drivers.tech_growth": {2025: 0.0},
    }
    _, off = run("dispersed-feeds", **off_overrides)
    assert off["mergers"].sum() == 0 and off["jobs_growth"].sum() == 0


def test_infinite_space_means_no_capacity():
    tight = {
        "locations.hilversum.floor_space_m2": 147500.0,  # 2025 need 145,741 m²: 1.5k m² free
        "locations.hilversum.occupancy_2025": 0.99,
        "policy.innovation_fund_meur_per_year.value": 60.0,
        # a fund strong enough to overfill the park: grants up to 1 M€, worth up to 3 utils
        "policy_effects.innovation_grant_cap_meur": 1.0,
        "policy_effects.innovation_max_utility": 3.0,
    }
    model, on = run(**tight)
    assert on["occupancy_hilversum"].max() > 0.985
    unlimited = {f"locations.{loc}.floor_space_m2": float("inf") for loc in model.location_names}
    model, off = run(**{**tight, **unlimited})
    assert off["occupancy_hilversum"].isna().all()
    assert not model.constrained.any()
    assert off["orgs_hilversum"].iloc[-1] > on["orgs_hilversum"].iloc[-1]


def test_talent_dynamics_off_holds_talent():
    _, on = run(policy="talent-first")
    _, off = run(
        policy="talent-first",
        **{
            "demography.talent_attrition": 0.0,
            "demography.talent_drift": 0.0,
            "policy.talent_programme_students.value": 0.0,
        },
    )
    assert on["talent_hilversum"].nunique() > 1
    talent = off[[c for c in off.columns if c.startswith("talent_")]]
    assert np.allclose(talent.to_numpy(), talent.iloc[0].to_numpy())


def test_policy_levers_off_cost_nothing():
    _, none = run(policy="none")
    _, all_in = run(policy="all-in")
    assert none["policy_cost_meur"].sum() == 0
    assert all_in["policy_cost_meur"].sum() > 0
