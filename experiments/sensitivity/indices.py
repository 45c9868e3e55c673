"""Sensitivity indices through SALib, as one tidy table.

Columns: ``scenario, outcome, year, factor, method, index, value,
conf_low, conf_high``. Indices are computed on the replication means of
each design point.

- ``sobol``: ``S1`` (first order) and ``ST`` (total effect) of the
  conditional mean, Saltelli 2010 and Jansen estimators corrected for the
  seed-noise floor (:mod:`.sobol_noise`); bounds = value ± z · bootstrap
  sd, the correction resampled with the rest; ``ST_raw`` (uncorrected, as
  SALib gives it) and ``ST_noise`` (the floor subtracted) without bounds;
  ``S2`` (factor ``a:b``) if asked. Every year for yearly outcomes
  (``analysis.yearly``), else the final year. The nested sizes (N/8 … N on
  the same Sobol' sequence) go to the convergence table.
- ``morris``: ``mu_star`` (bounds from SALib's bootstrap), ``mu`` (signed
  mean effect: > 0 means raising the factor raises the outcome) and
  ``sigma`` (interactions / non-linearity); final year. Units: outcome
  units per step of ``levels / (2 (levels - 1))`` of the factor's range.
- ``pawn``: ``median`` and ``max`` over conditioning slices of the
  Kolmogorov–Smirnov distance (0 = no effect, 1 = total); computed on the
  replication means of the design named by ``pawn.sample`` — of the Sobol
  design only its 2N independent base points A and B
  (:meth:`.sampling.Sample.given_data_rows`); final year.
  Bounds are value ± z · (bootstrap standard deviation), as SALib does for
  Sobol, when ``pawn.bootstrap > 0``; else empty (SALib gives none). The
  KS distance is biased upward in small slices: the critical value a
  factor must exceed comes from a permutation null on the cell's own points
  (:func:`pawn_null`), not from the two-sample KS formula.
- ``delta``: Borgonovo's δ (SALib, on the same points as PAWN, main outcome,
  final year) with its bootstrap interval.

Every bootstrap is seeded from the study's master seed and the cell's
name (:func:`.sampling.stream_seed`), so indices never depend on order.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import delta as delta_analyze
from SALib.analyze import morris as morris_analyze
from SALib.analyze import pawn as pawn_analyze
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from .outcomes import RATIO, RunValues
from .plan import Plan
from .sampling import nested_sizes, problem, stream_seed
from .sobol_noise import estimate
from .study import Study

# Bootstrap resamples of Borgonovo's delta: SALib's estimator takes about 0.35 s per
# resample for 512 points and 13 factors; 10 resamples give the interval's width
# to about ±25%, enough to read it against the dummy's.
DELTA_RESAMPLES = 10

INDEX_COLUMNS = [
    "scenario",
    "outcome",
    "year",
    "factor",
    "method",
    "index",
    "value",
    "conf_low",
    "conf_high",
]
NAN = float("nan")


CONVERGENCE_COLUMNS = [
    "scenario",
    "outcome",
    "year",
    "factor",
    "index",
    "n",
    "value",
    "conf_low",
    "conf_high",
]
ALL_FACTORS = "*"  # the factor of rows about the whole output (variance, sum of S1)


@dataclass
class Indices:
    """The tidy index table, the Sobol' convergence table and the PAWN null quantiles."""

    table: pd.DataFrame
    convergence: pd.DataFrame
    pawn_null: dict[tuple[str, str], float]


def compute_indices(plan: Plan, values: RunValues, means: dict[str, np.ndarray]) -> Indices:
    """All indices of a study from its run values and replication means."""
    study = plan.study
    years = values.years
    rows: list[dict] = []
    conv: list[dict] = []
    nulls: dict[tuple[str, str], float] = {}
    pawn_sample = study.methods.pawn_sample
    for scenario in study.scenarios:
        for method, sample in plan.samples.items():
            idx = plan.points(scenario, method)["row"].to_numpy()
            for outcome, mean in means.items():
                outcome_years = years[outcome]
                last = len(outcome_years) - 1
                runs = _runs(values, outcome, mean)
                if method == "sobol":
                    cols = range(len(outcome_years)) if study.analysis.yearly else [last]
                    for j in cols:
                        cell = (scenario, outcome, outcome_years[j])
                        got, conv_rows = sobol_rows(study, runs[idx, :, j], cell, outcome)
                        rows += got
                        conv += conv_rows
                if method == "morris":
                    cell = (scenario, outcome, outcome_years[last])
                    rows += morris_rows(study, sample.X, mean[idx, last], cell)
                if method == pawn_sample:
                    cell = (scenario, outcome, outcome_years[last])
                    use = sample.given_data_rows()
                    x, y = sample.X[use], mean[idx[use], last]
                    rows += pawn_rows(study, x, y, cell)
                    if _varies(y):
                        nulls[(scenario, outcome)] = pawn_critical_value(study, x, y, cell)
                    if study.methods.pawn.borgonovo and outcome == study.analysis.main_outcome:
                        rows += delta_rows(study, x, y, cell)
    frame = pd.DataFrame(rows, columns=INDEX_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    convergence = pd.DataFrame(conv, columns=CONVERGENCE_COLUMNS)
    return Indices(frame, convergence, nulls)


def _runs(values: RunValues, outcome: str, mean: np.ndarray) -> np.ndarray:
    """Run values ``(rows, R, years)`` to estimate from; the cost per point kept is a ratio
    of replication means, so it enters as its means (one 'replication', no correction)."""
    if outcome == RATIO:
        return mean[:, None, :]
    return values.values[outcome]


def sobol_rows(study: Study, y: np.ndarray, cell: tuple, outcome: str = "") -> tuple[list, list]:
    """Noise-corrected S1, ST (and S2) rows of one scenario × outcome × year, and the
    convergence rows of the nested sizes (:mod:`.sobol_noise`)."""
    spec = study.methods.sobol
    names = study.factor_names
    k = len(names)
    out: list[dict] = []
    if not _varies(y):
        for name in names:
            out += [_row(cell, name, "sobol", i, NAN) for i in ("S1", "ST")]
        return out, []
    correct = study.analysis.noise_correction and outcome != RATIO
    seed = stream_seed(study.master_seed, "bootstrap/sobol/" + "/".join(map(str, cell)))
    conv: list[dict] = []
    sizes = nested_sizes(spec.base_samples, spec.nested_min)
    for n in sizes:
        est = estimate(
            y,
            k,
            second_order=spec.second_order and n == sizes[-1],
            n=n,
            bootstrap=spec.bootstrap,
            conf_level=spec.conf_level,
            seed=seed,
            correct=correct,
        )
        for i, name in enumerate(names):
            for index in ("S1", "ST"):
                value = getattr(est, index)[i]
                low, high = getattr(est, f"{index}_low")[i], getattr(est, f"{index}_high")[i]
                conv.append(_conv(cell, name, index, n, value, low, high))
        conv.append(_conv(cell, ALL_FACTORS, "var_Y", n, est.var_Y))
        conv.append(_conv(cell, ALL_FACTORS, "var_f", n, est.var_f, est.var_f_low, est.var_f_high))
        conv.append(
            _conv(cell, ALL_FACTORS, "sum_S1", n, est.sum_S1, est.sum_S1_low, est.sum_S1_high)
        )
    for i, name in enumerate(names):
        out.append(_row(cell, name, "sobol", "S1", est.S1[i], est.S1_low[i], est.S1_high[i]))
        out.append(_row(cell, name, "sobol", "ST", est.ST[i], est.ST_low[i], est.ST_high[i]))
        out.append(_row(cell, name, "sobol", "ST_raw", est.ST_raw[i]))
        out.append(_row(cell, name, "sobol", "ST_noise", est.ST_noise[i]))
    if est.S2 is not None:
        for i in range(k):
            for j in range(i + 1, k):
                pair = f"{names[i]}:{names[j]}"
                out.append(
                    _row(
                        cell, pair, "sobol", "S2", est.S2[i, j], est.S2_low[i, j], est.S2_high[i, j]
                    )
                )
    return out, conv


def _conv(cell, factor, index, n, value, low=NAN, high=NAN) -> dict:
    scenario, outcome, year = cell
    return {
        "scenario": scenario,
        "outcome": outcome,
        "year": int(year),
        "factor": factor,
        "index": index,
        "n": int(n),
        "value": float(value),
        "conf_low": float(low),
        "conf_high": float(high),
    }


def morris_rows(study: Study, X: np.ndarray, y: np.ndarray, cell: tuple) -> list[dict]:
    """mu_star, mu and sigma rows of one scenario × outcome × year."""
    spec = study.methods.morris
    names = study.factor_names
    if not _varies(y):
        return [_row(cell, n, "morris", i, NAN) for n in names for i in ("mu_star", "mu", "sigma")]
    with _quiet():
        si = morris_analyze.analyze(
            problem(study),
            X,
            y,
            num_resamples=spec.bootstrap,
            conf_level=spec.conf_level,
            num_levels=spec.levels,
            seed=stream_seed(study.master_seed, "bootstrap/morris/" + "/".join(map(str, cell))),
        )
    out = []
    for i, name in enumerate(names):
        mu_star, conf = float(si["mu_star"][i]), float(si["mu_star_conf"][i])
        out.append(_row(cell, name, "morris", "mu_star", mu_star, mu_star - conf, mu_star + conf))
        out.append(_row(cell, name, "morris", "mu", float(si["mu"][i])))
        out.append(_row(cell, name, "morris", "sigma", float(si["sigma"][i])))
    return out


def pawn_rows(study: Study, X: np.ndarray, y: np.ndarray, cell: tuple) -> list[dict]:
    """PAWN median and max KS rows of one scenario × outcome × year."""
    spec = study.methods.pawn
    names = study.factor_names
    if not _varies(y):
        return [_row(cell, n, "pawn", i, NAN) for n in names for i in ("median", "max")]
    prob = problem(study)
    with _quiet():
        si = pawn_analyze.analyze(prob, X, y, S=spec.slices)
    low = {k: np.full(len(names), NAN) for k in ("median", "maximum")}
    high = {k: np.full(len(names), NAN) for k in ("median", "maximum")}
    if spec.bootstrap:
        rng = np.random.default_rng(
            stream_seed(study.master_seed, "bootstrap/pawn/" + "/".join(map(str, cell)))
        )
        draws = {k: [] for k in low}
        for _ in range(spec.bootstrap):
            pick = rng.integers(0, len(y), len(y))
            with _quiet():
                b = pawn_analyze.analyze(prob, X[pick], y[pick], S=spec.slices)
            for k in draws:
                draws[k].append(b[k])
        z = norm.ppf(0.5 + spec.conf_level / 2)
        for k, d in draws.items():
            half = z * np.nanstd(np.array(d), axis=0, ddof=1)
            low[k], high[k] = si[k] - half, si[k] + half
    out = []
    for i, name in enumerate(names):
        for key, index in (("median", "median"), ("maximum", "max")):
            value = float(si[key][i])
            out.append(_row(cell, name, "pawn", index, value, low[key][i], high[key][i]))
    return out


def pawn_critical_value(study: Study, X: np.ndarray, y: np.ndarray, cell: tuple) -> float:
    """The PAWN median a factor without effect exceeds with probability 5%, from a
    permutation null on this cell's own points (:func:`pawn_null`)."""
    spec = study.methods.pawn
    seed = stream_seed(study.master_seed, "null/pawn/" + "/".join(map(str, cell)))
    return float(np.quantile(pawn_null(X, y, spec.slices, spec.permutations, seed), 0.95))


def pawn_null(X: np.ndarray, y: np.ndarray, slices: int, permutations: int, seed: int):
    """PAWN medians under no effect: ``y`` permuted against ``X`` (which breaks any
    dependence and keeps the slices, the sample size and the ties of ``y``), the median
    over slices of the KS distance between a slice's ``y`` and all ``y`` (SALib's
    statistic and slicing), for every factor and permutation; returns the draws.

    The two-sample KS formula does not apply (a slice is part of the sample it is compared
    with, and the median over slices is not one KS statistic), hence the simulation.
    """
    n, k = X.shape
    labels = _slice_labels(X, slices)  # (n, k), -1 outside every slice (SALib drops the max)
    order = np.argsort(y, kind="stable")
    ys = y[order]
    ends = np.r_[ys[1:] != ys[:-1], True]  # compare CDFs after each run of ties
    F_all = (np.arange(1, n + 1) / n)[ends]
    rng = np.random.default_rng(seed)
    draws = np.empty((permutations, k))
    onehot_s = np.arange(slices)
    for p in range(permutations):
        L = labels[rng.permutation(n)]  # slice of the point holding the t-th smallest y
        ind = L[:, :, None] == onehot_s  # (n, k, S)
        cum = np.cumsum(ind, axis=0)[ends]
        size = cum[-1]
        with np.errstate(invalid="ignore", divide="ignore"):
            ks = np.max(np.abs(cum / size - F_all[:, None, None]), axis=0)  # (k, S)
        ks = np.where(size > 0, ks, np.nan)
        draws[p] = np.nanmedian(ks, axis=1)
    return draws.ravel()


def _slice_labels(X: np.ndarray, slices: int) -> np.ndarray:
    """Each point's slice per factor as SALib's PAWN cuts them (quantiles, half-open)."""
    n, k = X.shape
    labels = np.full((n, k), -1, dtype=np.int64)
    step = 1 / slices
    for d in range(k):
        q = np.nanquantile(X[:, d], np.arange(0, 1 + step, step))
        for s in range(slices):
            labels[(X[:, d] >= q[s]) & (X[:, d] < q[s + 1]), d] = s
    return labels


def delta_rows(study: Study, X: np.ndarray, y: np.ndarray, cell: tuple) -> list[dict]:
    """Borgonovo's moment-independent delta (SALib ``delta``, the raw estimator) with its
    bootstrap interval; it includes seed noise like PAWN: read it against the dummy."""
    names = study.factor_names
    if not _varies(y):
        return [_row(cell, n, "delta", "delta", NAN) for n in names]
    spec = study.methods.pawn
    with _quiet(), threadpool_limits(1):
        si = delta_analyze.analyze(
            problem(study),
            X,
            y,
            num_resamples=DELTA_RESAMPLES,
            conf_level=spec.conf_level,
            seed=stream_seed(study.master_seed, "bootstrap/delta/" + "/".join(map(str, cell))),
            method="delta",
        )
    out = []
    for i, name in enumerate(names):
        value, conf = float(si["delta_raw"][i]), float(si["delta_raw_conf"][i])
        out.append(_row(cell, name, "delta", "delta", value, value - conf, value + conf))
    return out


def _row(cell, factor, method, index, value, low=NAN, high=NAN) -> dict:
    scenario, outcome, year = cell
    return {
        "scenario": scenario,
        "outcome": outcome,
        "year": int(year),
        "factor": factor,
        "method": method,
        "index": index,
        "value": value,
        "conf_low": float(low),
        "conf_high": float(high),
    }


def _varies(y: np.ndarray) -> bool:
    """True if the outcome varies over the design (no index of a constant)."""
    y = np.asarray(y, dtype=float)
    if not np.all(np.isfinite(y)):
        return False
    scale = max(float(np.max(np.abs(y))), 1e-300)
    return float(np.ptp(y)) > 1e-12 * scale


@contextmanager
def _quiet():
    """Silence SALib's and numpy's warnings (small samples warn a lot; the CIs tell)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        # SALib's delta resets the filter to "once" inside analyze(); drop what it shows.
        warnings.showwarning = lambda *args, **kwargs: None
        yield
