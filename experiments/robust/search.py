"""Many-objective search over lever mixes: NSGA-II (Deb et al. 2002) from pymoo.

Generic: :func:`nsga2` minimises any vector objective ``evaluate(generation, X)
-> F`` over a box, driving pymoo's ask/tell interface so that the caller
evaluates each generation itself (the robust pipeline runs it through the
engine's runner into one store per generation). pymoo draws from its own
seeded generator, so the same seed asks the same candidates again — which
is what lets a resumed study find its stored generations.

Every candidate ever evaluated is kept (the archive); the result is its
non-dominated set, and the hypervolume of the archive's non-dominated set
after each generation shows convergence. Objectives are normalised for the
hypervolume by the ideal and nadir of the whole archive, with the reference
point at 1.1 in every normalised objective.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pymoo.algorithms.moo.nsga2 import NSGA2
from pymoo.core.evaluator import Evaluator
from pymoo.core.problem import Problem
from pymoo.core.termination import NoTermination
from pymoo.indicators.hv import HV
from pymoo.operators.sampling.lhs import LHS
from pymoo.problems.static import StaticProblem
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

REFERENCE = 1.1


@dataclass
class SearchResult:
    """Every evaluated candidate (``X``, ``F``, ``generation``), the indices of the
    non-dominated ones and the hypervolume after each generation."""

    X: np.ndarray
    F: np.ndarray
    generation: np.ndarray
    pareto: np.ndarray
    history: pd.DataFrame


def non_dominated(F: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``F`` no other row dominates (minimisation);
    of identical rows only the first is kept."""
    F = np.asarray(F, dtype=float)
    keep = np.zeros(len(F), dtype=bool)
    if len(F):
        _, first = np.unique(F, axis=0, return_index=True)
        front = NonDominatedSorting().do(F[first], only_non_dominated_front=True)
        keep[first[front]] = True
    return keep


def hypervolume(F: np.ndarray, ideal: np.ndarray, nadir: np.ndarray) -> float:
    """Hypervolume of the non-dominated rows of ``F`` after normalising to [0, 1]
    between ``ideal`` and ``nadir``; reference point 1.1 in every objective."""
    span = np.where(nadir > ideal, nadir - ideal, 1.0)
    front = (np.asarray(F)[non_dominated(F)] - ideal) / span
    return float(HV(ref_point=np.full(F.shape[1], REFERENCE))(front))


def nsga2(
    evaluate: Callable[[int, np.ndarray], np.ndarray],
    lower: np.ndarray,
    upper: np.ndarray,
    n_obj: int,
    population: int,
    generations: int,
    seed: int,
) -> SearchResult:
    """Minimise ``evaluate`` over the box ``[lower, upper]`` with NSGA-II.

    Generation 0 is a Latin hypercube of ``population`` points; each later
    generation asks ``population`` offspring. ``evaluate(g, X)`` returns an
    array ``(len(X), n_obj)``.
    """
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    problem = Problem(n_var=len(lower), n_obj=n_obj, xl=lower, xu=upper)
    algorithm = NSGA2(pop_size=population, n_offsprings=population, sampling=LHS(), seed=seed)
    algorithm.setup(problem, termination=NoTermination(), verbose=False)
    xs, fs, gens = [], [], []
    for g in range(generations):
        pop = algorithm.ask()
        X = pop.get("X")
        F = np.asarray(evaluate(g, X), dtype=float)
        if F.shape != (len(X), n_obj):
            raise ValueError(f"evaluate returned shape {F.shape}, expected {(len(X), n_obj)}")
        Evaluator().eval(StaticProblem(problem, F=F), pop)
        algorithm.tell(infills=pop)
        xs.append(X)
        fs.append(F)
        gens.append(np.full(len(X), g))
    X, F, generation = np.vstack(xs), np.vstack(fs), np.concatenate(gens)
    return SearchResult(X, F, generation, np.flatnonzero(non_dominated(F)), history(F, generation))


def history(F: np.ndarray, generation: np.ndarray) -> pd.DataFrame:
    """Per generation: candidates evaluated so far, size of their non-dominated set and
    its hypervolume (the set is updated from the last one and the new generation)."""
    ideal, nadir = F.min(axis=0), F.max(axis=0)
    rows, front = [], np.empty((0, F.shape[1]))
    for g in np.unique(generation):
        pool = np.vstack([front, F[generation == g]])
        front = pool[non_dominated(pool)]
        rows.append(
            {
                "generation": int(g),
                "evaluated": int((generation <= g).sum()),
                "non_dominated": len(front),
                "hypervolume": hypervolume(front, ideal, nadir),
            }
        )
    return pd.DataFrame(rows)


def spread_pick(F: np.ndarray, k: int, column: int) -> np.ndarray:
    """Indices of at most ``k`` rows of ``F`` spread evenly along one objective
    (always the two extremes), to keep a long Pareto set readable."""
    order = np.argsort(F[:, column], kind="stable")
    if len(order) <= k:
        return order
    picks = np.unique(np.round(np.linspace(0, len(order) - 1, k)).astype(int))
    return order[picks]
