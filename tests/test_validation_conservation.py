"""Validation: conservation of organisations and jobs; agents as records (docs/validation.md).

Every year the stock changes only through the recorded flows:
``Δ organisations = entries − exits − mergers`` (a scale-up replaces a
start-up by a tech firm, so it cancels) and
``Δ jobs = jobs entered − jobs exited + growth`` (mergers and scale-ups
keep their jobs). The flows are checked against an independent ledger: the
unique ids of the Mesa agents alive before and after the year. These are
identities, so the only tolerance is floating-point rounding of sums of
~10⁴ job counts (relative 1e-9).
"""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim import agents as agents_mod
from sim import choice

from .conftest import KINDS, make_params

CASES = {
    "trend/all-in": ("trend", "all-in", {}),
    "dispersed-feeds/none": ("dispersed-feeds", "none", {}),
    # heavy consolidation and shrinking broadcasters: many mergers and exits
    "consolidation": (
        "platform-satellite",
        None,
        {
            "drivers.consolidation_rate": {2025: 0.3},
            "drivers.public_broadcaster_growth": {2025: -0.15},
            "drivers.commercial_broadcaster_growth": {2025: -0.15},
        },
    ),
    # a full Hilversum: arrivals turned away and re-choosing
    "tight": (
        "studio-valley",
        None,
        {
            "locations.hilversum.floor_space_m2": 147500.0,  # 2025 need 145,741 m²: 1.5k m² free
            "locations.hilversum.occupancy_2025": 0.99,
            "policy.innovation_fund_meur_per_year.value": 60.0,
            # a fund strong enough to overfill the park: grants up to 1 M€, worth up to 3 utils
            "policy_effects.innovation_grant_cap_meur": 1.0,
            "policy_effects.innovation_max_utility": 3.0,
        },
    ),
}


def ids_alive(model: sim.MediaClusterModel) -> set[int]:
    return {agent.unique_id for agent in model.agents}


@pytest.mark.parametrize("case", list(CASES))
def test_stock_changes_only_through_flows(case):
    scenario, policy, overrides = CASES[case]
    params = make_params(scenario, policy, **{"run.end_year": 2033, **overrides})
    model = sim.MediaClusterModel(params, seed=3)
    seen = ids_alive(model)
    before, ids_before = dict(model.recorder.row), seen
    totals = dict.fromkeys(("mergers", "exits", "scaleups", "entries"), 0.0)
    while model.running and model.year < params.run.end_year:
        model.step()
        row, ids_now = model.recorder.row, ids_alive(model)
        assert row["orgs_total"] - before["orgs_total"] == (
            row["entries"] - row["exits"] - row["mergers"]
        )
        jobs_change = row["jobs_total"] - before["jobs_total"]
        jobs_flows = row["jobs_entered"] - row["jobs_exited"] + row["jobs_growth"]
        assert jobs_change == pytest.approx(jobs_flows, rel=1e-9, abs=1e-6)
        # The ledger of Mesa agents: new ids are entrants and scaled-up firms,
        # vanished ids are exits, mergers and the start-ups that scaled up.
        new, gone = ids_now - ids_before, ids_before - ids_now
        assert len(new) == row["entries"] + row["scaleups"]
        assert len(gone) == row["exits"] + row["mergers"] + row["scaleups"]
        assert not (new & seen), "a unique id was used twice"
        seen |= ids_now
        # the agents' own records add up to the outcome tables
        jobs = sum(agent.employees for agent in model.agents)
        assert jobs == pytest.approx(row["jobs_total"], rel=1e-9)
        assert len(model.agents) == row["orgs_total"]
        for key in totals:
            totals[key] += row[key]
        before, ids_before = dict(row), ids_now
    # the case exercises what it is meant to (the identities are not vacuous)
    assert totals["entries"] > 0 and totals["exits"] > 0
    if case == "consolidation":
        assert totals["mergers"] >= 10  # of 24 public broadcasters
    if case == "tight":
        assert model.outcomes()["arrivals_turned_away"].sum() > 0


def test_registry_by_kind_matches_tables_every_year():
    model = sim.MediaClusterModel(make_params("trend", **{"run.end_year": 2030}), seed=8)
    while model.running and model.year < 2030:
        model.step()
        by_kind = np.zeros(len(KINDS))
        for cls, agent_set in model.agents_by_type.items():
            for agent in agent_set:
                assert isinstance(agent, cls)
                by_kind[KINDS.index(agent.kind)] += 1
        assert np.array_equal(by_kind, model.orgs.sum(axis=1))


@pytest.mark.parametrize("kind", KINDS)
def test_batch_made_agents_equal_make_agent(kind):
    """create_agents is a faster path to exactly what make_agent produces."""
    model = sim.MediaClusterModel(make_params(**{"run.end_year": 2026}), seed=1)
    n_before = len(model.agents)
    one = agents_mod.make_agent(model, 10_000, kind)
    batch = agents_mod.create_agents(model, [10_001, 10_002, 10_003], kind)
    for agent in batch:
        assert type(agent) is type(one)
        expected = {**vars(one), "unique_id": agent.unique_id, "row": agent.row}
        assert vars(agent) == expected
        assert agent in model.agents and agent in model.agents_by_type[type(agent)]
    # ids continue Mesa's own counter, consecutively
    assert [a.unique_id for a in batch] == [one.unique_id + i for i in (1, 2, 3)]
    assert len(model.agents) == n_before + 4
    agents_mod.remove_agents(model, batch[:2])
    one.remove()
    assert len(model.agents) == n_before + 1
    assert batch[2] in model.agents and batch[0] not in model.agents_by_type[type(one)]
    assert batch[0] not in model._agents  # the hard reference is gone too


def test_first_fit_equals_walking_arrivals_one_by_one():
    """The vectorised capacity rule gives exactly the sequential first-come result."""
    rng = np.random.default_rng(0)
    turned_away = 0
    for _ in range(2000):
        n = int(rng.integers(0, 40))
        need = rng.lognormal(3.0, 1.0, n)
        room = float(rng.uniform(0, 1.2) * need.sum()) if n else 5.0
        expected = np.zeros(n, dtype=bool)
        left = room
        for i in range(n):
            if need[i] <= left:
                expected[i] = True
                left -= need[i]
        accepted, room_left = choice.first_fit(need, room)
        assert np.array_equal(accepted, expected)
        assert room_left == pytest.approx(left, abs=1e-9 * max(room, 1.0))
        turned_away += int((~expected).sum())
    assert turned_away > 1000  # most cases really run out of room
