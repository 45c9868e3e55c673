"""Validation: the per-agent reference implementation agrees with the model (docs/validation.md §6).

``benchmarks/reference_model.py`` writes the model's yearly rule the usual
Mesa way — one agent at a time, pure Python — and ``make bench`` compares
speeds. The comparison is only fair if both implement the same rule, so
this checks that they agree in distribution: for the baseline and the
`trend` scenario (growth, consolidation and changing drivers), 2025–2040,
the 2040 Hilversum share of each kind's organisations and the totals of
organisations and jobs have equal means in the two implementations
(Welch's t-test per statistic, α = 0.001; 16 seeds each; the model with
``decision_batch = 1`` like the reference). The two draw from different
random streams, so only distributions can agree.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import sim
from benchmarks.reference_model import ReferenceModel

from . import validation_setups as setups
from .conftest import KINDS

ALPHA = 0.001
MOVING = [k for k, kind in enumerate(KINDS) if kind != "school"]


def statistics(orgs: np.ndarray, jobs: np.ndarray, home: int) -> list[float]:
    # schools (relocation hazard 0.005) almost never move: their share has ~no variance
    shares = [orgs[k, home] / orgs[k].sum() for k in MOVING]
    return [*shares, orgs.sum(), jobs.sum()]


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["baseline", "trend"])
def test_reference_and_model_agree_in_distribution(scenario):
    params = sim.load_params(
        setups.BASELINE, scenario=scenario, overrides={"run.decision_batch": 1}
    )
    model_stats, ref_stats = [], []
    for seed in range(16):
        model = sim.MediaClusterModel(params, seed=seed).run()
        model_stats.append(statistics(model.orgs, model.jobs, model.home))
        ref = ReferenceModel(params, seed=1000 + seed).run()
        ref_stats.append(statistics(np.array(ref.orgs_table), np.array(ref.jobs_table), ref.home))
    model_stats, ref_stats = np.array(model_stats), np.array(ref_stats)
    for j in range(model_stats.shape[1]):
        p_value = stats.ttest_ind(model_stats[:, j], ref_stats[:, j], equal_var=False).pvalue
        assert p_value > ALPHA, (j, model_stats[:, j].mean(), ref_stats[:, j].mean())
