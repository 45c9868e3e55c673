"""Our ABC-SMC (experiments/calibration/smc.py) against pyabc, the maintained library,
on toy problems whose ABC posteriors are known exactly.

pyabc runs with our algorithm's settings (experiments/calibration/reference.py:
ε_0 = ∞, ε_t = median of the previous distances, a Gaussian kernel of twice the
weighted covariance, single core, np.random seeded), so both should sample the
same ABC posterior with the same Monte-Carlo error.

Exact targets. With a uniform prior far wider than the likelihood, data
x ~ N(θ, Σ) and acceptance ‖x − y‖ ≤ ε, the ABC posterior at ε is N(y, Σ)
convolved with the uniform distribution on the ε-ball: mean y, covariance
Σ + ε²/3 (1-D) or Σ + ε²/4·I (2-D disc). So each run is compared with the exact
ABC posterior at its own final ε, which removes the ε bias from the comparison.

Tolerances. The Monte-Carlo error of an SMC population is larger than the
ESS-based standard error (a population inherits the errors of its ancestors:
over 200 seeds of the 1-D problem our posterior mean's error had 1.13× and its
sd's error 1.37× the ESS-based standard error). So each problem first runs
ours R = 30 times with independent seeds (cheap: the toy models are vectorised)
and takes the *measured* spread of each statistic's error (estimate minus exact
value at the run's ε) as its Monte-Carlo sd σ. Then:

* ours is unbiased: the mean error over the R runs is within 4σ/√R of 0;
* pyabc is right: its error is within 4σ of 0 (a single run; same algorithm,
  same population size, so the same σ);
* they agree: pyabc's estimate and the mean of ours differ by at most
  4σ·√(1 + 1/R), and so do their final tolerances ε (on a log scale).

4σ makes a false alarm on a correct implementation about 1 in 16,000 per check
if the errors are Gaussian; the seeds are fixed, so the test is deterministic.
A broken weight computation (equal weights instead of importance weights) fails
the bias check (test_the_bias_check_catches_missing_importance_weights).
"""

from __future__ import annotations

import math

import numpy as np
import pyabc  # noqa: F401 - a dev dependency; a missing pyabc must fail here, not skip
import pytest
from scipy import stats

from experiments.calibration import smc
from experiments.calibration.reference import run_pyabc  # needs pyabc: a dev dependency
from experiments.calibration.smc import Prior, abc_smc

R = 30  # independent runs of ours per problem, to measure the Monte-Carlo sd
K = 4.0  # tolerance in Monte-Carlo standard deviations (see the module docstring)


def weighted_stats(theta: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and covariance of the rows of theta."""
    w = w / w.sum()
    mean = w @ theta
    centred = theta - mean
    return mean, (centred * w[:, None]).T @ centred


# --------------------------------------------------------------------------- toy problems


class Gaussian1D:
    """θ ~ U(−5, 5); x ~ N(θ, 0.5²); y = 1; distance |x − y|.
    Exact ABC posterior at ε: mean 1, sd √(0.25 + ε²/3)."""

    prior = Prior(("mu",), np.array([-5.0]), np.array([5.0]), np.array([False]))
    y, s = 1.0, 0.5
    names = ("mean", "sd")

    def batch(self, seed: int):
        def simulate(t: int, b: int, thetas: np.ndarray) -> np.ndarray:
            rng = np.random.default_rng([seed, 99, t, b])
            return np.abs(thetas[:, 0] + self.s * rng.standard_normal(len(thetas)) - self.y)

        return simulate

    def one(self, theta: np.ndarray, rng: np.random.Generator) -> float:
        return abs(theta[0] + self.s * rng.standard_normal() - self.y)

    def estimates(self, theta, w) -> np.ndarray:
        mean, cov = weighted_stats(theta, w)
        return np.array([mean[0], math.sqrt(cov[0, 0])])

    def exact(self, eps: float) -> np.ndarray:
        return np.array([self.y, math.sqrt(self.s**2 + eps**2 / 3.0)])


class Gaussian2D:
    """θ ~ U(−5, 5)²; x ~ N(θ, Σ) with sds 0.5, 0.4 and correlation 0.7;
    y = (1, −0.5); distance ‖x − y‖ (Euclidean).
    Exact ABC posterior at ε: mean y, covariance Σ + ε²/4·I (uniform on a disc)."""

    prior = Prior(("a", "b"), np.array([-5.0, -5.0]), np.array([5.0, 5.0]), np.array([False] * 2))
    y = np.array([1.0, -0.5])
    sigma = np.array([[0.25, 0.7 * 0.5 * 0.4], [0.7 * 0.5 * 0.4, 0.16]])
    chol = np.linalg.cholesky(sigma)
    names = ("mean a", "mean b", "sd a", "sd b", "correlation")

    def batch(self, seed: int):
        def simulate(t: int, b: int, thetas: np.ndarray) -> np.ndarray:
            rng = np.random.default_rng([seed, 99, t, b])
            x = thetas + rng.standard_normal(thetas.shape) @ self.chol.T
            return np.linalg.norm(x - self.y, axis=1)

        return simulate

    def one(self, theta: np.ndarray, rng: np.random.Generator) -> float:
        x = theta + self.chol @ rng.standard_normal(2)
        return float(np.linalg.norm(x - self.y))

    @staticmethod
    def _summary(mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
        sd = np.sqrt(np.diag(cov))
        return np.array([mean[0], mean[1], sd[0], sd[1], cov[0, 1] / (sd[0] * sd[1])])

    def estimates(self, theta, w) -> np.ndarray:
        return self._summary(*weighted_stats(theta, w))

    def exact(self, eps: float) -> np.ndarray:
        return self._summary(self.y, self.sigma + eps**2 / 4.0 * np.eye(2))


class Bimodal:
    """θ ~ U(−3, 3); x ~ N(θ², 0.5²); y = 2; distance |x − y|: two modes at ±√2.
    Exact ABC posterior at ε ∝ Φ((y + ε − θ²)/s) − Φ((y − ε − θ²)/s) on the prior,
    integrated on a fine grid. Checked: the mass right of 0 (½ by symmetry), the
    mean and sd of |θ| (the shape of one mode)."""

    prior = Prior(("theta",), np.array([-3.0]), np.array([3.0]), np.array([False]))
    y, s = 2.0, 0.5
    names = ("P(θ>0)", "mean |θ|", "sd |θ|")
    grid = np.linspace(-3.0, 3.0, 60_001)

    def batch(self, seed: int):
        def simulate(t: int, b: int, thetas: np.ndarray) -> np.ndarray:
            rng = np.random.default_rng([seed, 99, t, b])
            x = thetas[:, 0] ** 2 + self.s * rng.standard_normal(len(thetas))
            return np.abs(x - self.y)

        return simulate

    def one(self, theta: np.ndarray, rng: np.random.Generator) -> float:
        return abs(theta[0] ** 2 + self.s * rng.standard_normal() - self.y)

    @staticmethod
    def _summary(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        w = w / w.sum()
        a = np.abs(x)
        mean = float(w @ a)
        return np.array([float(w @ (x > 0)), mean, math.sqrt(float(w @ (a - mean) ** 2))])

    def estimates(self, theta, w) -> np.ndarray:
        return self._summary(theta[:, 0], w)

    def exact(self, eps: float) -> np.ndarray:
        g = self.grid
        dens = stats.norm.cdf((self.y + eps - g**2) / self.s) - stats.norm.cdf(
            (self.y - eps - g**2) / self.s
        )
        return self._summary(g, dens)


# --------------------------------------------------------------------------- the runs


def ours(problem, particles: int, populations: int, seed: int):
    pop = abc_smc(problem.prior, problem.batch(seed), particles, populations, master_seed=seed)[-1]
    assert len(pop.weights) == particles and pop.t == populations - 1
    return problem.estimates(pop.theta, pop.weights), pop.epsilon


def compare(problem, particles: int, populations: int, tmp_path) -> None:
    """The three checks of the module docstring, with a readable failure message."""
    runs = [ours(problem, particles, populations, seed) for seed in range(R)]
    est = np.array([e for e, _ in runs])
    eps = np.array([e for _, e in runs])
    err = est - np.array([problem.exact(e) for e in eps])
    sigma = err.std(axis=0, ddof=1)
    log_eps_sd = np.log(eps).std(ddof=1)

    ref = run_pyabc(problem.prior, problem.one, particles, populations, 7, tmp_path / "abc.db")
    assert len(ref.epsilons) == populations
    ref_est = problem.estimates(ref.theta, ref.weights)
    ref_err = ref_est - problem.exact(ref.epsilons[-1])

    table = "\n".join(
        f"  {n:12s} ours {m:+.4f} (bias {b:+.4f})  pyabc {p:+.4f} (error {e:+.4f})  σ {s:.4f}"
        for n, m, b, p, e, s in zip(
            problem.names, est.mean(0), err.mean(0), ref_est, ref_err, sigma, strict=True
        )
    )
    table += (
        f"\n  final ε: ours {np.exp(np.log(eps).mean()):.4f} (log-sd {log_eps_sd:.3f}), "
        f"pyabc {ref.epsilons[-1]:.4f}"
    )
    # ours is unbiased: the mean error of R runs is within K σ/√R of zero
    assert np.all(np.abs(err.mean(0)) <= K * sigma / math.sqrt(R)), "ours biased:\n" + table
    # pyabc is right: one run's error within K σ
    assert np.all(np.abs(ref_err) <= K * sigma), "pyabc off:\n" + table
    # they agree on the estimates and on the final tolerance
    spread = K * math.sqrt(1.0 + 1.0 / R)
    assert np.all(np.abs(ref_est - est.mean(0)) <= spread * est.std(0, ddof=1)), (
        "disagree:\n" + table
    )
    assert abs(math.log(ref.epsilons[-1]) - np.log(eps).mean()) <= spread * log_eps_sd, (
        "ε schedules disagree:\n" + table
    )


def test_gaussian_mean_1d_matches_exact_and_pyabc(tmp_path):
    compare(Gaussian1D(), particles=300, populations=5, tmp_path=tmp_path)


@pytest.mark.slow
def test_gaussian_2d_correlated_matches_exact_and_pyabc(tmp_path):
    compare(Gaussian2D(), particles=300, populations=7, tmp_path=tmp_path)


@pytest.mark.slow
def test_bimodal_matches_exact_and_pyabc(tmp_path):
    compare(Bimodal(), particles=300, populations=5, tmp_path=tmp_path)


def test_the_bias_check_catches_missing_importance_weights(monkeypatch):
    """The checks have teeth: ABC-SMC with equal weights instead of importance
    weights (a plausible bug) samples the perturbed proposals, not the posterior:
    its 1-D posterior sd comes out 0.06 too small, 11 σ/√R, and the bias check fails."""
    problem = Gaussian1D()

    def errors() -> np.ndarray:
        runs = (ours(problem, 300, 5, seed) for seed in range(R))
        return np.array([est - problem.exact(eps) for est, eps in runs])

    good = errors()
    monkeypatch.setattr(
        smc, "importance_weights", lambda theta, *a: np.full(len(theta), 1.0 / len(theta))
    )
    bad = errors()
    sigma = good.std(axis=0, ddof=1)
    assert np.all(np.abs(good.mean(0)) <= K * sigma / math.sqrt(R))
    assert np.abs(bad.mean(0)[1]) > K * sigma[1] / math.sqrt(R)


@pytest.mark.slow
def test_pyabc_through_a_batch_sampler_is_reproducible_resumable_and_right(tmp_path):
    """The prototype integration (reference.BatchSampler): pyabc proposes, our
    batches simulate. A run is bit-identical when repeated; a run that crashes
    mid-population and is started again over the stored batches (read back, as
    the engine's stores are) ends with the same posterior and simulates only the
    missing batches; and the posterior is the exact ABC posterior within K σ."""
    problem, n, pops = Gaussian1D(), 200, 4
    simulate = problem.batch(5)

    class Store:
        """Batches stored by (population, batch), like the engine's batch stores."""

        def __init__(self, crash_at=None):
            self.saved, self.ran, self.crash_at = {}, [], crash_at

        def __call__(self, t, b, thetas):
            if (t, b) not in self.saved:
                if (t, b) == self.crash_at:
                    raise KeyboardInterrupt("crash")
                self.saved[(t, b)] = (thetas.copy(), simulate(t, b, thetas))
                self.ran.append((t, b))
            stored_thetas, d = self.saved[(t, b)]
            assert np.array_equal(stored_thetas, thetas)  # the same proposals on resume
            return d

    def run(store, name):
        return run_pyabc(problem.prior, None, n, pops, 11, tmp_path / name, simulate_batch=store)

    full = Store()
    a = run(full, "a.db")
    crashed = Store(crash_at=(2, 1))
    with pytest.raises(KeyboardInterrupt):
        run(crashed, "b.db")
    before = set(crashed.saved)
    crashed.crash_at = None
    c = run(crashed, "c.db")
    assert np.array_equal(a.theta, c.theta) and np.array_equal(a.weights, c.weights)
    assert a.epsilons == c.epsilons and a.proposed == c.proposed
    resumed = set(crashed.ran[len(before) :])  # what the second start simulated
    assert before and not resumed & before  # stored batches were read back, not re-run
    assert resumed == set(full.saved) - before  # and exactly the missing ones ran

    runs = [ours(problem, n, pops, seed) for seed in range(R)]
    err = np.array([e - problem.exact(eps) for e, eps in runs])
    sigma = err.std(axis=0, ddof=1)
    a_err = problem.estimates(a.theta, a.weights) - problem.exact(a.epsilons[-1])
    assert np.all(np.abs(a_err) <= K * sigma), (a_err, sigma)
