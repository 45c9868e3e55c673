"""The floor-space market (sim/space.py): space follows jobs, stock is built, rent clears."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim.space import SpaceMarket

from .conftest import make_params
from .test_bad_input import check_refuses_edit, params_copy, run_cli  # noqa: F401 (fixture)

# A Media Park with 1.5k m² free in 2025 (the 2025 sector needs 145,741 m²)
# in a scenario whose firms grow: it fills within a few years.
FULL = {
    "run.end_year": 2034,
    "locations.hilversum.floor_space_m2": 147500.0,
    "locations.hilversum.occupancy_2025": 0.99,
    "locations.hilversum.permission_m2": 160000.0,
}


def years(model: sim.MediaClusterModel):
    """Step the model to its end year, yielding after each year (and once for 2025)."""
    yield model
    while model.running and model.year < model.params.run.end_year:
        model.step()
        yield model


def sector_need(model: sim.MediaClusterModel) -> np.ndarray:
    """Σ employees × the kind's m² per employee, per place, from the organisations alive."""
    n = model.n_rows
    alive = np.flatnonzero(model.org_alive[:n])
    need = model.org_employees[alive] * model.space_per_employee[model.org_kind[alive]]
    return np.bincount(model.org_location[alive], need, len(model.location_names))


def test_space_demanded_is_jobs_times_space_per_employee_every_year():
    """Demand = Σ jobs × m²/employee (+ other tenants + m² turned away), each place, each year."""
    model = sim.MediaClusterModel(make_params("studio-valley", **FULL), seed=3)
    turned_away = 0.0
    for m in years(model):
        row = m.recorder.row
        need = sector_need(m)
        n = m.n_rows
        alive = np.flatnonzero(m.org_alive[:n])
        per_org = m.org_employees[alive] * m.space_per_employee[m.org_kind[alive]]
        assert np.allclose(m.org_space[alive], per_org)  # each organisation's space is its need
        for j, name in enumerate(m.location_names):
            other = m.space.other[j]
            away = row[f"space_turned_away_m2_{name}"]
            assert row[f"space_demand_m2_{name}"] == pytest.approx(need[j] + other + away)
            turned_away += away
    assert turned_away > 0  # the park really filled up: growth or arrivals did not fit


def test_occupied_never_exceeds_stock_nor_stock_the_permission():
    params = make_params("studio-valley", **FULL, **{"locations.hilversum.development_rate": 1.0})
    model = sim.MediaClusterModel(params, seed=4)
    built = False
    for m in years(model):
        let = m.occupied + m.space.other
        c = m.constrained
        assert (let[c] <= m.space.stock[c] * (1 + 1e-12)).all()
        assert (m.space.stock[c] + m.space.pipeline()[c] <= m.space.permission[c] + 1e-6).all()
        built |= m.space.stock[m.home] > 147500.0
    assert built  # developers did build (up to the permission of 160,000 m²)


def test_the_permission_lever_raises_the_ceiling_and_developers_use_it():
    overrides = {**FULL, "locations.hilversum.development_rate": 1.0, "run.end_year": 2040}
    capped = sim.MediaClusterModel(make_params("studio-valley", **overrides), seed=5).run()
    raised_params = make_params(
        "studio-valley",
        **overrides,
        **{
            "policy.space_permission_m2.value": 50000.0,
            "policy.space_permission_m2.start_year": 2027,
        },
    )
    raised = sim.MediaClusterModel(raised_params, seed=5).run()
    h = capped.home
    assert capped.space.stock[h] + capped.space.pipeline()[h] <= 160000.0 + 1e-6
    assert raised.space.permission[h] == 210000.0
    assert raised.space.stock[h] + raised.space.pipeline()[h] > 160000.0  # beyond the old ceiling
    df = raised.outcomes()
    assert (df["space_stock_m2_hilversum"] <= df["space_permission_m2_hilversum"] + 1e-6).all()


def test_a_merger_conserves_jobs_and_space_need():
    params = make_params("dispersed-feeds", **{"drivers.consolidation_rate": {2025: 0.3}})
    model = sim.MediaClusterModel(params, seed=6)
    model.year += 1
    model._year_inputs()
    model._refresh_tables()
    jobs, occupied = model.jobs.copy(), model.occupied.copy()
    model._consolidate()
    model._refresh_tables()
    assert model.flows["mergers"] > 0
    assert np.allclose(model.jobs, jobs) and np.allclose(model.occupied, occupied)
    assert np.allclose(sector_need(model), occupied)


@pytest.mark.parametrize("lag", [0, 1, 3, 5])
def test_the_pipeline_delivers_after_its_lag(lag):
    """Public development started in year t is in the stock from year t + lag on, not before."""
    params = make_params(**{"space.development_lag_years": lag, "space.conversion_rate": 0.0})
    market = SpaceMarket(params, np.array([145000.0, 0, 0, 0, 0]))
    h = market.home
    stock_0 = market.stock[h]
    occupied = np.array([145000.0, 0, 0, 0, 0])
    for year in range(2026, 2026 + lag + 2):
        market.new_year(year, occupied, 4000.0 if year == 2026 else 0.0, 0.0)
        delivered = year >= 2026 + lag
        assert market.stock[h] == pytest.approx(stock_0 + (4000.0 if delivered else 0.0))
        assert market.pipeline()[h] == pytest.approx(0.0 if delivered else 4000.0)


def test_public_development_stays_within_the_permission_and_is_paid_per_m2_started():
    p = make_params(
        **{
            "locations.hilversum.permission_m2": 165746.0,  # room for 10,000 m² more
            "policy.space_expansion_m2_per_year.value": 4000.0,
            "run.end_year": 2032,
            "space.conversion_rate": 0.0,  # keep the stock fixed but for the project
            "locations.hilversum.development_rate": 0.0,  # and no private starts
        }
    )
    model = sim.MediaClusterModel(p, seed=1)
    started, costs = [], []
    for m in years(model):
        if m.year > 2025:
            started.append(m.space.public_started)
            costs.append(m.recorder.row["policy_cost_meur"])
    assert started == [0.0, 4000.0, 4000.0, 2000.0, 0.0, 0.0, 0.0]  # lever from 2027
    cost = p.policy_costs.space_meur_per_m2
    assert costs == pytest.approx([s * cost for s in started])


def test_conversion_takes_only_structural_vacancy():
    params = make_params()
    market = SpaceMarket(params, np.zeros(5))
    c = market.constrained
    stock = market.stock.copy()
    trigger, rate = params.space.development_trigger_occupancy, params.space.conversion_rate
    let = np.where(c, 0.5 * stock, 0.0)  # half empty everywhere
    market.other = np.zeros(5)
    market.new_year(2026, let, 0.0, 0.0)
    expected = rate * (trigger * stock[c] - let[c])
    assert market.converted[c] == pytest.approx(expected)
    market.converted[:] = 0
    full = np.where(c, market.stock * 0.96, 0.0)  # above the trigger: nothing structural
    market.new_year(2027, full, 0.0, 0.0)
    assert (market.converted == 0).all()


def test_scarcity_shows_in_price_and_in_demand_turned_away():
    """A full park turns demand away and its rent rises above what occupancy ≤ 1 allows."""
    params = make_params(
        "studio-valley",
        **{
            **FULL,
            "policy.innovation_fund_meur_per_year.value": 60.0,
            # grants up to 1 M€ worth up to 3 utils: enough pull to overfill the park
            "policy_effects.innovation_grant_cap_meur": 1.0,
            "policy_effects.innovation_max_utility": 3.0,
            "policy.rent_subsidy.value": 0.5,
        },
    )
    df = sim.MediaClusterModel(params, seed=2).run().outcomes()
    demo = params.demography
    ceiling = params.locations["hilversum"].base_rent * (1 / demo.target_occupancy) ** (
        demo.rent_elasticity
    )
    away = df["space_turned_away_m2_hilversum"] > 0
    assert away.any() and (df["arrivals_turned_away"] > 0).any()
    assert (df.loc[away, "rent_hilversum"] > ceiling).all()  # pressure above 1
    assert (df["space_demand_m2_hilversum"] > df["space_stock_m2_hilversum"])[away].all()
    assert (df["occupancy_hilversum"] <= 1 + 1e-12).all()
    assert df["vacancy_hilversum"].equals(1 - df["occupancy_hilversum"])


def test_growth_that_does_not_fit_is_held_back_and_the_firm_looks_around():
    params = make_params("studio-valley", **FULL, **{"drivers.tech_growth": {2025: 0.3}})
    model = sim.MediaClusterModel(params, seed=7)
    model.step()
    h = model.home
    squeezed = model._squeezed
    assert squeezed.size > 0
    # held back: Hilversum is full, not over-full, and the m² count as turned away
    assert model.occupied[h] <= model.space_now[h] + 1e-6
    assert model.space.turned_away[h] > 0
    # they reconsidered this year: some moved out (all were in Hilversum when held back)
    alive = squeezed[model.org_alive[squeezed]]
    moved = alive[model.org_location[alive] != h]
    assert moved.size > 0


def test_unconstrained_places_report_no_stock():
    df = sim.MediaClusterModel(make_params(**{"run.end_year": 2027}), seed=1).run().outcomes()
    for col in ("space_stock_m2_rest_nl", "space_pipeline_m2_abroad", "vacancy_rest_nl"):
        assert df[col].isna().all()
    assert (df["space_turned_away_m2_rest_nl"] == 0).all()
    assert (df["space_demand_m2_rest_nl"] > 0).all()


def test_regions_have_an_internal_distance():
    p = make_params()
    travel = sim.params.travel_matrix(p)
    names = p.location_names
    for name in names:
        assert travel[names.index(name)][names.index(name)] == p.locations[name].internal_minutes
    assert (
        p.locations["rest_nl"].internal_minutes > 0 and p.locations["abroad"].internal_minutes > 0
    )
    assert p.locations["hilversum"].internal_minutes == 0  # a town is a point
    # agglomeration inside a region is weaker than inside a town of the same size
    model = sim.MediaClusterModel(p, seed=1)
    decay = np.exp(-model.travel / model.drivers["spillover_decay_minutes"])
    assert decay[names.index("rest_nl"), names.index("rest_nl")] < 0.1
    assert decay[model.home, model.home] == 1.0


def test_other_tenants_absorb_a_share_of_the_structural_vacancy_left():
    """With ``other_tenant_absorption`` = a, other tenants let a × the structural vacancy
    that conversion leaves; none is let above the trigger, and a = 0 changes nothing."""
    params = make_params()
    trigger, rate = params.space.development_trigger_occupancy, params.space.conversion_rate
    market = SpaceMarket(params, np.zeros(5))
    c = market.constrained
    stock = market.stock.copy()
    market.other = np.zeros(5)
    let = np.where(c, 0.5 * stock, 0.0)
    market.new_year(2026, let, 0.0, 0.0, absorption=0.25)
    left = (stock[c] - rate * (trigger * stock[c] - let[c])) * trigger - let[c]
    assert market.absorbed[c] == pytest.approx(0.25 * left)
    assert market.other[c] == pytest.approx(0.25 * left)
    assert (market.absorbed[~c] == 0).all()
    before = market.other.copy()
    full = np.where(c, market.stock * 0.96, 0.0)  # above the trigger: no structural vacancy
    market.new_year(2027, full - market.other, 0.0, 0.0, absorption=0.25)
    assert market.other == pytest.approx(before)


def test_absorption_refills_a_park_that_broadcasters_empty():
    """Broadcasters shed jobs: without absorption the park's occupancy falls; with the
    hindcast's take-up by other tenants it falls less (same seed, same decline)."""
    shrink = {
        "drivers.public_broadcaster_growth": {2025: -0.05},
        "run.end_year": 2032,
    }

    def occupancy_2032(absorption: float) -> float:
        params = make_params(**shrink, **{"drivers.other_tenant_absorption": {2025: absorption}})
        model = sim.MediaClusterModel(params, seed=3).run()
        df = model.outcomes()
        return float(df.loc[df.year == 2032, "occupancy_hilversum"].iloc[0])

    assert occupancy_2032(0.2) > occupancy_2032(0.0) + 0.01


def test_other_tenants_fill_the_2025_occupancy():
    model = sim.MediaClusterModel(make_params(), seed=1)
    for j, name in enumerate(model.location_names):
        loc = model.params.locations[name]
        if math.isfinite(loc.floor_space_m2):
            let = model.occupied[j] + model.space.other[j]
            assert let / model.space.stock[j] == pytest.approx(loc.occupancy_2025)
            assert model.space.other[j] >= 0


# ------------------------------------------------------------------ bad input
SPACE_CASES = {
    "permission below the stock": (
        ("permission_m2 = 325746.0", "permission_m2 = 100000.0"),
        ["baseline.toml", "locations.hilversum.permission_m2", "below the built stock"],
    ),
    "negative lag": (
        ("development_lag_years = 3", "development_lag_years = -1"),
        ["baseline.toml", "space.development_lag_years", "greater than or equal to 0"],
    ),
    "pipeline for an unconstrained place": (
        ("internal_minutes = 60.0", "internal_minutes = 60.0\npipeline_m2 = { 2026 = 5000.0 }"),
        ["baseline.toml", "locations.rest_nl.pipeline_m2", "unconstrained"],
    ),
    "absorption beyond a share": (
        (
            "other_tenant_absorption = { 2025 = 0.0 }",
            "other_tenant_absorption = { 2025 = 1.5 }",
        ),
        ["baseline.toml", "drivers.other_tenant_absorption", "share in [0, 1]"],
    ),
    "pipeline beyond the lag": (
        ("pipeline_m2 = {}", "pipeline_m2 = { 2035 = 5000.0 }"),
        ["baseline.toml", "locations.hilversum.pipeline_m2.2035", "within the lag"],
    ),
}


@pytest.mark.parametrize("case", sorted(SPACE_CASES))
def test_bad_space_input(case, params_copy, capsys):  # noqa: F811 (fixture)
    (old, new), words = SPACE_CASES[case]
    check_refuses_edit(params_copy / "baseline.toml", old, new, words, capsys)


def test_a_sector_bigger_than_the_let_stock_is_refused(capsys, tmp_path):
    code, err = run_cli(
        ["run", "--set", "locations.hilversum.floor_space_m2=100000", "--out", str(tmp_path / "o")],
        capsys,
    )
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "locations.hilversum.floor_space_m2" in err and "need" in err
    out = tmp_path / "o"
    assert not out.exists() or not any(out.iterdir())  # nothing written
