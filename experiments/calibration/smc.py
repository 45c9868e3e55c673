"""ABC-SMC, the algorithm only (no model, no files): priors, the perturbation
kernel, importance weights, the tolerance schedule and the population loop.

Population-Monte-Carlo ABC of Beaumont, Cornuet, Marin & Robert (2009,
*Biometrika* 96:983) with the adaptive tolerances of Del Moral, Doucet & Jasra
(2012, *Stat. Comput.* 22:1009):

* population 0: N draws from the prior, all kept, equal weights;
* population t ≥ 1: ε_t is the ``quantile`` of population t−1's distances;
  proposals pick an ancestor by weight and add a Gaussian step with twice the
  weighted covariance of population t−1 (Beaumont et al.'s optimal scale);
  steps outside the prior's support are drawn again; a proposal is accepted if
  its simulated distance is at most ε_t, until N are accepted;
* importance weight of an accepted θ: prior(θ) / Σ_j w_j K(θ | θ_j).

Simulation is a callback, ``simulate(t, batch, thetas) -> distances``, so the
loop runs the same on any engine. Proposals come in batches of N; a batch's
random numbers come from a SeedSequence keyed by (population, batch), and the
first N accepted in proposal order are kept — so the result depends only on
the master seed, never on how or where the simulations ran.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import linalg, stats

PROPOSAL_STREAM = 0  # spawn-key slot of the proposal generator of a batch
RUN_STREAM = 1  # spawn-key slot of the run seeds of a batch


@dataclass(frozen=True)
class Prior:
    """Independent uniform (or log-uniform) priors on named parameters."""

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    log: np.ndarray  # bool per parameter: log-uniform

    @property
    def dim(self) -> int:
        return len(self.names)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n draws, shape (n, dim)."""
        u = rng.random((n, self.dim))
        lo = np.where(self.log, np.log(self._positive(self.low)), self.low)
        hi = np.where(self.log, np.log(self._positive(self.high)), self.high)
        x = lo + u * (hi - lo)
        return np.where(self.log, np.exp(x), x)

    def _positive(self, x: np.ndarray) -> np.ndarray:
        """x where log-uniform, 1 elsewhere (so logs are taken only where meant)."""
        return np.where(self.log, x, 1.0)

    def inside(self, theta: np.ndarray) -> np.ndarray:
        """True for rows inside the support."""
        return np.all((theta >= self.low) & (theta <= self.high), axis=1)

    def density(self, theta: np.ndarray) -> np.ndarray:
        """Prior density of each row (0 outside the support)."""
        ratio = self._positive(self.high) / self._positive(self.low)
        width = np.where(self.log, np.log(ratio), self.high - self.low)
        scale = np.where(self.log, np.abs(theta), 1.0)
        per = 1.0 / (scale * width)
        return np.where(self.inside(theta), np.prod(per, axis=1), 0.0)

    def mean(self) -> np.ndarray:
        """Prior means."""
        ratio = self._positive(self.high) / self._positive(self.low)
        log_mean = (self.high - self.low) / np.where(self.log, np.log(ratio), 1.0)
        return np.where(self.log, log_mean, (self.low + self.high) / 2.0)

    def sd(self) -> np.ndarray:
        """Prior standard deviations."""
        uniform_sd = (self.high - self.low) / np.sqrt(12.0)
        ratio = self._positive(self.high) / self._positive(self.low)
        width = np.where(self.log, np.log(ratio), 1.0)
        second = (self.high**2 - self.low**2) / (2.0 * width)
        log_sd = np.sqrt(np.maximum(second - self.mean() ** 2, 0.0))
        return np.where(self.log, log_sd, uniform_sd)


@dataclass
class Population:
    """One ABC-SMC population: accepted particles, weights (sum 1), distances."""

    t: int
    theta: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    epsilon: float
    proposed: int
    batches: int

    @property
    def acceptance(self) -> float:
        return len(self.weights) / self.proposed if self.proposed else float("nan")

    @property
    def ess(self) -> float:
        """Effective sample size of the weights."""
        return float(1.0 / np.sum(self.weights**2))


def sequence(master_seed: int, *key: int) -> np.random.SeedSequence:
    """The SeedSequence of a (population, batch, stream) key under the master seed."""
    return np.random.SeedSequence(master_seed, spawn_key=tuple(int(k) for k in key))


def run_seeds(master_seed: int, t: int, batch: int, n: int) -> np.ndarray:
    """n run seeds (non-negative int64) of one batch of proposals."""
    children = sequence(master_seed, t, batch, RUN_STREAM).spawn(n)
    return np.array(
        [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children],
        dtype=np.int64,
    )


def kernel_covariance(pop: Population) -> np.ndarray:
    """Twice the weighted covariance of a population (Beaumont et al. 2009).

    A tiny ridge keeps it positive definite when a parameter has collapsed.
    """
    cov = np.atleast_2d(np.cov(pop.theta, rowvar=False, aweights=pop.weights, ddof=0))
    cov = 2.0 * cov
    ridge = 1e-10 * max(float(np.trace(cov)), 1e-12)
    return cov + ridge * np.eye(cov.shape[0])


def propose(
    rng: np.random.Generator, pop: Population, prior: Prior, cov: np.ndarray, n: int
) -> np.ndarray:
    """n perturbed particles inside the prior's support, shape (n, dim)."""
    out = np.empty((n, prior.dim))
    todo = np.arange(n)
    chol = np.linalg.cholesky(cov)
    for _ in range(10_000):
        ancestors = rng.choice(len(pop.weights), size=todo.size, p=pop.weights)
        step = rng.standard_normal((todo.size, prior.dim)) @ chol.T
        candidate = pop.theta[ancestors] + step
        ok = prior.inside(candidate)
        out[todo[ok]] = candidate[ok]
        todo = todo[~ok]
        if todo.size == 0:
            return out
    raise RuntimeError("could not propose inside the prior's support (kernel far too wide)")


def kernel_density(diffs: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """N(d; 0, cov) of each row d of diffs."""
    dim = cov.shape[0]
    eig = np.linalg.eigvalsh(cov)
    if eig.min() > 1e6 * np.finfo(float).eps * eig.max():
        kernel = stats.multivariate_normal(mean=np.zeros(dim), cov=cov, allow_singular=True)
        return np.atleast_1d(kernel.pdf(diffs))
    # A collapsed parameter: scipy would take the ridge's directions (eigenvalues
    # below 2e-10 of the largest) as singular and give density 0 off them, although
    # the proposals were drawn with that ridge — every weight would be 0/0. The
    # exact density of the ridged covariance (Cholesky) is finite.
    chol = np.linalg.cholesky(cov)
    z = linalg.solve_triangular(chol, diffs.T, lower=True)
    log = -0.5 * np.sum(z**2, axis=0) - np.log(np.diag(chol)).sum() - 0.5 * dim * np.log(2 * np.pi)
    return np.exp(log)


def importance_weights(
    theta: np.ndarray, pop: Population, prior: Prior, cov: np.ndarray
) -> np.ndarray:
    """prior(θ) / Σ_j w_j N(θ; θ_j, cov), normalised to sum 1."""
    diffs = theta[:, None, :] - pop.theta[None, :, :]
    dens = kernel_density(diffs.reshape(-1, prior.dim), cov).reshape(len(theta), len(pop.theta))
    w = prior.density(theta) / (dens @ pop.weights)
    return w / w.sum()


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | np.ndarray):
    """Quantile(s) of a weighted sample (linear between the weighted midpoints)."""
    order = np.argsort(values, kind="stable")
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cum, v)


Simulate = Callable[[int, int, np.ndarray], np.ndarray]


def abc_smc(
    prior: Prior,
    simulate: Simulate,
    particles: int,
    populations: int,
    master_seed: int,
    quantile: float = 0.5,
    min_acceptance: float = 0.02,
    on_population: Callable[[Population], None] | None = None,
) -> list[Population]:
    """Run ABC-SMC; return the populations (the last is the posterior sample).

    ``simulate(t, batch, thetas)`` returns the distance of each row of
    ``thetas``, simulated with the seeds :func:`run_seeds` gives for
    (t, batch). Stops after ``populations`` or when a population's acceptance
    rate falls below ``min_acceptance``; a population is abandoned (and the
    previous one returned) if it cannot reach N acceptances within
    N / min_acceptance proposals.
    """
    rng = np.random.default_rng(sequence(master_seed, 0, 0, PROPOSAL_STREAM))
    theta = prior.sample(rng, particles)
    d = np.asarray(simulate(0, 0, theta), dtype=float)
    finite = np.isfinite(d)
    if not finite.any():
        raise RuntimeError("every simulation of the first population failed")
    weights = finite / finite.sum()
    pops = [Population(0, theta, weights, d, float("inf"), particles, 1)]
    if on_population:
        on_population(pops[-1])
    max_batches = int(np.ceil(1.0 / min_acceptance))
    for t in range(1, populations):
        prev = pops[-1]
        keep = np.isfinite(prev.distances) & (prev.weights > 0)
        epsilon = float(np.quantile(prev.distances[keep], quantile))
        cov = kernel_covariance(prev)
        got_theta, got_d, proposed = [], [], 0
        for batch in range(max_batches):
            rng = np.random.default_rng(sequence(master_seed, t, batch, PROPOSAL_STREAM))
            theta = propose(rng, prev, prior, cov, particles)
            d = np.asarray(simulate(t, batch, theta), dtype=float)
            for i in np.flatnonzero(d <= epsilon):
                if len(got_d) < particles:
                    got_theta.append(theta[i])
                    got_d.append(d[i])
                    last = i
            if len(got_d) >= particles:
                proposed += last + 1  # proposals up to the N-th accepted one
                break
            proposed += particles
        else:
            return pops  # not enough accepted within the budget: keep what we have
        theta = np.array(got_theta)
        weights = importance_weights(theta, prev, prior, cov)
        pop = Population(t, theta, weights, np.array(got_d), epsilon, proposed, batch + 1)
        pops.append(pop)
        if on_population:
            on_population(pop)
        if pop.acceptance < min_acceptance:
            break
    return pops
