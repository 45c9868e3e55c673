"""Shared helpers for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "params" / "baseline.toml"


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
        "demography.tech_exit_hazard": 0.0,
        "demography.startup_failure_hazard": 0.0,
        "demography.startup_scaleup_rate": 0.0,
        "demography.broadcaster_exit_below_employees": 0.0,
    }
    for loc in sim.load_params(BASELINE).location_names:  # no capacity anywhere
        o[f"locations.{loc}.floor_space_m2"] = float("inf")
    for kind in sim.KINDS:
        o[f"kinds.{kind}.relocation_hazard"] = 0.0
    return o


@pytest.fixture
def baseline_path() -> Path:
    return BASELINE
