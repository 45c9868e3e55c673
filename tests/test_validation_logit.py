"""Validation: the choice rule is a multinomial logit, per kind, with IIA (docs/validation.md §1).

Set-up (tests/validation_setups.py): 20,000 organisations of every kind all
choose afresh in 2026 with every interaction switched off, so each
location is an independent draw from softmax(V_k/μ), with V_k computed
here from the params alone (not with sim.choice).

Significance level: every statistical test here uses α = 0.001 with a
fixed seed. A correct model fails such a test for 1 in 1,000 seeds; the
seeds are fixed, so a pass is stable, and the power checks below show
that errors of a few percent are rejected.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import sim

from . import validation_setups as setups
from .conftest import KINDS

ALPHA = 0.001
COUNT = 20_000  # per kind: 100,000 draws in one model year (≈ 0.5 s)


def run_free_choice(mu: float = 1.0, seed: int = 1, extra_place: bool = False):
    overrides = setups.everyone_chooses_freely(COUNT, mu)
    if extra_place:
        base = sim.load_params(setups.BASELINE, overrides=overrides)
        overrides = setups.with_eindhoven(overrides, base)
    params = sim.load_params(setups.BASELINE, overrides=overrides)
    model = sim.MediaClusterModel(params, seed=seed).run()
    return params, setups.orgs_by_kind(model)


@pytest.mark.parametrize("mu", [1.0, 0.6])
def test_choice_frequencies_match_softmax_for_every_kind(mu):
    params, observed = run_free_choice(mu, seed=11)
    expected = setups.logit_shares_by_hand(params, 2026)
    for k, kind in enumerate(KINDS):
        n = observed[k].sum()
        assert n == COUNT  # nobody lost or duplicated
        p_value = stats.chisquare(observed[k], expected[k] * n).pvalue
        assert p_value > ALPHA, (kind, observed[k] / n, expected[k])
    # Power: the shares of a logit with a 10% larger scale μ are rejected
    # for the pooled kinds (chi-square summed over kinds, 20 df).
    wrong = setups.logit_shares_by_hand(
        params.model_copy(update={"run": params.run.model_copy(update={"logit_scale": mu * 1.1})}),
        2026,
    )
    chi2 = sum(
        stats.chisquare(observed[k], wrong[k] * observed[k].sum()).statistic
        for k in range(len(KINDS))
    )
    assert stats.chi2.sf(chi2, df=len(KINDS) * (observed.shape[1] - 1)) < ALPHA


def test_adding_a_place_leaves_the_odds_between_two_others_unchanged():
    """IIA: P(hilversum)/P(amsterdam) is the same with and without Eindhoven.

    Per kind, the log odds ln(n_H/n_A) in the two runs differ by a normal
    error with variance Σ 1/n (delta method); the test is |z| < 3.29
    (two-sided α = 0.001). With 650–12,000 draws per cell the test
    detects a change of the odds of about 12–20%.
    """
    params, without = run_free_choice(seed=21)
    params_with, with_ = run_free_choice(seed=22, extra_place=True)
    names = params_with.location_names
    h, a, e = names.index("hilversum"), names.index("amsterdam"), names.index("eindhoven")
    for k, kind in enumerate(KINDS):
        # the new place really takes a share of the choices (the test has power)
        assert with_[k, e] / with_[k].sum() > 0.08, kind
        log_odds = np.log(without[k, h] / without[k, a]), np.log(with_[k, h] / with_[k, a])
        se = np.sqrt(1 / without[k, h] + 1 / without[k, a] + 1 / with_[k, h] + 1 / with_[k, a])
        z = (log_odds[1] - log_odds[0]) / se
        assert abs(z) < stats.norm.isf(ALPHA / 2), (kind, log_odds, se)
        # and the odds match the theoretical exp((V_H − V_A)/μ)
        theory = setups.logit_shares_by_hand(params, 2026)[k]
        se_one = np.sqrt(1 / without[k, h] + 1 / without[k, a])
        assert abs(log_odds[0] - np.log(theory[0] / theory[1])) < 3.29 * se_one, kind
