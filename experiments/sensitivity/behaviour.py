"""Calibrated behaviour as one grouped factor: a study's parameter sets drawn from a posterior.

A sensitivity study file may name a stored calibration posterior
(``posterior = "PATH"``, relative to the file; docs/calibration.md). The
behavioural parameters the posterior sets (:attr:`Posterior.names`, the
``transfer = true`` ones: logit scale, agglomeration, moving cost,
relocation hazard, rent and amenity weights) then stop being independent
factors with ranges of their own. The study adds ONE factor instead,
``calibrated_behaviour``, whose value ``u`` in [0, 1) picks a particle of
the posterior:

1. the posterior's weighted particles are resampled once into ``M``
   (:data:`SLOTS`) equally weighted slots by systematic resampling with an
   offset drawn from ``SeedSequence([master_seed, STREAM])``, so particle
   *i* fills ``floor(M w_i)`` or ``ceil(M w_i)`` slots (a draw with
   probability ``w_i`` up to ``1/M``);
2. the slots are ordered along the posterior's first principal component
   (standardised parameters), so that nearby ``u`` give similar behaviour:
   Morris steps and the Gaussian-process emulator see a smoother function
   (Sobol' and PAWN indices do not depend on the order);
3. ``u`` picks slot ``floor(u M)``; the run gets that particle's overrides
   (:meth:`Posterior.overrides`: ``set`` parameters take the particle's
   value, ``scale`` ones multiply the scenario's own values).

Why one grouped factor and not one factor per parameter: Sobol' (and
Morris and PAWN) indices assume independent factors, sampled from a
product of marginals. The posterior is a joint distribution whose
parameters are correlated (history pins combinations, e.g. the logit
scale against the utility weights it divides), so sampling them as
independent factors would run parameter sets history rules out. A
uniform ``u`` mapped to a draw from the joint posterior is one
independent factor with exactly the posterior's distribution (the
grouped-factor approach of Jacques et al. 2006, "Sensitivity analysis
in presence of model uncertainty and correlated inputs"). Its indices
read as *how much of the outcome's variance is parameter uncertainty
left by history*, next to the levers and the scenario uncertainties; they
cannot say which of the grouped parameters matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..calibration.posterior import Posterior
    from .study import Factor

NAME = "calibrated_behaviour"
LABEL = "Calibrated behaviour (posterior draw)"
SLOTS = 4096  # resampled slots: particle i's share is within 1/4096 of its weight
STREAM = 0xCA1B  # keeps the resampling offset apart from run seeds and sample streams


def resample(posterior: Posterior, master_seed: int, m: int = SLOTS) -> np.ndarray:
    """The posterior's row index in each of ``m`` equally weighted slots (see the module doc)."""
    w = posterior.frame["weight"].to_numpy(dtype=float)
    w = w / w.sum()
    rng = np.random.default_rng(np.random.SeedSequence([master_seed, STREAM]))
    positions = (rng.random() + np.arange(m)) / m
    rows = np.minimum(np.searchsorted(np.cumsum(w), positions, side="right"), len(w) - 1)
    order = np.lexsort((rows, principal_score(posterior)[rows]))
    return rows[order]


def principal_score(posterior: Posterior) -> np.ndarray:
    """Each particle's score on the weighted first principal component of the transferred
    parameters (standardised), signed so that its largest loading is positive."""
    names = posterior.names
    x = posterior.frame[names].to_numpy(dtype=float)
    w = posterior.frame["weight"].to_numpy(dtype=float)
    w = w / w.sum()
    mean = w @ x
    sd = np.sqrt(w @ (x - mean) ** 2)
    z = (x - mean) / np.where(sd > 0, sd, 1.0)
    _, _, vt = np.linalg.svd(z * np.sqrt(w)[:, None], full_matrices=False)
    loading = vt[0]
    if loading[np.argmax(np.abs(loading))] < 0:
        loading = -loading
    return z @ loading


@dataclass(frozen=True, eq=False)  # compared by identity (it holds arrays and frames)
class Behaviour:
    """A posterior as a study's grouped factor: its slots and each scenario's overrides."""

    posterior: Posterior
    slots: np.ndarray  # posterior row of each slot, in slot order
    # scenario -> posterior row -> params overrides (filled by :meth:`with_overrides`)
    by_scenario: dict[str, dict[int, dict[str, float]]] = field(default_factory=dict)

    def rows(self, u: np.ndarray) -> np.ndarray:
        """The posterior rows (particles) that the values ``u`` in [0, 1] pick (u = 1, a
        closed SALib bound, picks the last slot)."""
        m = len(self.slots)
        return self.slots[np.clip(np.floor(np.asarray(u) * m).astype(np.int64), 0, m - 1)]

    def row(self, u: float) -> int:
        """The posterior row (particle) that one ``u`` picks."""
        return int(self.rows(u))

    def overrides(self, scenario: str, u: float) -> dict[str, float]:
        """The params overrides of the particle ``u`` picks, in ``scenario``."""
        return self.by_scenario[scenario][self.row(u)]

    def with_overrides(self, params_of) -> Behaviour:
        """The behaviour with every slotted particle's overrides for each scenario;
        ``params_of`` maps scenario name to its params (study policy and overrides)."""
        rows = sorted({int(r) for r in self.slots})
        by_scenario = {}
        for scenario, params in params_of.items():
            by_scenario[scenario] = {r: self.posterior.overrides(r, params) for r in rows}
        return Behaviour(self.posterior, self.slots, by_scenario)

    def extreme_rows(self) -> list[int]:
        """The slotted particles holding the lowest or highest value of some parameter
        (the ones a params check loads, like a factor's bounds)."""
        rows = np.unique(self.slots)
        frame = self.posterior.frame.iloc[rows]
        picked = set()
        for name in self.posterior.names:
            values = frame[name].to_numpy(dtype=float)
            picked.add(int(rows[np.argmin(values)]))
            picked.add(int(rows[np.argmax(values)]))
        return sorted(picked)

    def provenance(self) -> dict:
        """The posterior's provenance plus how the grouped factor was built."""
        return {
            **self.posterior.provenance(),
            "factor": NAME,
            "slots": len(self.slots),
            "resampling": "systematic, offset from SeedSequence([master_seed, 0xCA1B]); "
            "slots ordered by the first principal component",
            "particles_used": int(len(np.unique(self.slots))),
        }


def behaviour_of(posterior: Posterior, master_seed: int) -> Behaviour:
    """A posterior's grouped factor for a study with this master seed (no overrides yet)."""
    return Behaviour(posterior, resample(posterior, master_seed))


def grouped_factor(posterior: Posterior) -> Factor:
    """The study factor ``calibrated_behaviour``: u ~ U[0, 1) picks a posterior particle."""
    from .study import Factor

    keys = tuple(p for n in posterior.names for p in posterior.parameters[n]["keys"])
    return Factor(
        name=NAME,
        role="parameter",
        keys=keys,
        mode="posterior",
        bounds=(0.0, 1.0),
        label=LABEL,
        reason=(
            f"One draw of {', '.join(posterior.names)} jointly from the calibrated posterior "
            f"{posterior.path.name} (sha256 {posterior.sha256[:12]}): u picks a particle of a "
            "weighted resample. One grouped factor because the posterior's parameters are "
            "correlated and Sobol' indices need independent factors."
        ),
        key_field="keys",
        grouped=True,
    )
