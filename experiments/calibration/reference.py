"""pyabc configured as our ABC-SMC: the maintained reference the tests and the
benchmark check ``smc.abc_smc`` against (development only; pyabc is a ``dev`` extra).

The settings make pyabc run the same algorithm as :mod:`.smc`, so that the two
posteriors differ only by Monte-Carlo error:

* population 0: every prior draw accepted (``initial_epsilon = inf``), as ours;
* ε_t = the unweighted ``quantile`` of population t−1's distances
  (``QuantileEpsilon(weighted=False)``), as ours;
* perturbation: an ancestor by weight plus a Gaussian step with twice the
  weighted covariance (``MultivariateNormalTransition(scaling=2)`` with a
  bandwidth factor of 1 instead of pyabc's default Silverman factor), as ours;
* proposals outside the prior's support are drawn again and the weights are
  prior(θ) / Σ_j w_j K(θ | θ_j) — pyabc's own, the same as ours;
* single-core sampling with the global ``np.random`` seeded, so a run is
  reproducible; its SQLite history goes where the caller says.

The model is a callback ``distance(theta, rng) -> float`` of one parameter
vector; ``rng`` is a Generator seeded from ``np.random`` for each proposal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .smc import Prior


@dataclass
class ReferenceResult:
    """pyabc's last population and its schedule."""

    theta: np.ndarray  # (N, dim), columns in the prior's order
    weights: np.ndarray  # sum 1
    epsilons: list[float]  # ε per population (inf for population 0)
    proposed: list[int]  # simulations per population
    seconds: float

    @property
    def ess(self) -> float:
        return float(1.0 / np.sum(self.weights**2))

    @property
    def acceptance(self) -> list[float]:
        n = len(self.weights)
        return [n / p for p in self.proposed]


def pyabc_prior(prior: Prior):
    """Our priors as a ``pyabc.Distribution`` (uniform or log-uniform per parameter)."""
    import pyabc

    rvs = {}
    for name, lo, hi, log in zip(prior.names, prior.low, prior.high, prior.log, strict=True):
        if log:
            rvs[name] = pyabc.RV("loguniform", float(lo), float(hi))
        else:
            rvs[name] = pyabc.RV("uniform", float(lo), float(hi - lo))
    return pyabc.Distribution(**rvs)


def run_pyabc(
    prior: Prior,
    distance: Callable[[np.ndarray, np.random.Generator], float],
    particles: int,
    populations: int,
    seed: int,
    db: str | Path,
    quantile: float = 0.5,
    min_acceptance: float = 0.0,
) -> ReferenceResult:
    """Run pyabc's ABCSMC with our algorithm's settings; return its last population."""
    import time

    import pyabc

    for name in ("ABC", "Sampler", "Epsilon", "History", "Distance", "Acceptor"):
        logging.getLogger(f"ABC.{name}" if name != "ABC" else name).setLevel(logging.WARNING)
    logging.getLogger("ABC").setLevel(logging.WARNING)
    names = list(prior.names)

    def model(par) -> dict:
        theta = np.array([par[n] for n in names], dtype=float)
        rng = np.random.default_rng(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 (pyabc draws from the global state)
        return {"d": float(distance(theta, rng))}

    def model_distance(x, x0) -> float:
        return x["d"]  # the model returns its distance to the data already

    np.random.seed(seed)  # noqa: NPY002 (pyabc draws from the global state; this is its seed)
    abc = pyabc.ABCSMC(
        model,
        pyabc_prior(prior),
        model_distance,
        population_size=particles,
        transitions=pyabc.MultivariateNormalTransition(
            scaling=2.0, bandwidth_selector=lambda n, d: 1.0
        ),
        eps=pyabc.QuantileEpsilon(initial_epsilon=np.inf, alpha=quantile, weighted=False),
        sampler=pyabc.sampler.SingleCoreSampler(),
    )
    abc.new(f"sqlite:///{Path(db).resolve()}", {"d": 0.0})
    start = time.perf_counter()
    # pyabc compares ε_t with ε_{t-1}; ε_0 = ∞ makes that ∞ − ∞ once (harmless, not a stop)
    with np.errstate(invalid="ignore"):
        history = abc.run(max_nr_populations=populations, min_acceptance_rate=min_acceptance)
    seconds = time.perf_counter() - start
    frame, w = history.get_distribution(m=0, t=history.max_t)
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0].sort_values("t")
    return ReferenceResult(
        theta=frame[names].to_numpy(dtype=float),
        weights=np.asarray(w, dtype=float) / np.sum(w),
        epsilons=[float(e) for e in pops["epsilon"]],
        proposed=[int(s) for s in pops["samples"]],
        seconds=seconds,
    )
