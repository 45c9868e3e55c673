"""Futures ensembles: Latin hypercube samples of the uncertainties plus the storylines.

A *future* is one combination of scenario drivers and uncertain model
parameters, and one random seed (per replication). Every policy is run on
the same futures with the same seeds (common random numbers), so a
difference between two policies in one future is the policies' doing, not
the dice's.

Two ensembles, drawn from disjoint random streams of the master seed:

- ``evaluate``: ``ensemble.futures`` Latin hypercube futures on the base
  scenario, then each storyline as a labelled future with its own driver
  paths and the model parameters at their params values. Every policy the
  study judges — packages, named mixes and the mixes found by search — is
  evaluated here;
- ``search``: ``search.futures`` Latin hypercube futures only, the ones the
  search optimises on. The evaluation ensemble is never seen by the search,
  so the Pareto mixes are judged out of sample.

With a posterior every future — sampled or storyline, in either ensemble —
also carries one particle drawn from it by weight: future ``f`` of an
ensemble draws from its own generator, seeded by the master seed, the
ensemble's name and ``f`` (so a future's particle does not depend on how
many futures there are). The particle's id and parameter values are columns
of the futures table, and every policy judged on the future runs with the
same particle, as it runs with the same seed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from ..engine.design import run_seeds
from .study import RobustStudy, nominal, overrides_at

STREAM_TAG = 0x40B5  # keeps the study's streams apart from other seeds of the master
SAMPLED = "sampled"
PARTICLE = "particle"  # futures-table column: the posterior particle the future carries


def stream_seed(master_seed: int, name: str) -> int:
    """A 32-bit seed for the named random stream of a study."""
    seq = np.random.SeedSequence([master_seed, STREAM_TAG, zlib.crc32(name.encode())])
    return int(seq.generate_state(1, dtype=np.uint32)[0])


@dataclass(frozen=True)
class Ensemble:
    """Futures (``frame``: future, label, scenario, kind, one column per uncertainty)
    and their run seeds, shape ``(futures, replications)``."""

    name: str
    frame: pd.DataFrame
    seeds: np.ndarray

    @property
    def n(self) -> int:
        """Number of futures."""
        return len(self.frame)


def latin_hypercube(study: RobustStudy, n: int, stream: str) -> np.ndarray:
    """``n`` Latin hypercube points scaled to the uncertainties' bounds, ``(n, d)``."""
    d = len(study.uncertainties)
    rng = np.random.default_rng(stream_seed(study.master_seed, stream))
    unit = qmc.LatinHypercube(d=d, rng=rng).random(n)
    low = np.array([u.bounds[0] for u in study.uncertainties])
    high = np.array([u.bounds[1] for u in study.uncertainties])
    return qmc.scale(unit, low, high) if d else unit


def _frame(
    study: RobustStudy, values: np.ndarray, labels, scenarios, kinds, stream: str
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"future": np.arange(len(values)), "label": labels, "scenario": scenarios, "kind": kinds}
    )
    for j, name in enumerate(study.uncertainty_names):
        frame[name] = values[:, j]
    if study.posterior is not None:
        post = study.posterior.frame
        rows = particle_rows(study, len(frame), stream)
        frame[PARTICLE] = post["particle"].to_numpy()[rows]
        for name in study.posterior_names:
            frame[name] = post[name].to_numpy(dtype=float)[rows]
    return frame


def particle_rows(study: RobustStudy, n: int, stream: str) -> np.ndarray:
    """Rows of the posterior table drawn by weight for futures ``0 … n-1`` of an ensemble:
    future ``f`` draws with its own generator (master seed, stream, ``f``)."""
    weights = study.posterior.frame["weight"].to_numpy(dtype=float)
    p = weights / weights.sum()
    seed = stream_seed(study.master_seed, f"posterior/{stream}")
    return np.array(
        [
            np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(f,))).choice(len(p), p=p)
            for f in range(n)
        ],
        dtype=int,
    )


def evaluation_ensemble(study: RobustStudy) -> Ensemble:
    """The sampled futures, then the storylines (labelled by name)."""
    sampled = latin_hypercube(study, study.futures, "futures/evaluate")
    stories = np.array(
        [[nominal(study.targets[s], u) for u in study.uncertainties] for s in study.storylines]
    ).reshape(len(study.storylines), len(study.uncertainties))
    values = np.vstack([sampled, stories])
    n = study.futures
    labels = [f"future-{i:04d}" for i in range(n)] + list(study.storylines)
    scenarios = [study.base_scenario] * n + list(study.storylines)
    kinds = [SAMPLED] * n + ["storyline"] * len(study.storylines)
    frame = _frame(study, values, labels, scenarios, kinds, "evaluate")
    seeds = run_seeds(
        stream_seed(study.master_seed, "runs/evaluate"), len(frame), study.replications
    )
    return Ensemble("evaluate", frame, seeds)


def search_ensemble(study: RobustStudy) -> Ensemble:
    """The futures the search optimises on (sampled only; disjoint from the evaluation's)."""
    n = study.search.futures
    values = latin_hypercube(study, n, "futures/search")
    labels = [f"search-future-{i:04d}" for i in range(n)]
    frame = _frame(study, values, labels, [study.base_scenario] * n, [SAMPLED] * n, "search")
    seeds = run_seeds(stream_seed(study.master_seed, "runs/search"), n, study.replications)
    return Ensemble("search", frame, seeds)


def future_overrides(study: RobustStudy, row: pd.Series | dict) -> dict[str, float]:
    """The params overrides that put the uncertainties at one future's values and, with
    a posterior, its particle's parameters on the future's scenario."""
    targets = study.targets[row["scenario"]]
    out: dict[str, float] = {}
    for u in study.uncertainties:
        out.update(overrides_at(targets, u, float(row[u.name])))
    if study.posterior is not None:
        post = study.posterior
        index = np.flatnonzero(post.frame["particle"].to_numpy() == row[PARTICLE])[0]
        out.update(post.overrides(int(index), study.posterior_params[row["scenario"]]))
    return out
