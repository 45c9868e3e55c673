"""Sobol' indices of the conditional mean of a noisy model, corrected for the seed-noise floor.

The model's output at a design point x is ``Y(x, ω) = f(x) + ε(x, ω)``: the
conditional mean f, which the indices are about, plus seed noise ε whose
size and shape may depend on x and on the path a run takes. Each design
point is run with R seeds; the estimators use the replication means
``Ȳ(x)`` and the spread between the replications.

Estimators (Saltelli et al. 2010, as SALib's ``sobol.analyze``) on the
base rows ``A``, ``B`` and ``AB_j`` (A with column j from B) of N blocks:

- variance: ``V = Var(Ȳ_A, Ȳ_B) − mean(s²)/R``: the variance of the means
  less the average within-point variance over R (law of total variance);
- total effect (Jansen): ``VT_j = mean((Ȳ_A − Ȳ_ABj)²)/2 − mean(s²_Dj)/(2R)``,
  where ``s²_Dj`` is the variance over the replications of the paired
  difference ``D_j = Y(A, ω_r) − Y(AB_j, ω_r)``. A and AB_j share their
  seeds (common random numbers), so the noise in D_j is whatever the
  seeds do not cancel — a different amount for each factor, and all of it
  for the dummy, whose AB row runs on seeds of its own. Since ``f(A) −
  f(AB_j)`` is the same in every replication, ``s²_Dj`` estimates exactly
  the noise part of ``(Ȳ_A − Ȳ_ABj)²``, whatever its size at each x:
  ``E[(D̄_j)²] = (f(A) − f(AB_j))² + Var(D_j)/R``;
- first order: ``V_j = mean((Ȳ_B − m)(Ȳ_ABj − Ȳ_A))``: B runs on other seeds
  than A and AB_j, so noise adds variance but no bias; only V is corrected;
- second order (with the ``BA_j`` rows): ``V_jk = mean(Ȳ_BAj Ȳ_ABk − Ȳ_A Ȳ_B)``
  (centred), ``S2_jk = V_jk / V − S1_j − S1_k``.

``S = V_j / V``, ``ST = VT_j / V``. Intervals: the N blocks are resampled
(with their replications), and every term — the noise corrections
included — is recomputed in each resample, so the intervals carry the
uncertainty of the correction; they are percentile intervals of the
resamples (``interval_kind = "normal"``: value ± z · sd, as SALib's),
widened if need be to contain the estimate. For a very small total effect
of a heavy-tailed output (the G function's a = 9 factor, ST = 0.01) both
kinds cover about 82% at N = 256 even without noise: the resamples rarely
hold the few large differences that make up such an index.
Corrected indices can come out below 0 (a factor without effect, at N
where noise is large); they are reported as computed, not clipped, so
that a negative value beyond its interval is seen (:mod:`.diagnostics`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm


@dataclass
class SobolEstimate:
    """Indices of one output at one sample size; arrays are per factor (in problem order)."""

    n: int
    S1: np.ndarray
    S1_low: np.ndarray
    S1_high: np.ndarray
    ST: np.ndarray
    ST_low: np.ndarray
    ST_high: np.ndarray
    ST_raw: np.ndarray  # Jansen ST without the noise correction (what SALib reports)
    ST_noise: np.ndarray  # the noise floor subtracted from each factor's ST
    sum_S1: float
    sum_S1_low: float
    sum_S1_high: float
    var_Y: float  # variance of the replication means (no correction)
    var_f: float  # variance of the conditional mean (corrected)
    var_f_low: float
    var_f_high: float
    S2: np.ndarray | None = None  # (k, k), upper triangle
    S2_low: np.ndarray | None = None
    S2_high: np.ndarray | None = None


def split_blocks(y: np.ndarray, k: int, second_order: bool) -> dict[str, np.ndarray]:
    """Rows of a Saltelli design ``(N · block, R)`` as A ``(N, R)``, B, AB ``(N, k, R)``
    and BA (or None)."""
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    block = 2 * k + 2 if second_order else k + 2
    if len(y) % block:
        raise ValueError(f"{len(y)} rows are not a whole number of blocks of {block}")
    cube = y.reshape(len(y) // block, block, y.shape[1])
    return {
        "A": cube[:, 0],
        "AB": cube[:, 1 : k + 1],
        "BA": cube[:, k + 1 : 2 * k + 1] if second_order else None,
        "B": cube[:, -1],
    }


def estimate(
    y: np.ndarray,
    k: int,
    *,
    second_order: bool = False,
    n: int | None = None,
    bootstrap: int = 1000,
    conf_level: float = 0.95,
    seed: int = 0,
    correct: bool = True,
    interval_kind: str = "percentile",
) -> SobolEstimate:
    """Corrected Sobol' indices from the runs ``y`` of a Saltelli design.

    ``y``: ``(N · (k + 2), R)`` run values in SALib's row order (or ``(N (2k + 2), R)``
    with ``second_order``); ``n``: use only the first ``n`` blocks (nested sizes);
    ``correct``: subtract the seed-noise floor (needs R ≥ 2).
    """
    parts = split_blocks(y, k, second_order)
    A, B, AB, BA = parts["A"], parts["B"], parts["AB"], parts["BA"]
    if n is not None:
        A, B, AB = A[:n], B[:n], AB[:n]
        BA = BA[:n] if BA is not None else None
    N, R = A.shape
    correct = correct and R >= 2
    a, b, ab = A.mean(axis=1), B.mean(axis=1), AB.mean(axis=2)
    centre = np.mean(np.concatenate([a, b]))
    a, b, ab = a - centre, b - centre, ab - centre
    # Per-block terms; every estimate is a function of block means of these, so a
    # bootstrap over blocks is a matrix product with the resample counts.
    m1 = (a + b) / 2
    m2 = (a**2 + b**2) / 2
    t = (a[:, None] - ab) ** 2 / 2  # (N, k) Jansen terms
    s = b[:, None] * (ab - a[:, None])  # (N, k) Saltelli 2010 terms
    if correct:
        within = (A.var(axis=1, ddof=1) + B.var(axis=1, ddof=1)) / 2 / R
        diff = A[:, None, :] - AB  # (N, k, R) paired differences on common seeds
        c = diff.var(axis=2, ddof=1) / (2 * R)
    else:
        within = np.zeros(N)
        c = np.zeros((N, k))
    terms = [m1[:, None], m2[:, None], within[:, None], t, c, s]
    if BA is not None:
        ba = BA.mean(axis=2) - centre
        pair = np.einsum("nj,nk->njk", ba, ab).reshape(N, k * k) - (a * b)[:, None]
        terms.append(pair)
    Q = np.concatenate(terms, axis=1)  # (N, q)

    rng = np.random.default_rng(seed)
    counts = np.zeros((bootstrap, N))
    picks = rng.integers(0, N, size=(bootstrap, N))
    np.add.at(counts, (np.repeat(np.arange(bootstrap), N), picks.ravel()), 1.0)
    weights = np.vstack([np.full((1, N), 1.0), counts]) / N  # row 0: the estimate itself
    M = weights @ Q  # (1 + bootstrap, q)

    def cols(start: int, width: int) -> np.ndarray:
        return M[:, start : start + width]

    var_Y = cols(1, 1)[:, 0] - cols(0, 1)[:, 0] ** 2
    var_f = var_Y - cols(2, 1)[:, 0]
    VT_raw = cols(3, k)
    noise = cols(3 + k, k)
    V1 = cols(3 + 2 * k, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        ST = (VT_raw - noise) / var_f[:, None]
        ST_raw = VT_raw / var_Y[:, None]
        S1 = V1 / var_f[:, None]
        floor = noise / var_f[:, None]
    z = norm.ppf(0.5 + conf_level / 2)

    def interval(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        value = x[0]
        if interval_kind == "normal":
            half = z * np.nanstd(x[1:], axis=0, ddof=1)
            return value, value - half, value + half
        tail = (1 - conf_level) / 2
        with np.errstate(invalid="ignore"):  # a resample with V <= 0 gives ±inf: ignored
            low, high = np.nanquantile(x[1:], [tail, 1 - tail], axis=0)
        return value, np.minimum(low, value), np.maximum(high, value)

    s1, s1_lo, s1_hi = interval(S1)
    st, st_lo, st_hi = interval(ST)
    with np.errstate(invalid="ignore"):  # +inf and -inf of a resample with V <= 0 sum to NaN
        total = S1.sum(axis=1)
    tot, tot_lo, tot_hi = interval(total)
    vf, vf_lo, vf_hi = interval(var_f)
    out = SobolEstimate(
        n=N,
        S1=s1,
        S1_low=s1_lo,
        S1_high=s1_hi,
        ST=st,
        ST_low=st_lo,
        ST_high=st_hi,
        ST_raw=ST_raw[0],
        ST_noise=floor[0],
        sum_S1=float(tot),
        sum_S1_low=float(tot_lo),
        sum_S1_high=float(tot_hi),
        var_Y=float(var_Y[0]),
        var_f=float(vf),
        var_f_low=float(vf_lo),
        var_f_high=float(vf_hi),
    )
    if BA is not None:
        Vjk = cols(3 + 3 * k, k * k).reshape(-1, k, k)
        with np.errstate(divide="ignore", invalid="ignore"):
            S2 = Vjk / var_f[:, None, None] - S1[:, :, None] - S1[:, None, :]
        out.S2, out.S2_low, out.S2_high = interval(S2)
    return out
