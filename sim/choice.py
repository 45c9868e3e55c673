"""Location choice: systematic utility, logit probabilities and calibration.

Utility depends on the organisation only through its kind and its current
location (the moving cost), so the systematic part is a kinds × locations
table ``V``; one organisation's utility is a row of it minus its moving
cost. Choice is argmax of ``V + μ·ε`` with standard Gumbel ε, hence
``P = softmax(V / μ)`` (DESIGN §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize


@dataclass
class UtilityInputs:
    """Everything the utility table needs at one moment (arrays over K kinds, L locations)."""

    jobs: np.ndarray  # K×L jobs per kind and location
    travel: np.ndarray  # L×L minutes
    rent: np.ndarray  # L rent €/m²/yr
    subsidy: np.ndarray  # K×L rent subsidy share
    talent: np.ndarray  # L talent pool
    facility: np.ndarray  # L facility quality
    amenity: np.ndarray  # L amenity
    pull: np.ndarray  # K×L scenario and policy pulls
    asc: np.ndarray  # K×L alternative-specific constants
    gamma: np.ndarray  # K×K spillover weights (with cooperation added)
    cooperation: np.ndarray  # K×L extra co-location term (cooperation programme)
    alpha: np.ndarray  # K rent weights
    beta: np.ndarray  # K talent weights
    phi: np.ndarray  # K facility weights
    eta: np.ndarray  # K amenity weights
    proximity: float  # π(t)
    decay_minutes: float  # λ(t)
    facility_importance: float  # f(t)
    mass_ref: float
    rent_ref: float
    talent_ref: float


def reachable_mass(jobs: np.ndarray, travel: np.ndarray, decay_minutes: float) -> np.ndarray:
    """M[k', ℓ] = Σ_ℓ' E[k', ℓ'] · exp(−τ[ℓ, ℓ'] / λ)."""
    return jobs @ np.exp(-travel / decay_minutes).T


def agglomeration(u: UtilityInputs) -> np.ndarray:
    """Σ_k' γ[k, k'] · ln(1 + M[k', ℓ] / M_ref), without the π(t) factor."""
    log_mass = np.log1p(reachable_mass(u.jobs, u.travel, u.decay_minutes) / u.mass_ref)
    return u.gamma @ log_mass


def utility_table(u: UtilityInputs) -> np.ndarray:
    """Systematic utility V[k, ℓ] of DESIGN §3.2 for an entrant (no moving cost)."""
    return static_utility(u) + u.proximity * agglomeration(u) + u.cooperation


def static_utility(u: UtilityInputs) -> np.ndarray:
    """The part of V[k, ℓ] that does not depend on where the jobs are.

    ASC, rent, talent, facilities, amenity and pulls change only between
    years, so the model computes them once a year and adds the
    agglomeration and cooperation terms (which move with every batch of
    decisions) per batch.
    """
    rent_term = -u.alpha[:, None] * np.log(u.rent[None, :] * (1.0 - u.subsidy) / u.rent_ref)
    talent_term = u.beta[:, None] * np.log1p(u.talent / u.talent_ref)[None, :]
    facility_term = u.phi[:, None] * u.facility_importance * u.facility[None, :]
    amenity_term = u.eta[:, None] * u.amenity[None, :]
    return u.asc + rent_term + talent_term + facility_term + amenity_term + u.pull


def softmax(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax."""
    shifted = values - values.max(axis=axis, keepdims=True)
    weights = np.exp(shifted)
    return weights / weights.sum(axis=axis, keepdims=True)


def mover_probabilities(v_row: np.ndarray, moving_cost: float, mu: float) -> np.ndarray:
    """P[c, ℓ]: choice probabilities of an incumbent now at c (rows) for one kind."""
    n = v_row.size
    utility = np.broadcast_to(v_row, (n, n)) - moving_cost * (1.0 - np.eye(n))
    return softmax(utility / mu, axis=1)


def decider_shares(
    v_row: np.ndarray,
    stock_shares: np.ndarray,
    entrant_weight: float,
    mover_weight: float,
    moving_cost: float,
    mu: float,
) -> np.ndarray:
    """Expected locations chosen by one year's deciders of one kind.

    Deciders are entrants (weight ``entrant_weight``, free choice) and
    reconsidering incumbents (weight ``mover_weight``, spread over their
    origins as ``stock_shares``, paying the moving cost to leave).
    """
    entrant = softmax(v_row / mu)
    movers = stock_shares @ mover_probabilities(v_row, moving_cost, mu)
    total = entrant_weight + mover_weight
    if total <= 0:
        return entrant
    return (entrant_weight * entrant + mover_weight * movers) / total


def calibrate_asc(
    v_without_asc: np.ndarray,
    target: np.ndarray,
    entrant_weight: np.ndarray,
    mover_weight: np.ndarray,
    moving_cost: np.ndarray,
    mu: float,
    start: np.ndarray | None = None,
    tolerance: float = 1e-10,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Share inversion (Berry 1994): find ASC with model shares = observed shares.

    Per kind, solves ln s_model(ASC) = ln s_obs for the deciders' expected
    2025 choice shares (see :func:`decider_shares`). With only entrants
    the classic contraction ASC ← ASC + μ·(ln s_obs − ln s_model) is exact
    in one step; with movers paying a moving cost it contracts slowly, so
    the same equations are solved by Powell's hybrid method (scipy
    ``root``) from one contraction step. ASCs are normalised to mean zero
    per kind (only differences matter). Returns (asc, model shares,
    largest number of function evaluations).
    """
    asc = np.zeros_like(target) if start is None else start.astype(float).copy()
    shares = np.empty_like(target)
    evaluations = 0
    for k in range(target.shape[0]):

        def shares_of(row: np.ndarray, k: int = k) -> np.ndarray:
            return decider_shares(
                v_without_asc[k] + row,
                target[k],
                entrant_weight[k],
                mover_weight[k],
                moving_cost[k],
                mu,
            )

        asc[k], shares[k], nfev = _invert_shares(
            shares_of, np.log(target[k]), asc[k], mu, tolerance
        )
        evaluations = max(evaluations, nfev)
    return asc, shares, evaluations


def _invert_shares(shares_of, log_target, start, mu, tolerance):
    """Solve ln shares_of(asc) = log_target for one kind, first ASC pinned to 0."""

    def full(free: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], free])

    def gap(free: np.ndarray) -> np.ndarray:
        log_share = np.log(shares_of(full(free)))
        return (log_share[1:] - log_target[1:]) - (log_share[0] - log_target[0])

    first = start + mu * (log_target - np.log(shares_of(start)))
    solution = optimize.root(gap, first[1:] - first[0], method="hybr", tol=tolerance * 1e-2)
    row = full(solution.x)
    shares = shares_of(row)
    if np.max(np.abs(np.log(shares) - log_target)) > 1e3 * tolerance:
        raise RuntimeError(f"ASC calibration did not converge: {solution.message}")
    return row - row.mean(), shares, int(solution.nfev)


def choose(
    utility: np.ndarray,
    gumbel: np.ndarray,
    mu: float,
    excluded: np.ndarray | None = None,
) -> np.ndarray:
    """Index of the best location per row of ``utility + μ·gumbel``; excluded cells never win.

    Rows with every cell excluded get −1.
    """
    total = utility + mu * gumbel
    if excluded is not None:
        total = np.where(excluded, -np.inf, total)
    best = total.argmax(axis=1)
    if excluded is not None:
        best = np.where(excluded.all(axis=1), -1, best)
    return best


def first_fit(need: np.ndarray, room: float) -> tuple[np.ndarray, float]:
    """Accept arrivals in order while each fits in the room left; return (accepted, room left).

    The same as walking the arrivals one by one (accept if ``need <= room``,
    then ``room -= need``), in a few vectorised rounds: the prefix whose
    cumulative need fits is accepted at once; the first arrival after it is
    turned away; arrivals that need more than the room left can never fit
    (room only shrinks) and are turned away together.
    """
    accepted = np.zeros(need.size, dtype=bool)
    open_ = np.arange(need.size)
    while open_.size:
        open_ = open_[need[open_] <= room]
        if open_.size == 0:
            break
        cum = np.cumsum(need[open_])
        fit = int(np.searchsorted(cum, room, side="right"))
        accepted[open_[:fit]] = True
        if fit:
            room -= cum[fit - 1]
        open_ = open_[fit + 1 :]
    return accepted, room
