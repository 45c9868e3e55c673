"""Scenario discovery: PRIM (Friedman & Fisher 1999) and a CART cross-check.

Which combinations of uncertainties make a policy fail? Given the futures
``X`` (one row per future, one column per uncertainty) and ``y`` (1 where
the policy misses its target), PRIM looks for a box — a range on a few
uncertainties — holding most of the failures (coverage) and mostly
failures (density).

- **Peeling**: from the whole space, repeatedly cut off the ``peel_alpha``
  share of the box's futures at the low or high end of one uncertainty,
  choosing the cut that leaves the highest density, until the box would
  hold less than ``min_mass`` of all futures. The sequence of boxes is the
  peeling trajectory (coverage falls as density rises).
- **Choice**: among the boxes with coverage at least ``min_coverage``, the
  one with the highest harmonic mean of coverage and density (the F1 score
  of "inside the box" as a prediction of failure; the first when several
  tie). The densest box overfits: on noisy data density keeps creeping up
  by chance as the box shrinks.
- **Pasting**: widen that box's limits again, ``paste_alpha`` of its
  futures at a time, as long as that keeps its density (and it then holds
  more failures).
- **Simplifying**: a restriction whose quasi-p-value (Bryant & Lempert
  2010) exceeds ``max_qp`` is dropped, the least significant first: the
  binomial probability of seeing at least the box's failures among its
  futures if the density were that of the box without the restriction.
  Peeling trims a little off many uncertainties on a small ensemble; this
  keeps the ones that matter.
- **Covering**: with the futures of the chosen box removed, search the rest
  for the next box (``max_boxes`` in all); a further box must hold mostly
  failures (density above 0.5) and the first must be denser than all
  futures together.

Written here rather than taken from the EMA Workbench: its PRIM brings
statsmodels, seaborn, platypus and a 30 MB package for about 150 lines.
CART is scikit-learn's ``DecisionTreeClassifier``; its leaves that predict
failure are boxes too, reported with the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom


@dataclass(frozen=True)
class Box:
    """A box with its statistics on the data it was found on."""

    low: np.ndarray
    high: np.ndarray
    coverage: float
    density: float
    mass: float

    def restricted(self, domain_low: np.ndarray, domain_high: np.ndarray) -> np.ndarray:
        """Indices of the dimensions the box limits."""
        return np.flatnonzero((self.low > domain_low) | (self.high < domain_high))


@dataclass
class PrimResult:
    """Chosen boxes (in covering order) and every peeling trajectory."""

    boxes: list[Box]
    trajectory: pd.DataFrame
    domain_low: np.ndarray
    domain_high: np.ndarray


def in_box(X: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Rows of ``X`` inside the closed box."""
    return np.all((X >= low) & (X <= high), axis=1)


def _stats(X, y, low, high, n_total, y_total) -> tuple[float, float, float]:
    inside = in_box(X, low, high)
    n = int(inside.sum())
    hits = float(y[inside].sum())
    density = hits / n if n else 0.0
    return hits / y_total if y_total else 0.0, density, n / n_total


def _f1(coverage: float, density: float) -> float:
    return 2 * coverage * density / (coverage + density) if coverage + density else 0.0


def peel(X, y, low, high, alpha, min_mass, n_total, y_total) -> list[tuple[np.ndarray, np.ndarray]]:
    """The peeling trajectory from the box ``[low, high]``: a list of (low, high)."""
    low, high = low.copy(), high.copy()
    boxes = [(low.copy(), high.copy())]
    while True:
        inside = in_box(X, low, high)
        Xb, yb = X[inside], y[inside]
        n = len(Xb)
        k = max(1, int(alpha * n))
        best = None
        for j in range(X.shape[1]):
            xs = np.sort(Xb[:, j])
            for side in ("low", "high"):
                if n <= k:
                    continue
                cut = xs[k] if side == "low" else xs[n - 1 - k]
                keep = Xb[:, j] >= cut if side == "low" else Xb[:, j] <= cut
                kept = int(keep.sum())
                if kept == n or kept / n_total < min_mass:
                    continue
                density = float(yb[keep].mean())
                if best is None or density > best[0]:
                    best = (density, j, side, cut)
        if best is None:
            return boxes
        _, j, side, cut = best
        if side == "low":
            low[j] = cut
        else:
            high[j] = cut
        boxes.append((low.copy(), high.copy()))


def paste(X, y, low, high, alpha, domain_low, domain_high) -> tuple[np.ndarray, np.ndarray]:
    """Widen the box's limits one at a time while that raises its density."""
    low, high = low.copy(), high.copy()
    while True:
        inside = in_box(X, low, high)
        n = int(inside.sum())
        density = float(y[inside].mean()) if n else 0.0
        k = max(1, int(alpha * n))
        best = None
        for j in range(X.shape[1]):
            others = np.delete(np.arange(X.shape[1]), j)
            near = in_box(X[:, others], low[others], high[others])
            for side in ("low", "high"):
                if side == "low":
                    outside = near & (X[:, j] < low[j])
                    values = np.sort(X[outside, j])[::-1]
                else:
                    outside = near & (X[:, j] > high[j])
                    values = np.sort(X[outside, j])
                if not len(values):
                    continue
                new = values[min(k, len(values)) - 1]
                trial_low, trial_high = low.copy(), high.copy()
                if side == "low":
                    trial_low[j] = domain_low[j] if new <= domain_low[j] else new
                else:
                    trial_high[j] = domain_high[j] if new >= domain_high[j] else new
                grown = in_box(X, trial_low, trial_high)
                trial = float(y[grown].mean())
                gain = float(y[grown].sum()) - float(y[inside].sum())
                if trial >= density - 1e-12 and gain > 0 and (best is None or trial > best[0]):
                    best = (trial, trial_low, trial_high)
        if best is None:
            return low, high
        _, low, high = best


def qp_values(X, y, low, high, domain_low, domain_high) -> dict[int, float]:
    """Quasi-p-value of each restricted dimension of the box ``[low, high]``."""
    inside = in_box(X, low, high)
    n, hits = int(inside.sum()), int(y[inside].sum())
    out = {}
    for j in np.flatnonzero((low > domain_low) | (high < domain_high)):
        wider_low, wider_high = low.copy(), high.copy()
        wider_low[j], wider_high[j] = domain_low[j], domain_high[j]
        wider = in_box(X, wider_low, wider_high)
        out[int(j)] = float(binom.sf(hits - 1, n, y[wider].mean()))
    return out


def simplify(X, y, low, high, domain_low, domain_high, max_qp: float):
    """Drop restrictions with a quasi-p-value above ``max_qp``, the largest first."""
    low, high = low.copy(), high.copy()
    while True:
        qp = qp_values(X, y, low, high, domain_low, domain_high)
        if not qp:
            return low, high
        j = max(qp, key=lambda k: (qp[k], k))
        if qp[j] <= max_qp:
            return low, high
        low[j], high[j] = domain_low[j], domain_high[j]


def prim(
    X: np.ndarray,
    y: np.ndarray,
    domain_low: np.ndarray | None = None,
    domain_high: np.ndarray | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    min_mass: float = 0.05,
    min_coverage: float = 0.5,
    max_boxes: int = 1,
    max_qp: float | None = 0.05,
) -> PrimResult:
    """PRIM with peeling, pasting and covering; see the module docstring."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    d_low = X.min(axis=0) if domain_low is None else np.minimum(domain_low, X.min(axis=0))
    d_high = X.max(axis=0) if domain_high is None else np.maximum(domain_high, X.max(axis=0))
    n_total, y_total = len(X), float(y.sum())
    boxes: list[Box] = []
    rows = []
    left = np.ones(n_total, dtype=bool)
    for b in range(max_boxes):
        Xl, yl = X[left], y[left]
        if not yl.sum() or yl.all():
            break
        path = peel(Xl, yl, d_low, d_high, peel_alpha, min_mass, n_total, y_total)
        stats = [_stats(Xl, yl, lo, hi, n_total, y_total) for lo, hi in path]
        for step, ((lo, hi), (cov, den, mass)) in enumerate(zip(path, stats, strict=True)):
            restricted = int(((lo > d_low) | (hi < d_high)).sum())
            rows.append(
                {
                    "box": b + 1,
                    "step": step,
                    "coverage": cov,
                    "density": den,
                    "mass": mass,
                    "restricted": restricted,
                }
            )
        # coverage here is of all failures; the remaining futures hold the rest
        eligible = [i for i, s in enumerate(stats) if s[0] >= min_coverage * yl.sum() / y_total]
        if not eligible:
            eligible = list(range(len(stats)))
        choice = max(eligible, key=lambda i: (_f1(*stats[i][:2]), -i))
        lo, hi = paste(Xl, yl, *path[choice], paste_alpha, d_low, d_high)
        if max_qp is not None:
            lo, hi = simplify(Xl, yl, lo, hi, d_low, d_high, max_qp)
            if not ((lo > d_low) | (hi < d_high)).any():
                break  # no restriction is significant: no box
        cov, den, mass = _stats(Xl, yl, lo, hi, n_total, y_total)
        if den <= yl.mean() + 1e-12 or (b > 0 and den <= 0.5):
            break  # no better than the futures left: nothing more to discover
        boxes.append(Box(lo, hi, cov, den, mass))
        left &= ~in_box(X, lo, hi)
    trajectory = pd.DataFrame(
        rows, columns=["box", "step", "coverage", "density", "mass", "restricted"]
    )
    return PrimResult(boxes, trajectory, d_low, d_high)


def box_rows(
    policy: str, boxes: list[Box], names: list[str], domain_low: np.ndarray, domain_high: np.ndarray
) -> list[dict]:
    """Rows ``policy, box, coverage, density, dimension, low, high``: one per restricted
    dimension of each box (one row with no dimension for a box restricting nothing)."""
    rows = []
    for b, box in enumerate(boxes, start=1):
        dims = box.restricted(domain_low, domain_high)
        for j in dims if len(dims) else [None]:
            rows.append(
                {
                    "policy": policy,
                    "box": b,
                    "coverage": box.coverage,
                    "density": box.density,
                    "dimension": names[j] if j is not None else "",
                    "low": float(box.low[j]) if j is not None else np.nan,
                    "high": float(box.high[j]) if j is not None else np.nan,
                }
            )
    return rows


def cart_boxes(
    X: np.ndarray,
    y: np.ndarray,
    depth: int = 3,
    min_leaf: float = 0.05,
    domain_low: np.ndarray | None = None,
    domain_high: np.ndarray | None = None,
) -> list[Box]:
    """The leaves of a classification tree that predict failure, as boxes (densest first).

    ``min_leaf`` is the smallest leaf as a share of the futures. The tree is
    deterministic (``random_state=0``; with all features considered at every
    split, ties are the only thing the seed decides).
    """
    from sklearn.tree import DecisionTreeClassifier

    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    d_low = X.min(axis=0) if domain_low is None else np.minimum(domain_low, X.min(axis=0))
    d_high = X.max(axis=0) if domain_high is None else np.maximum(domain_high, X.max(axis=0))
    if y.min() == y.max():
        return []
    tree = DecisionTreeClassifier(
        max_depth=depth, min_samples_leaf=max(1, int(np.ceil(min_leaf * len(X)))), random_state=0
    ).fit(X, y)
    t = tree.tree_
    boxes: list[Box] = []

    def walk(node: int, low: np.ndarray, high: np.ndarray) -> None:
        if t.children_left[node] == -1:
            inside = in_box(X, low, high)
            n, hits = int(inside.sum()), float(y[inside].sum())
            if n and hits / n > 0.5:
                boxes.append(Box(low, high, hits / y.sum(), hits / n, n / len(X)))
            return
        j, cut = t.feature[node], t.threshold[node]
        left_high = high.copy()
        left_high[j] = min(high[j], cut)  # sklearn: x <= threshold goes left
        walk(t.children_left[node], low.copy(), left_high)
        # right: x > cut; the next data value above the cut is the closed lower limit
        above = X[:, j][X[:, j] > cut]
        right_low = low.copy()
        right_low[j] = max(low[j], above.min() if len(above) else cut)
        walk(t.children_right[node], right_low, high.copy())

    walk(0, d_low.copy(), d_high.copy())
    return sorted(boxes, key=lambda b: (-b.density, -b.coverage))
