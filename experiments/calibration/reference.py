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


class _Proposed(Exception):  # noqa: N818 - a signal, not an error
    """Raised by the model in the recording pass: carries the proposed parameters."""

    def __init__(self, theta: np.ndarray):
        super().__init__()
        self.theta = theta


class BatchSampler:
    """A prototype of pyabc driving our engine: a ``pyabc.sampler.Sampler`` that
    evaluates proposals in fixed batches, in proposal order.

    pyabc hands a sampler an opaque ``simulate_one()`` that proposes (with the
    global ``np.random``), simulates (calls the model) and accepts in one call.
    This sampler calls it twice per proposal with ``np.random`` seeded from
    ``SeedSequence(master_seed, spawn_key=(t, batch, index))``:

    1. recording: the model raises :class:`_Proposed` with the parameters, so a
       whole batch of proposals is known before anything runs;
    2. the batch goes to ``simulate_batch(t, batch, thetas) -> distances`` —
       in the pipeline that is ``Engine.simulate``: run specs into an engine
       store, on any executor, read back when already stored (resume);
    3. replaying: the same seed draws the same proposal; the model checks that
       and returns the stored distance, and pyabc accepts and weights it.

    The first n accepted in index order are kept, so the population depends
    only on the master seed, not on workers or completion order. Build with
    :meth:`create` (pyabc's Sampler class is imported only then).
    """

    @classmethod
    def create(cls, names, simulate_batch, master_seed: int, batch_size: int, max_batches: int):
        import pyabc

        class _Sampler(cls, pyabc.sampler.Sampler):
            pass

        sampler = _Sampler()
        pyabc.sampler.Sampler.__init__(sampler)
        sampler.names, sampler.simulate_batch = list(names), simulate_batch
        sampler.master_seed, sampler.batch_size = master_seed, batch_size
        sampler.max_batches, sampler._replay = max_batches, None
        return sampler

    def seed(self, t: int, batch: int, index: int) -> int:
        seq = np.random.SeedSequence(self.master_seed, spawn_key=(t, batch, index))
        return int(seq.generate_state(1)[0])

    def model(self, par) -> dict:
        """The pyabc model: records in the first pass, answers from the batch in the second."""
        theta = np.array([par[n] for n in self.names], dtype=float)
        if self._replay is None:
            raise _Proposed(theta)
        expected, distance = self._replay
        if not np.array_equal(theta, expected):
            raise RuntimeError("pyabc drew another proposal on replay: not deterministic")
        return {"d": float(distance)}

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        sample, evaluations = self._create_empty_sample(), 0
        for batch in range(self.max_batches):
            seeds = [self.seed(t, batch, i) for i in range(self.batch_size)]
            thetas = []
            for s in seeds:
                np.random.seed(s)  # noqa: NPY002 - pyabc proposes with the global state
                try:
                    simulate_one()
                except _Proposed as proposal:
                    thetas.append(proposal.theta)
            distances = np.asarray(self.simulate_batch(t, batch, np.array(thetas)), dtype=float)
            for s, theta, d in zip(seeds, thetas, distances, strict=True):
                np.random.seed(s)  # noqa: NPY002 - the same proposal again
                self._replay = (theta, d)
                try:
                    sample.append(simulate_one())
                finally:
                    self._replay = None
                evaluations += 1
                if sample.n_accepted >= n:
                    break
            if sample.n_accepted >= n:
                break
        self.nr_evaluations_ = evaluations
        if sample.n_accepted < n:
            sample.ok = False
        return sample


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
    distance: Callable[[np.ndarray, np.random.Generator], float] | None,
    particles: int,
    populations: int,
    seed: int,
    db: str | Path,
    quantile: float = 0.5,
    min_acceptance: float = 0.0,
    simulate_batch=None,
) -> ReferenceResult:
    """Run pyabc's ABCSMC with our algorithm's settings; return its last population.

    With ``simulate_batch(t, batch, thetas) -> distances`` (our ``Simulate``
    callback) instead of ``distance``, pyabc samples through the prototype
    :class:`BatchSampler` (batches of ``particles``, seeded by ``seed``).
    """
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

    sampler = pyabc.sampler.SingleCoreSampler()
    if simulate_batch is not None:
        budget = int(np.ceil(1.0 / min_acceptance)) if min_acceptance > 0 else 50
        sampler = BatchSampler.create(names, simulate_batch, seed, particles, budget)
        model = sampler.model

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
        sampler=sampler,
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
