"""Sensitivity indices through SALib, as one tidy table.

Columns: ``scenario, outcome, year, factor, method, index, value,
conf_low, conf_high``. Indices are computed on the replication means of
each design point.

- ``sobol``: ``S1`` (first order) and ``ST`` (total effect), Saltelli 2010
  and Jansen estimators; bounds = value ± SALib's bootstrap half-width
  (normal interval at ``conf_level``); ``S2`` (factor ``a:b``) if asked.
  Every year for yearly outcomes (``analysis.yearly``), else the final year.
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
  KS distance is biased upward in small slices, so read PAWN for ranking.

Every bootstrap is seeded from the study's master seed and the cell's
name (:func:`.sampling.stream_seed`), so indices never depend on order.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import pawn as pawn_analyze
from SALib.analyze import sobol as sobol_analyze
from scipy.stats import norm

from .plan import Plan
from .sampling import problem, stream_seed
from .study import Study

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


def compute_indices(
    plan: Plan, means: dict[str, np.ndarray], years: dict[str, tuple[int, ...]]
) -> pd.DataFrame:
    """All indices of a study from the replication means ``(design rows, years)``."""
    study = plan.study
    rows: list[dict] = []
    pawn_sample = study.methods.pawn_sample
    for scenario in study.scenarios:
        for method, sample in plan.samples.items():
            idx = plan.points(scenario, method)["row"].to_numpy()
            for outcome, values in means.items():
                outcome_years = years[outcome]
                last = len(outcome_years) - 1
                if method == "sobol":
                    cols = range(len(outcome_years)) if study.analysis.yearly else [last]
                    for j in cols:
                        cell = (scenario, outcome, outcome_years[j])
                        rows += sobol_rows(study, values[idx, j], cell)
                if method == "morris":
                    cell = (scenario, outcome, outcome_years[last])
                    rows += morris_rows(study, sample.X, values[idx, last], cell)
                if method == pawn_sample:
                    cell = (scenario, outcome, outcome_years[last])
                    use = sample.given_data_rows()
                    rows += pawn_rows(study, sample.X[use], values[idx[use], last], cell)
    frame = pd.DataFrame(rows, columns=INDEX_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    return frame


def sobol_rows(study: Study, y: np.ndarray, cell: tuple) -> list[dict]:
    """S1, ST (and S2) rows of one scenario × outcome × year."""
    spec = study.methods.sobol
    names = study.factor_names
    out = []
    if not _varies(y):
        for name in names:
            out += [_row(cell, name, "sobol", i, NAN) for i in ("S1", "ST")]
        return out
    with _quiet():
        si = sobol_analyze.analyze(
            problem(study),
            y,
            calc_second_order=spec.second_order,
            num_resamples=spec.bootstrap,
            conf_level=spec.conf_level,
            seed=stream_seed(study.master_seed, "bootstrap/sobol/" + "/".join(map(str, cell))),
        )
    for i, name in enumerate(names):
        for index in ("S1", "ST"):
            value, conf = float(si[index][i]), float(si[f"{index}_conf"][i])
            out.append(_row(cell, name, "sobol", index, value, value - conf, value + conf))
    if spec.second_order:
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                value, conf = float(si["S2"][i, j]), float(si["S2_conf"][i, j])
                pair = f"{names[i]}:{names[j]}"
                out.append(_row(cell, pair, "sobol", "S2", value, value - conf, value + conf))
    return out


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
        yield
