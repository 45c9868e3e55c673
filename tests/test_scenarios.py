"""Scenario storylines wired to mechanisms (docs/scenarios.md): each distinctive feature shows.

Statistical checks use paired seeds or the mean over seeds with a
one-sided t-test at α = 0.01; the measured effects (docs/scenarios.md) are
several standard errors from the thresholds.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import sim

from .conftest import make_params

ALPHA = 0.01


def runs(scenario: str, seeds, **overrides) -> list:
    params = make_params(scenario=scenario, **overrides)
    return [sim.MediaClusterModel(params, seed=s).run().outcomes() for s in seeds]


def test_trend_loses_the_direct_intercity_in_2029_30():
    params = make_params(scenario="trend")
    m = sim.MediaClusterModel(params, seed=1)
    h, a = (m.location_names.index(n) for n in ("hilversum", "amsterdam"))
    minutes = {}
    while m.year < 2031:
        m.step()
        minutes[m.year] = m.travel[h, a]
    assert minutes[2029] == m.travel_0[h, a]
    assert minutes[2030] == m.travel_0[h, a] + 15.0
    assert minutes[2031] == minutes[2030] and m.travel[a, h] == minutes[2030]


@pytest.mark.parametrize("scenario", ["dispersed-feeds", "platform-satellite", "trend"])
def test_public_broadcasters_and_schools_are_not_pulled_abroad(scenario):
    m = sim.MediaClusterModel(make_params(scenario=scenario), seed=1)
    while m.year < 2040:
        m.step()
    abroad = m.location_names.index("abroad")
    for kind in ("public_broadcaster", "school", "production_facility"):
        assert m.pull[m.kind_names.index(kind), abroad] == 0.0
    assert m.pull[m.kind_names.index("tech_firm"), abroad] > 0.0


def test_dispersed_feeds_disperses():
    """Without policy, Ellison–Glaeser γ in 2040 is below 2025 (mean over seeds)."""
    dfs = runs("dispersed-feeds", range(8))
    change = np.array([df["eg_gamma"].iloc[-1] - df["eg_gamma"].iloc[0] for df in dfs])
    assert stats.ttest_1samp(change, 0.0, alternative="less").pvalue < ALPHA, change.mean()


def test_cloud_commons_cooperation_adds_no_reason_to_co_locate():
    params = make_params(scenario="cloud-commons")
    m = sim.MediaClusterModel(params, seed=1)
    while m.year < 2040:
        m.step()
    assert np.array_equal(m.gamma, m.gamma_0)


def test_platform_satellite_facilities_stay_while_headquarters_leave():
    """Hilversum keeps or grows its production & facility jobs; commercial HQ jobs fall."""
    dfs = runs("platform-satellite", range(8))
    facility = np.array(
        [
            df["jobs_production_facility_hilversum"].iloc[-1]
            / df["jobs_production_facility_hilversum"].iloc[0]
            for df in dfs
        ]
    )
    hq = np.array(
        [
            df["jobs_commercial_broadcaster_hilversum"].iloc[-1]
            / df["jobs_commercial_broadcaster_hilversum"].iloc[0]
            for df in dfs
        ]
    )
    assert stats.ttest_1samp(hq, 1.0, alternative="less").pvalue < ALPHA, hq.mean()
    assert stats.ttest_rel(facility, hq, alternative="greater").pvalue < ALPHA
    assert facility.mean() >= 0.95, facility.mean()


def test_production_facility_has_the_outcome_columns_of_every_kind():
    params = make_params()
    cols = sim.outcome_columns(params)
    for loc in params.location_names:
        assert f"jobs_production_facility_{loc}" in cols
        assert f"orgs_production_facility_{loc}" in cols
    for prefix in ("hilversum_jobs_share_", "hilversum_orgs_share_", "attractiveness_"):
        assert f"{prefix}production_facility" in cols


def test_production_facility_is_calibrated_to_its_2025_shares():
    m = sim.MediaClusterModel(make_params(), seed=1)
    cal = m.calibration()
    pf = cal[cal["kind"] == "production_facility"]
    assert np.allclose(pf["share_model"], pf["share_observed"], atol=1e-8)
    assert m.params.kinds["production_facility"].space_per_employee_m2 > max(
        m.params.kinds[k].space_per_employee_m2 for k in ("commercial_broadcaster", "tech_firm")
    )
