"""Minimal model set-ups for the validation checks (docs/validation.md).

The full baseline has many interacting mechanisms; each theoretical check
needs only one of them. The builders here return validated
:class:`sim.Params` — made from a params tree in code, or from the baseline
with overrides — in which everything but the mechanism under test is
switched off with the switches of docs/design.md §3.5. The experiments return
plain numbers, so that the tests (tests/test_validation_*.py) and the
figure script (tests/validation_figures.py) use exactly the same runs.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

import sim

from .conftest import KINDS, pure_logit_overrides

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "params" / "baseline.toml"

# Policy levers, all off (the schema needs them in every params tree).
_LEVERS_OFF = {name: {"value": 0.0, "start_year": 2026} for name in sim.LEVERS}
_COSTS = {
    "space_meur_per_m2": 0.0,
    "rent_subsidy_share_paid": 0.0,
    "talent_meur_per_student_year": 0.0,
    "facilities_meur_per_point_year": 0.0,
    "accessibility_meur_per_minute_year": 0.0,
    "amenity_meur_per_point_year": 0.0,
    "cooperation_meur_per_point_year": 0.0,
    "discount_rate": 0.0,
}


def _kind(count: int, asc: dict[str, float], employees: float = 10.0) -> dict:
    """A kind with fixed size, no relocation, and only its ASC (preferences) in the utility."""
    return {
        "count": count,
        "employees_median": employees,
        "employees_sigma": 0.0,
        "employees_min": employees,
        "space_per_employee_m2": 10.0,
        "shares_2025": {"hilversum": 0.5, "elsewhere": 0.5},
        "asc": asc,
        "rent_weight": 0.0,
        "talent_weight": 0.0,
        "facility_weight": 0.0,
        "amenity_weight": 0.0,
        "moving_cost": 0.0,
        "relocation_hazard": 0.0,
    }


def two_places(
    arrivals: int,
    gamma: float,
    travel_minutes: float = 1e4,
    preference: float = 0.0,
    startups: bool = False,
    decision_batch: int = 1,
) -> sim.Params:
    """Arthur's (1990) setting: firms arrive one by one and choose between two places.

    Two identical places, ``hilversum`` (A) and ``elsewhere`` (B). In 2025
    each holds one tech firm of 10 jobs (an urn started at (1, 1));
    ``arrivals`` tech firms enter in 2026 and choose in random order, one
    decision at a time (``decision_batch = 1``), nobody relocates or exits.
    Utility of A minus B for a tech firm is ``preference`` (its ASC) plus
    γ·[ln(1 + M_A/M_ref) − ln(1 + M_B/M_ref)], with M_ref one firm's jobs.

    ``travel_minutes`` τ between the places sets how far agglomeration
    reaches (decay λ = 25 min): τ = 10⁴ makes the places separate, so the
    advantage of the bigger place grows without bound as its lead grows
    (unbounded increasing returns); a short τ lets each place share in the
    other's mass, bounding the advantage by γ·τ/λ (bounded returns).

    ``startups = True`` adds a second type of firm with the opposite
    preference (start-ups prefer B by ``preference``), arriving as often
    as tech firms: Arthur's heterogeneous firms.
    """
    half = arrivals / 2 if startups else arrivals
    kinds = {k: _kind(2, {}) for k in KINDS}
    kinds["tech_firm"] = _kind(2, {"hilversum": preference, "elsewhere": 0.0})
    kinds["tech_firm"]["entry_driver"] = "tech_entry_rate"
    kinds["tech_firm"]["exit_hazard"] = 0.0  # drawn, never exits (as before kinds were data)
    kinds["startup"] = _kind(2 if startups else 0, {"hilversum": 0.0, "elsewhere": preference})
    kinds["startup"]["entry_driver"] = "startup_birth_rate"
    kinds["startup"]["exit_hazard"] = 0.0
    for name in set(KINDS) - {"tech_firm", "startup"}:
        kinds[name]["count"] = 0
    agglomerating = ("tech_firm", "startup")
    spillover = {
        a: {b: (gamma if a in agglomerating and b in agglomerating else 0.0) for b in KINDS}
        for a in KINDS
    }
    tree = {
        "scenario": {"name": "two-places", "description": "Arthur (1990) validation set-up"},
        "run": {
            "start_year": 2025,
            "end_year": 2026,
            "seed": 1,
            "decision_batch": decision_batch,
            "logit_scale": 1.0,
            "calibrate": False,
            "tipping_threshold": 0.25,
        },
        "reference": {"mass_jobs": 10.0, "rent": 100.0, "talent": 1000.0},
        "places": {"home": "hilversum"},
        "locations": {
            name: {
                "floor_space_m2": float("inf"),
                "base_rent": 100.0,
                "rent_trend": 0.0,
                "talent_pool": 1000.0,
                "facility_quality": 0.5,
                "amenity": 0.5,
                "media_valley": True,
                "eg_reference_share": 0.5,
            }
            for name in ("hilversum", "elsewhere")
        },
        "travel_minutes": {"hilversum": {"elsewhere": travel_minutes}},
        "kinds": kinds,
        "spillover": spillover,
        "demography": {
            "school_programme_years": 4.0,
            "talent_attrition": 0.0,
            "talent_drift": 0.0,
            "rent_elasticity": 0.0,
            "target_occupancy": 0.9,
            "rent_floor_factor": 0.6,
            "rent_cap_factor": 2.5,
        },
        "space": {  # no place is constrained here; the market's rules are moot
            "development_lag_years": 3,
            "development_trigger_occupancy": 0.95,
            "conversion_rate": 0.0,
        },
        "drivers": {
            "proximity_importance": {2025: 1.0},
            "spillover_decay_minutes": {2025: 25.0},
            "facility_importance": {2025: 1.0},
            # entrants per year = rate × 2025 count (2 of each kind)
            "tech_entry_rate": {2025: half / 2},
            "startup_birth_rate": {2025: half / 2 if startups else 0.0},
        },
        "policy": {"name": "none", **copy.deepcopy(_LEVERS_OFF)},
        "policy_costs": dict(_COSTS),
        "policy_effects": {
            "innovation_max_utility": 0.0,
            "innovation_grant_scale_meur": 0.05,
            "innovation_grant_cap_meur": 0.1,
            "incubation_support_max": 0.0,
            "cooperation_gamma_per_point": 0.0,
        },
    }
    return sim.validate(tree)


def place_counts(params: sim.Params, seeds) -> np.ndarray:
    """Firms in ``hilversum`` (A) and ``elsewhere`` (B) at the end, one row per seed.

    The numbers of arrivals are Poisson, so totals differ between seeds.
    """
    counts = []
    for seed in seeds:
        model = sim.MediaClusterModel(params, seed=seed).run()
        counts.append(model.orgs.sum(axis=0))
    return np.array(counts)


def hilversum_shares(params: sim.Params, seeds) -> np.ndarray:
    """Final share of all firms in ``hilversum`` (place A), one per seed."""
    counts = place_counts(params, seeds)
    return counts[:, 0] / counts.sum(axis=1)


# ------------------------------------------------------------ pure logit, IIA
# Distinct constants per kind and place, so that every kind's logit is a
# different, non-trivial distribution.
LOGIT_ASC = {
    "public_broadcaster": {"hilversum": 1.2, "amsterdam": -0.4, "utrecht": 0.1, "abroad": -1.0},
    "commercial_broadcaster": {"hilversum": 0.5, "amsterdam": 0.3, "rest_nl": -0.2},
    "production_facility": {"hilversum": 0.9, "amsterdam": 0.1, "utrecht": -0.3, "abroad": -0.8},
    "tech_firm": {"hilversum": -0.6, "amsterdam": 0.8, "utrecht": 0.2, "abroad": 0.3},
    "school": {"hilversum": 0.2, "utrecht": 0.6, "rest_nl": 0.4, "abroad": -1.5},
    "startup": {"hilversum": -0.3, "amsterdam": 1.0, "rest_nl": -0.5},
}


def everyone_chooses_freely(count: int, mu: float = 1.0) -> dict:
    """Overrides: ``count`` organisations of every kind, all choosing afresh in 2026, nothing else.

    Every kind reconsiders with certainty at no moving cost, so each
    organisation's 2026 location is an independent draw from
    softmax(V_k/μ). Agglomeration, rent feedback, capacity, talent
    dynamics, entry, exit, scale-up and calibration are off; the ASCs are
    :data:`LOGIT_ASC`.
    """
    o = pure_logit_overrides()
    o["run.logit_scale"] = mu
    for kind in KINDS:
        o[f"kinds.{kind}.count"] = count
        o[f"kinds.{kind}.relocation_hazard"] = 1.0
        o[f"kinds.{kind}.moving_cost"] = 0.0
        o[f"kinds.{kind}.asc"] = LOGIT_ASC[kind]
    return o


def logit_shares_by_hand(params: sim.Params, year: int) -> np.ndarray:
    """softmax(V_k/μ) per kind (rows), from the params alone — independent of sim.choice.

    Valid when rents, talent and facilities are at their params values
    (no feedback) and no policy or pull is active.
    """
    ref = params.reference
    f = sim.drivers.path_value(params.drivers["facility_importance"], year)
    rows = []
    for kind in KINDS:
        spec = params.kinds[kind]
        v = np.array(
            [
                spec.asc.get(name, 0.0)
                - spec.rent_weight * np.log(loc.base_rent / ref.rent)
                + spec.talent_weight * np.log(1 + loc.talent_pool / ref.talent)
                + spec.facility_weight * f * loc.facility_quality
                + spec.amenity_weight * loc.amenity
                for name, loc in params.locations.items()
            ]
        )
        w = np.exp((v - v.max()) / params.run.logit_scale)
        rows.append(w / w.sum())
    return np.array(rows)


def with_eindhoven(overrides: dict, params: sim.Params) -> dict:
    """The same overrides plus a sixth place, ``eindhoven``, that takes a real share of choices."""
    o = dict(overrides)
    o["locations.eindhoven"] = {
        "floor_space_m2": float("inf"),
        "base_rent": 200.0,
        "rent_trend": 0.0,
        "talent_pool": 40000.0,
        "facility_quality": 0.5,
        "amenity": 0.7,
        "media_valley": False,
        "eg_reference_share": 0.03,
    }
    o["locations.rest_nl.eg_reference_share"] = (
        params.locations["rest_nl"].eg_reference_share - 0.03
    )
    o["travel_minutes.eindhoven"] = {
        "hilversum": 80.0,
        "amsterdam": 90.0,
        "utrecht": 50.0,
        "rest_nl": 60.0,
        "abroad": 200.0,
    }
    for kind in KINDS:
        shares = {k: 0.9 * v for k, v in params.kinds[kind].shares_2025.items()}
        o[f"kinds.{kind}.shares_2025"] = {**shares, "eindhoven": 0.1}
    return o


def orgs_by_kind(model: sim.MediaClusterModel) -> np.ndarray:
    """Organisations per kind (rows) and place (columns) now, counted from the Mesa agents."""
    counts = np.zeros((len(KINDS), len(model.location_names)), dtype=int)
    for agent in model.agents:
        counts[KINDS.index(agent.kind), model.location_names.index(agent.location)] += 1
    return counts


# ---------------------------------------------------------- Ellison–Glaeser
def dartboard(proximity: float = 0.0, end_year: int = 2026) -> dict:
    """Overrides for the Ellison–Glaeser (1997) dartboard, optionally with agglomeration.

    Every organisation of every kind is placed in 2025, and chooses again
    each year, with probabilities equal to the reference shares x_ℓ
    (``eg_reference_share``): ASC_ℓ = ln x_ℓ and every other utility weight
    zero. With ``proximity = 0`` the choices are independent — the
    dartboard, under which E[γ] = 0. With ``proximity > 0`` organisations
    also value nearby jobs (the baseline spillover matrix, scaled by π).
    Every place is a point here (``internal_minutes`` 0): with the regions'
    spread, agglomeration inside ``rest_nl`` (86% of x) is too weak to
    concentrate anything, and the check needs agglomeration that acts.
    """
    params = sim.load_params(BASELINE)
    x = np.array([loc.eg_reference_share for loc in params.locations.values()])
    x = x / x.sum()
    names = params.location_names
    o = pure_logit_overrides(end_year)
    o["drivers.proximity_importance"] = {2025: proximity}
    for name in names:
        o[f"locations.{name}.internal_minutes"] = 0.0
    for kind in KINDS:
        for weight in ("rent_weight", "talent_weight", "facility_weight", "amenity_weight"):
            o[f"kinds.{kind}.{weight}"] = 0.0
        o[f"kinds.{kind}.relocation_hazard"] = 1.0
        o[f"kinds.{kind}.moving_cost"] = 0.0
        o[f"kinds.{kind}.asc"] = {n: float(np.log(s)) for n, s in zip(names, x, strict=True)}
        o[f"kinds.{kind}.shares_2025"] = dict(zip(names, x.tolist(), strict=True))
    return o


def eg_gammas(overrides: dict, seeds) -> np.ndarray:
    """The model's Ellison–Glaeser γ in the final year, one per seed."""
    params = sim.load_params(BASELINE, overrides=overrides)
    return np.array(
        [sim.MediaClusterModel(params, seed=s).run().recorder.row["eg_gamma"] for s in seeds]
    )
