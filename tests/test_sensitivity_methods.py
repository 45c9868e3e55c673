"""The sensitivity pipeline against functions with known indices (issue 4).

The model is replaced by a test function: the study's plan gives the
design (SALib samples, seed groups, replications), the function gives the
outcomes, and the same analysis code as for the model (replication means,
SALib Sobol/Morris/PAWN, noise table, rankings) computes the indices.
"""

from __future__ import annotations

import numpy as np
import pytest

from experiments.sensitivity.analysis import analyse
from experiments.sensitivity.outcomes import RunValues
from experiments.sensitivity.plan import make_plan
from experiments.sensitivity.study import parse_study

PI = float(np.pi)

# Ishigami (a = 7, b = 0.1) on [-π, π]³: V = 13.8446; analytic first-order and
# total indices (Ishigami & Homma 1990; Sobol' & Levitan 1999).
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]
ISHIGAMI_VAR = 13.8446
# SALib's own regression-test tolerances for these indices
# (SALib tests/test_regression.py: assert_allclose(..., atol=5e-2, rtol=1e-1)).
SALIB_ATOL, SALIB_RTOL = 5e-2, 1e-1


def ishigami(x: np.ndarray) -> np.ndarray:
    """The Ishigami function, a = 7, b = 0.1."""
    return np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def sobol_g(x: np.ndarray, a: list[float]) -> np.ndarray:
    """Sobol's G function on [0, 1]^k; factor i matters less the larger a_i."""
    a = np.asarray(a)
    return np.prod((np.abs(4.0 * x - 2.0) + a) / (1.0 + a), axis=1)


def function_study(names, bounds, methods, replications=2, seed=2024):
    """A study of a plain function: one pseudo-scenario, one outcome 'y'."""
    tree = {
        "name": "function",
        "scenarios": ["function"],
        "replications": replications,
        "master_seed": seed,
        "outcomes": ["y"],
        "analysis": {"main_outcome": "y"},
        "factors": {
            n: {"role": "parameter", "key": f"x.{n}", "bounds": list(b), "reason": "test factor"}
            for n, b in zip(names, bounds, strict=True)
        },
        **methods,
    }
    return parse_study(tree)


def evaluate(plan, fn, noise_sd=0.0):
    """Run values of ``fn`` at every design row; noise drawn from each run's seed."""
    x = plan.frame[plan.study.factor_names].to_numpy()
    clean = fn(x)
    seeds = plan.seeds()
    eps = np.array([[np.random.default_rng(int(s)).normal() for s in row] for row in seeds])
    y = clean[:, None] + noise_sd * eps
    return RunValues({"y": y[:, :, None]}, {"y": (2040,)})


def indices_of(analysis, method, index):
    sel = analysis.indices[(analysis.indices["method"] == method)]
    sel = sel[sel["index"] == index].set_index("factor")
    return sel.reindex(analysis.study.factor_names)


def test_sobol_recovers_analytic_ishigami_indices():
    study = function_study(
        ["x1", "x2", "x3"], [(-PI, PI)] * 3, {"sobol": {"base_samples": 2048, "bootstrap": 200}}
    )
    analysis = analyse(plan := make_plan(study), evaluate(plan, ishigami))
    s1 = indices_of(analysis, "sobol", "S1")
    st = indices_of(analysis, "sobol", "ST")
    np.testing.assert_allclose(s1["value"], ISHIGAMI_S1, atol=SALIB_ATOL, rtol=SALIB_RTOL)
    np.testing.assert_allclose(st["value"], ISHIGAMI_ST, atol=SALIB_ATOL, rtol=SALIB_RTOL)
    # The bootstrap intervals are reported as bounds around the estimate.
    assert (s1["conf_low"] < s1["value"]).all() and (st["conf_high"] > st["value"]).all()
    # A deterministic function has no seed noise.
    assert analysis.noise["noise_share_runs"].iloc[0] == pytest.approx(0.0, abs=1e-12)


def test_morris_ranks_the_unimportant_factor_of_the_g_function_last():
    # a = 0 matters most, a = 99 hardly at all: first-order variances
    # 1/(3(1+a)^2) = 0.33, 0.083, 0.011, 0.0033, 0.000033.
    a = [0.0, 1.0, 4.5, 9.0, 99.0]
    names = [f"x{i + 1}" for i in range(5)]
    study = function_study(
        names, [(0.0, 1.0)] * 5, {"morris": {"trajectories": 20, "bootstrap": 200}}
    )
    plan = make_plan(study)
    analysis = analyse(plan, evaluate(plan, lambda x: sobol_g(x, a)))
    ranked = analysis.ranked.sort_values("rank")
    assert list(ranked["factor"])[-1] == "x5"
    assert list(ranked["factor"])[0] == "x1"
    mu_star = indices_of(analysis, "morris", "mu_star")["value"]
    # The unimportant factor is an order of magnitude below the next one
    # (its elementary effects scale with 1/(1+a): 1/100 against 1/10).
    assert mu_star["x5"] < 0.2 * mu_star["x4"]


def test_seed_noise_share_and_common_random_numbers():
    # Ishigami plus Gaussian noise with variance 4 drawn from each run's seed.
    sd, reps = 2.0, 2
    names = ["x1", "x2", "x3", "dummy"]
    study = function_study(
        names,
        [(-PI, PI)] * 4,
        {"sobol": {"base_samples": 1024, "bootstrap": 100}},
        replications=reps,
    )
    plan = make_plan(study)
    analysis = analyse(plan, evaluate(plan, ishigami, noise_sd=sd))
    noise = analysis.noise.iloc[0]
    share_runs = sd**2 / (ISHIGAMI_VAR + sd**2)
    share_means = sd**2 / reps / (ISHIGAMI_VAR + sd**2 / reps)
    # Estimated from 6,144 design points × 2 replications: the within-point
    # variance has a relative standard error of about sqrt(2/6144) ≈ 2%, the
    # variance of the means about 3%; 15% is about five standard errors.
    assert noise["noise_share_runs"] == pytest.approx(share_runs, rel=0.15)
    assert noise["noise_share_means"] == pytest.approx(share_means, rel=0.15)
    # Replications needed for ≤ 10% noise in the means: R ≥ σ²·0.9 / (0.1·V) ≈ 2.6 → 3.
    assert noise["replications_needed"] == 3
    # Seed groups (common random numbers): A and AB_j share their seeds, so the
    # noise cancels in f(A) − f(AB_j) and a factor without effect gets ST = 0
    # exactly; with independent seeds it would get about the noise share (≈ 0.13).
    st = indices_of(analysis, "sobol", "ST")["value"]
    assert st["dummy"] == pytest.approx(0.0, abs=1e-12)
    # The factors' indices are diluted by the noise: V_T / (V + σ²/R).
    expected = np.array(ISHIGAMI_ST) * (1 - share_means)
    np.testing.assert_allclose(st[["x1", "x2", "x3"]], expected, atol=SALIB_ATOL, rtol=SALIB_RTOL)


def test_pawn_on_the_sobol_base_points_ranks_ishigami_and_spots_a_dummy():
    study = function_study(
        ["x1", "x2", "x3", "dummy"],
        [(-PI, PI)] * 4,
        {"sobol": {"base_samples": 1024, "bootstrap": 10}, "pawn": {"slices": 10}},
    )
    plan = make_plan(study)
    analysis = analyse(plan, evaluate(plan, ishigami))
    median = indices_of(analysis, "pawn", "median")["value"]
    # PAWN medians of Ishigami from 10,000 Latin-hypercube points are about
    # 0.24, 0.40, 0.10 (SALib's PAWN); the order is what a ranking needs.
    assert median["x2"] > median["x1"] > median["x3"] > median["dummy"]
    critical = analysis.ranked["pawn_critical"].iloc[0]
    # 2,048 base points, slices of ~205: the 5% KS critical value is ~0.10;
    # the dummy stays below it, x1 and x2 are far above.
    assert critical == pytest.approx(1.358 * np.sqrt((204.8 + 2048) / (204.8 * 2048)), rel=1e-3)
    assert median["dummy"] < critical < median["x1"]


def test_samples_and_bootstraps_follow_the_master_seed():
    def run(seed):
        study = function_study(
            ["x1", "x2", "x3"],
            [(-PI, PI)] * 3,
            {"sobol": {"base_samples": 64, "bootstrap": 50}, "pawn": {"bootstrap": 5}},
            seed=seed,
        )
        plan = make_plan(study)
        return plan, analyse(plan, evaluate(plan, ishigami, noise_sd=1.0))

    plan_a, a = run(1)
    plan_b, b = run(1)
    plan_c, c = run(2)
    assert np.array_equal(plan_a.seeds(), plan_b.seeds())
    assert a.indices.equals(b.indices)
    assert not np.array_equal(plan_a.frame["x1"], plan_c.frame["x1"])
    assert not np.array_equal(plan_a.seeds(), plan_c.seeds())


def test_seed_groups_follow_the_saltelli_and_morris_layouts():
    study = function_study(
        ["x1", "x2", "x3"],
        [(0.0, 1.0)] * 3,
        {"sobol": {"base_samples": 4}, "morris": {"trajectories": 3}},
    )
    plan = make_plan(study)
    sobol = plan.points("function", "sobol")
    x = sobol[["x1", "x2", "x3"]].to_numpy()
    for n in range(4):
        block = sobol.iloc[n * 5 : (n + 1) * 5]  # A, AB_1, AB_2, AB_3, B
        groups = block["seed_group"].to_numpy()
        assert len(set(groups[:4])) == 1 and groups[4] != groups[0]
        a, b = x[n * 5], x[n * 5 + 4]
        for j in range(3):  # AB_j is A with column j from B
            ab = x[n * 5 + 1 + j]
            assert ab[j] == b[j] and np.array_equal(np.delete(ab, j), np.delete(a, j))
    morris = plan.points("function", "morris")
    assert (morris["seed_group"].to_numpy() == np.repeat(np.arange(3), 4) + 8).all()
