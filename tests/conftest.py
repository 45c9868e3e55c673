"""Shared helpers for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "params" / "baseline.toml"
# The kinds of the shipped baseline, in params order (kinds are data: sim has no list).
KINDS = tuple(sim.load_params(BASELINE).kind_names)


def make_params(scenario: str | None = None, policy: str | None = None, **overrides):
    """Baseline params with dotted-key overrides given as keyword 'a__b__c' or a dict."""
    return sim.load_params(BASELINE, scenario=scenario, policy=policy, overrides=overrides)


def pure_logit_overrides(end_year: int = 2026) -> dict:
    """Every interaction off: no agglomeration, no rent feedback, no capacity, no demography.

    Only tech-firm entrants decide (incumbents never reconsider), so each
    decision is an independent draw from softmax(V/μ) with a fixed V.
    """
    o = {
        "run.end_year": end_year,
        "run.calibrate": False,
        "drivers.proximity_importance": {2025: 0.0},
        "drivers.tech_entry_rate": {2025: 0.0},
        "drivers.startup_birth_rate": {2025: 0.0},
        "demography.rent_elasticity": 0.0,
        "demography.talent_attrition": 0.0,
        "demography.talent_drift": 0.0,
        "kinds.tech_firm.exit_hazard": 0.0,
        "kinds.startup.exit_hazard": 0.0,
        "kinds.startup.scale_up.rate": 0.0,
        "kinds.public_broadcaster.exit_below_employees": 0.0,
        "kinds.commercial_broadcaster.exit_below_employees": 0.0,
    }
    for loc in sim.load_params(BASELINE).location_names:  # no capacity anywhere
        o[f"locations.{loc}.floor_space_m2"] = float("inf")
    for kind in KINDS:
        o[f"kinds.{kind}.relocation_hazard"] = 0.0
    return o


@pytest.fixture
def baseline_path() -> Path:
    return BASELINE
