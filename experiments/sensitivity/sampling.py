"""The SALib problem of a study and its seeded samples.

Every random choice of a study derives from its master seed:
:func:`stream_seed` gives a 32-bit seed for a named stream (the Sobol'
scrambling, the Morris trajectories, each bootstrap), so samples and
confidence intervals are the same on every machine and do not depend on
the order in which anything is computed. The streams are
``SeedSequence([master_seed, STREAM_TAG, crc32(name)])``, disjoint from the
run seeds, which the sweep derives from ``SeedSequence(master_seed)``.

Seed groups: the model's seed is treated as one more input, held with the
base row of the design (common random numbers). In a Saltelli design the
rows ``A``, ``AB_1 … AB_k`` of base sample ``n`` share one seed (they are
``A`` with one column changed) and ``B`` (and the ``BA_j``) another; the
rows of a Morris trajectory share one seed. So an elementary effect or a
Jansen difference ``f(A) − f(AB_j)`` compares runs that differ only in
factor ``j``, not also in their random numbers, and a design point's
no-policy reference runs with the same seed too.

The dummy factor is the exception: its ``AB_dummy`` (and ``BA_dummy``) rows
and the Morris rows after a dummy step run on seeds of their own, so the
dummy's differences are pure seed noise with no common-random-number
cancellation — the largest noise floor any factor can have, and the
yardstick of every verdict (:mod:`.sobol_noise`).

Nested sizes: the base rows of a Sobol' sequence of ``N = 2^m`` points
start with the ``N/2`` points of the same sequence, so the first ``n``
blocks of the design are the design of size ``n`` (:func:`nested_sizes`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.util import scale_samples
from scipy.stats import qmc

from .study import DUMMY, Study

STREAM_TAG = 0x5A1B  # keeps analysis streams apart from the run seeds


def stream_seed(master_seed: int, name: str) -> int:
    """A 32-bit seed for the named random stream of a study."""
    seq = np.random.SeedSequence([master_seed, STREAM_TAG, zlib.crc32(name.encode())])
    return int(seq.generate_state(1, dtype=np.uint32)[0])


def problem(study: Study) -> dict:
    """The SALib problem: names, bounds and distributions of the factors, in file order."""
    return {
        "num_vars": len(study.factors),
        "names": study.factor_names,
        "bounds": [f.salib_bounds() for f in study.factors],
        "dists": [f.salib_dist() for f in study.factors],
    }


@dataclass(frozen=True)
class Sample:
    """A method's design: factor values (one row per design point) and seed groups."""

    method: str
    X: np.ndarray
    groups: np.ndarray  # seed group of each row (rows of one group share run seeds)
    independent: np.ndarray | None = None  # rows that form an i.i.d.-like sample (None: all)

    def given_data_rows(self) -> np.ndarray:
        """Rows for a method that needs no special design (PAWN): for Sobol the base
        matrices A and B (2N independent quasi-random points, not the AB_j rows that
        repeat all but one of A's values); for Morris every row."""
        if self.independent is None:
            return np.arange(len(self.X))
        return np.flatnonzero(self.independent)

    @property
    def n_groups(self) -> int:
        """Number of seed groups (0 .. n_groups-1)."""
        return int(self.groups.max()) + 1 if len(self.groups) else 0


def sobol_design(study: Study) -> Sample:
    """The Saltelli/Sobol' design: ``N (k + 2)`` rows, or ``N (2k + 2)`` with second order."""
    spec = study.methods.sobol
    k = len(study.factors)
    X = sobol_sample.sample(
        problem(study),
        spec.base_samples,
        calc_second_order=spec.second_order,
        scramble=True,
        seed=stream_seed(study.master_seed, "sample/sobol"),
    )
    block = 2 * k + 2 if spec.second_order else k + 2
    position = np.arange(len(X)) % block
    base = np.arange(len(X)) // block
    # Rows 0..k of a block are A and the AB_j (A's random numbers); the rest
    # (the BA_j and B) are B's; AB_dummy and BA_dummy get seeds of their own.
    groups = 4 * base + (position > k)
    d = study.factor_names.index(DUMMY)
    groups[position == 1 + d] = 4 * base[position == 1 + d] + 2
    if spec.second_order:
        groups[position == k + 1 + d] = 4 * base[position == k + 1 + d] + 3
    independent = (position == 0) | (position == block - 1)  # A and B
    return Sample("sobol", X, groups.astype(np.int64), independent)


def nested_sizes(n: int, smallest: int = 32) -> list[int]:
    """The nested base-sample sizes of a Sobol' design of size ``n``: powers of two from
    ``smallest`` (or ``n`` if smaller) doubling up to ``n``."""
    sizes, m = [], min(smallest, n)
    while m <= n:
        sizes.append(m)
        m *= 2
    return sizes


def morris_design(study: Study) -> Sample:
    """Morris trajectories: ``r (k + 1)`` rows; one seed group per trajectory."""
    spec = study.methods.morris
    k = len(study.factors)
    X = morris_sample.sample(
        problem(study),
        spec.trajectories,
        num_levels=spec.levels,
        seed=stream_seed(study.master_seed, "sample/morris"),
    )
    # One seed group per trajectory, except that the rows after a step in the
    # dummy start a new group: the dummy's elementary effect compares runs on
    # independent seeds, every other factor's runs on common ones.
    d = study.factor_names.index(DUMMY)
    step = np.zeros(len(X), dtype=bool)
    step[1:] = X[1:, d] != X[:-1, d]
    step[:: k + 1] = True  # each trajectory starts a new group
    groups = np.cumsum(step) - 1
    return Sample("morris", X, groups.astype(np.int64))


# Rows of one member of the lever ensemble: every lever off, one lever at its upper
# bound (in study order), every lever at its upper bound.
OFF, ALL = "off", "all_levers"


def lever_rows(study: Study) -> list[str]:
    """The row labels of one member of the lever ensemble, in order."""
    return [OFF, *(f.name for f in study.levers), ALL]


def levers_design(study: Study) -> Sample:
    """The lever ensemble: ``members`` uncertainty draws (a scrambled Sobol' sequence over
    the parameters and the dummy) × (every lever off, each lever alone at its upper bound,
    every lever at its upper bound). A member's rows share one seed group, so a lever's
    effect is a paired difference on common random numbers; the members are independent."""
    spec = study.methods.levers
    names = study.factor_names
    uncertain = [i for i, f in enumerate(study.factors) if not f.is_lever]
    sub = {
        "num_vars": len(uncertain),
        "names": [names[i] for i in uncertain],
        "bounds": [study.factors[i].salib_bounds() for i in uncertain],
        "dists": [study.factors[i].salib_dist() for i in uncertain],
    }
    unit = qmc.Sobol(
        d=len(uncertain), scramble=True, seed=stream_seed(study.master_seed, "sample/levers")
    ).random(spec.members)
    draws = scale_samples(unit.copy(), sub)
    labels = lever_rows(study)
    X = np.zeros((spec.members * len(labels), len(names)))
    for m in range(spec.members):
        for r, label in enumerate(labels):
            row = m * len(labels) + r
            X[row, uncertain] = draws[m]
            for f_i, f in enumerate(study.factors):
                if f.is_lever and label in (f.name, ALL):
                    X[row, f_i] = f.bounds[1]
                elif f.is_lever:
                    X[row, f_i] = f.bounds[0]
    groups = np.arange(len(X)) // len(labels)
    return Sample("levers", X, groups.astype(np.int64))


def designs(study: Study) -> dict[str, Sample]:
    """Every design the study runs, by method."""
    makers = {"sobol": sobol_design, "morris": morris_design, "levers": levers_design}
    return {m: makers[m](study) for m in study.methods.samples}
