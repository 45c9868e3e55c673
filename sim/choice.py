"""Location choice: systematic utility, logit probabilities and calibration.

Utility depends on the organisation only through its kind and its current
location (the moving cost), so the systematic part is a kinds × locations
table ``V``; one organisation's utility is a row of it minus its moving
cost. Choice is argmax of ``V + μ·ε`` with standard Gumbel ε, hence
``P = softmax(V / μ)`` (docs/design.md §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
    """Systematic utility V[k, ℓ] of docs/design.md §3.2 for an entrant (no moving cost)."""
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
    the same equations are solved by Newton's method with the analytic
    Jacobian of the logit shares (all kinds at once, first ASC pinned),
    from one contraction step, halving a step that does not reduce the
    error. ASCs are normalised to mean zero per kind (only differences
    matter). Returns (asc, model shares, Newton iterations).
    """
    with np.errstate(divide="ignore", invalid="ignore"):  # a trial step may underflow a share
        return _newton_asc(
            v_without_asc, target, entrant_weight, mover_weight, moving_cost, mu, start, tolerance
        )


def _newton_asc(
    v_without_asc, target, entrant_weight, mover_weight, moving_cost, mu, start, tolerance
):
    """The Newton iteration of :func:`calibrate_asc`."""
    asc = np.zeros_like(target, dtype=float) if start is None else start.astype(float).copy()
    log_target = np.log(target)
    args = (target, entrant_weight, mover_weight, moving_cost, mu)
    shares, _ = _shares_and_jacobian(v_without_asc + asc, *args)
    asc = asc + mu * (log_target - np.log(shares))
    asc -= asc[:, :1]
    shares, jac = _shares_and_jacobian(v_without_asc + asc, *args)
    error = np.abs(np.log(shares) - log_target).max()
    iterations = 0
    while error > tolerance and iterations < 100:
        iterations += 1
        # gap = differences of log-share errors against the first location
        resid = np.log(shares) - log_target
        gap = resid[:, 1:] - resid[:, :1]
        jac_gap = jac[:, 1:, 1:] - jac[:, :1, 1:]
        step = np.zeros_like(asc)
        step[:, 1:] = -np.linalg.solve(jac_gap, gap[..., None])[..., 0]
        scale = 1.0
        while True:
            trial = asc + scale * step
            trial_shares, trial_jac = _shares_and_jacobian(v_without_asc + trial, *args)
            trial_error = np.abs(np.log(trial_shares) - log_target).max()
            if trial_error < error or scale < 1e-6:
                break
            scale /= 2
        asc, shares, jac, error = trial, trial_shares, trial_jac, trial_error
    if error > 1e3 * tolerance:
        raise RuntimeError(f"ASC calibration did not converge (log-share error {error:.3g})")
    return asc - asc.mean(axis=1, keepdims=True), shares, iterations


def _shares_and_jacobian(
    v: np.ndarray,
    stock: np.ndarray,
    entrant_weight: np.ndarray,
    mover_weight: np.ndarray,
    moving_cost: np.ndarray,
    mu: float,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`decider_shares` for all kinds (rows of ``v``) and d ln S[k, j] / d v[k, i].

    For logit probabilities P, dP_j/dv_i = P_j (δ_ij − P_i) / μ; the
    deciders' shares are weighted sums of such P (entrants, and movers from
    each origin c with the moving cost on every ℓ ≠ c).
    """
    n_kinds, n_loc = v.shape
    leave = moving_cost[:, None, None] * (1.0 - np.eye(n_loc))[None]
    p_all = np.empty((n_kinds, n_loc + 1, n_loc))  # row 0: entrants; row 1 + c: movers from c
    p_all[:, 0] = softmax(v / mu)
    p_all[:, 1:] = softmax((v[:, None, :] - leave) / mu, axis=2)
    total = entrant_weight + mover_weight
    weight = np.empty((n_kinds, n_loc + 1))
    weight[:, 0] = np.where(total > 0, entrant_weight / np.where(total > 0, total, 1), 1.0)
    weight[:, 1:] = (
        np.where(total > 0, mover_weight / np.where(total > 0, total, 1), 0.0)[:, None] * stock
    )
    shares = np.einsum("kr,krl->kl", weight, p_all)
    # dS/dv = Σ_r w_r (diag(P_r) − P_r P_rᵀ) / μ
    d_shares = np.einsum("kr,krj,ji->kji", weight, p_all, np.eye(n_loc)) - np.einsum(
        "kr,krj,kri->kji", weight, p_all, p_all
    )
    return shares, d_shares / (mu * shares[:, :, None])


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
