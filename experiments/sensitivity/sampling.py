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
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from .study import Study

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
    # (the BA_j and B) are B's.
    groups = 2 * base + (position > k)
    independent = (position == 0) | (position == block - 1)  # A and B
    return Sample("sobol", X, groups.astype(np.int64), independent)


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
    groups = np.arange(len(X)) // (k + 1)
    return Sample("morris", X, groups.astype(np.int64))


def designs(study: Study) -> dict[str, Sample]:
    """Every design the study runs, by method."""
    makers = {"sobol": sobol_design, "morris": morris_design}
    return {m: makers[m](study) for m in study.methods.samples}
