"""Validation: the Ellison–Glaeser index under the dartboard and with agglomeration (§3).

Ellison & Glaeser (1997): if plants choose places independently with
probabilities x_ℓ (the places' shares of all jobs), then E[G] = (1 − Σx²)·H
and so E[γ] = 0, whatever the plant sizes. Set-up
(tests/validation_setups.dartboard): every organisation of the baseline
chooses again each year with probabilities exactly x (ASC = ln x, every
other weight zero); with agglomeration on they also value nearby jobs.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import sim
from sim.outcomes import ellison_glaeser

from . import validation_setups as setups

ALPHA = 0.001


def test_eg_gamma_is_zero_on_average_under_the_dartboard():
    """Mean γ over 100 seeds within 3.29 standard errors of 0 (two-sided α = 0.001).

    One run's γ has a standard deviation of about 0.0066, so the test
    detects a bias of about 0.002 — a twentieth of the agglomeration
    effect below.
    """
    gammas = setups.eg_gammas(setups.dartboard(), range(100))
    se = gammas.std(ddof=1) / np.sqrt(gammas.size)
    assert abs(gammas.mean()) < stats.norm.isf(ALPHA / 2) * se, (gammas.mean(), se)
    assert se < 0.002  # the test is sharp enough to mean something


def test_eg_gamma_is_clearly_positive_with_agglomeration():
    """Same dartboard start, agglomeration on (π = 1, baseline spillovers), 2025–2030.

    Organisations follow each other's jobs, so they concentrate beyond the
    dartboard: mean γ is positive by more than 10 standard errors in 20 seeds
    and grows with the strength of agglomeration (π = 2 above π = 1).
    """
    weak = setups.eg_gammas(setups.dartboard(proximity=1.0, end_year=2030), range(20))
    strong = setups.eg_gammas(setups.dartboard(proximity=2.0, end_year=2030), range(20))
    for gammas in (weak, strong):
        assert gammas.mean() > 10 * gammas.std(ddof=1) / np.sqrt(gammas.size)
    assert strong.mean() > weak.mean()


def test_ellison_glaeser_formula_by_hand():
    """The index against a hand computation (EG 1997, eq. 5) on a small example."""
    jobs = np.array([10.0, 30.0, 60.0, 5.0, 5.0])
    place = np.array([0, 0, 1, 2, 1])
    x = np.array([0.5, 0.3, 0.2])
    gamma, plant_h, loc_h = ellison_glaeser(jobs, place, x)
    s = np.array([40.0, 65.0, 5.0]) / 110.0
    g = ((s - x) ** 2).sum()
    h = ((jobs / 110.0) ** 2).sum()
    assert plant_h == pytest.approx(h)
    assert loc_h == pytest.approx((s**2).sum())
    assert gamma == pytest.approx((g / (1 - (x**2).sum()) - h) / (1 - h))


@pytest.mark.slow
def test_expected_raw_concentration_under_the_dartboard():
    """E[G] = (1 − Σx²)·H per run, checked on 400 seeds (a paired z-test of G − (1 − Σx²)H)."""
    params = sim.load_params(setups.BASELINE, overrides=setups.dartboard())
    x = np.array([loc.eg_reference_share for loc in params.locations.values()])
    x = x / x.sum()
    diffs, gammas = [], []
    for seed in range(400):
        model = sim.MediaClusterModel(params, seed=seed).run()
        n = model.n_rows
        alive = model.org_alive[:n]
        jobs, place = model.org_employees[:n][alive], model.org_location[:n][alive]
        shares = np.bincount(place, jobs, x.size) / jobs.sum()
        h = ((jobs / jobs.sum()) ** 2).sum()
        diffs.append(((shares - x) ** 2).sum() - (1 - (x**2).sum()) * h)
        gammas.append(model.recorder.row["eg_gamma"])
    diffs = np.array(diffs)
    assert abs(diffs.mean()) < 3.29 * diffs.std(ddof=1) / np.sqrt(diffs.size)
    gammas = np.array(gammas)
    assert abs(gammas.mean()) < 3.29 * gammas.std(ddof=1) / np.sqrt(gammas.size)
