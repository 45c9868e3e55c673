"""A heteroscedastic Gaussian-process emulator of the conditional mean, and its Sobol' indices.

Fitted per scenario on the main outcome in the final year, on the Sobol'
design's independent base points (A and B, at most ``emulator.max_points``)
with their replication means:

- noise model: the within-point variance ``s²(x)`` of the replications is
  regressed on x (log-linear least squares, corrected for the mean of a
  log χ²), so the noise may grow or shrink across the factor space; the
  GP gets each point's noise variance of its mean, ``σ̂²(x)/R``, as its
  ``alpha`` (scikit-learn ``GaussianProcessRegressor``), plus a
  ``WhiteKernel`` for what the noise model misses; the signal kernel is a
  constant × anisotropic RBF on the unit cube (one length scale per
  factor: a long one for a factor that does not matter);
- validation: K-fold held-out error with the fitted hyperparameters,
  ``Q² = 1 − Σ(ȳ − ŷ)² / Σ(ȳ − mean ȳ)²``, beside the best a perfect mean
  can do against noisy means, ``1 − (noise variance of a mean) / Var(ȳ)``;
  and the error at the lever ensemble's every-lever-off points (if the
  study has one), which the emulator never saw, beside the Q² a perfect mean
  would reach there (``q2_policy_attainable``);
- indices: S1, ST (and S2 with ``second_order``) of the emulator's mean on a
  Saltelli sample of ``emulator.samples`` points, estimated as for the
  model (:mod:`.sobol_noise`, no noise to correct); interval = value ±
  z · √(jackknife variance over the K fold fits + Monte Carlo variance);
  ``method = "emulator"``;
- the uncertainties under the study's policy: the same on the parameters
  and the dummy with every lever held at its lower bound (0 = off),
  ``method = "emulator_policy"`` — which uncertain parameters drive the
  outcome when the policy is fixed, without another design.

The emulator describes the conditional mean f(x); the seed noise is its
separate output (``noise_var_*`` in ``emulator_validation.csv``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from SALib.sample import sobol as sobol_sample
from scipy.special import digamma
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from threadpoolctl import threadpool_limits

from .indices import INDEX_COLUMNS
from .outcomes import RunValues
from .plan import Plan
from .sampling import OFF, lever_rows, problem, stream_seed
from .sobol_noise import estimate

VALIDATION_COLUMNS = [
    "scenario",
    "outcome",
    "year",
    "points",
    "folds",
    "q2_heldout",
    "q2_attainable",
    "rmse_heldout",
    "noise_sd_mean",
    "noise_var_min",
    "noise_var_max",
    "policy_points",
    "q2_policy",
    "q2_policy_attainable",
    "rmse_policy",
    "agree_S1",
    "agree_ST",
]
MC_BOOTSTRAP = 100  # resamples for the Monte Carlo part of the emulator's intervals


class Emulator:
    """A fitted heteroscedastic GP on the unit cube of a study's factors."""

    def __init__(self, low: np.ndarray, high: np.ndarray, replications: int):
        self.low, self.high, self.reps = low, high, replications
        self.gp: GaussianProcessRegressor | None = None
        self.noise_coef: np.ndarray | None = None

    def unit(self, X: np.ndarray) -> np.ndarray:
        """Factor values scaled to [0, 1]."""
        return (X - self.low) / (self.high - self.low)

    def noise_var(self, X: np.ndarray) -> np.ndarray:
        """Seed-noise variance of a single run at X (the fitted noise model)."""
        design = np.column_stack([np.ones(len(X)), self.unit(X)])
        return np.exp(design @ self.noise_coef)

    def fit_noise(self, X: np.ndarray, within: np.ndarray) -> None:
        """Log-linear model of the within-point variance (R − 1 degrees of freedom)."""
        dof = self.reps - 1
        # E[log(s²/σ²)] = ψ(ν/2) + log(2/ν) for s² with ν degrees of freedom.
        offset = digamma(dof / 2) + math.log(2 / dof)
        floor = max(float(np.mean(within)) * 1e-6, 1e-300)
        design = np.column_stack([np.ones(len(X)), self.unit(X)])
        coef, *_ = np.linalg.lstsq(design, np.log(np.maximum(within, floor)) - offset, rcond=None)
        self.noise_coef = coef

    def fit(self, X: np.ndarray, y: np.ndarray, kernel=None) -> Emulator:
        """Fit the GP to means ``y`` at ``X``; ``kernel`` fixed (no optimisation) if given."""
        scale = float(np.var(y)) or 1.0
        alpha = self.noise_var(X) / self.reps / scale  # normalize_y works in units of Var(y)
        if kernel is None:
            k = X.shape[1]
            kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(
                np.full(k, 0.5), (1e-2, 1e3)
            ) + WhiteKernel(1e-3, (1e-9, 1.0))
            optimizer = "fmin_l_bfgs_b"
        else:
            optimizer = None
        self.gp = GaussianProcessRegressor(
            kernel=kernel, alpha=alpha, normalize_y=True, optimizer=optimizer
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.gp.fit(self.unit(X), y)
        return self

    def predict(self, X: np.ndarray, batch: int = 8192) -> np.ndarray:
        """The emulated conditional mean at X."""
        U = self.unit(X)
        return np.concatenate([self.gp.predict(U[i : i + batch]) for i in range(0, len(U), batch)])


def _indices(models, X: np.ndarray, k: int, second_order: bool, seed: int, z: float):
    """Sobol' indices of each model's mean on one Saltelli sample: value (model 0) and
    half-width from the jackknife over models 1.. and the Monte Carlo bootstrap."""
    ests = [
        estimate(m.predict(X), k, second_order=second_order, bootstrap=MC_BOOTSTRAP, seed=seed)
        for m in models
    ]
    folds = len(ests) - 1
    out = {}
    names = ["S1", "ST"] + (["S2"] if second_order else [])
    for name in names:
        full = getattr(ests[0], name)
        mc = (getattr(ests[0], f"{name}_high") - full) / norm.ppf(0.975)
        draws = np.array([getattr(e, name) for e in ests[1:]])
        jack = (folds - 1) / folds * np.sum((draws - draws.mean(axis=0)) ** 2, axis=0)
        half = z * np.sqrt(jack + mc**2)
        out[name] = (full, full - half, full + half)
    return out


def emulate(plan: Plan, values: RunValues, means: dict[str, np.ndarray]):
    """Emulator indices (rows of the index table) and the validation table.

    BLAS runs on one thread here: on a shared 2-core machine a multi-threaded
    Cholesky of a 512 × 512 matrix took 0.65 s instead of about 0.01 s.
    """
    with threadpool_limits(1):
        return _emulate(plan, values, means)


def _emulate(plan: Plan, values: RunValues, means: dict[str, np.ndarray]):
    study = plan.study
    spec = study.methods.emulator
    outcome = study.analysis.main_outcome
    if spec is None or study.methods.sobol is None:
        return pd.DataFrame(columns=INDEX_COLUMNS), pd.DataFrame(columns=VALIDATION_COLUMNS)
    names = study.factor_names
    k = len(names)
    low = np.array([f.bounds[0] for f in study.factors])
    high = np.array([f.bounds[1] for f in study.factors])
    lever = np.array([f.is_lever for f in study.factors])
    year = values.years[outcome][-1]
    z = norm.ppf(0.5 + study.methods.sobol.conf_level / 2)
    sample = plan.samples["sobol"]
    rows, checks = [], []
    prob = problem(study)
    seed = stream_seed(study.master_seed, "emulator/sample")
    X_full = sobol_sample.sample(
        prob, spec.samples, calc_second_order=spec.second_order, scramble=True, seed=seed
    )
    sub = {key: [v for v, is_l in zip(prob[key], lever, strict=True) if not is_l]
           for key in ("names", "bounds", "dists")}  # fmt: skip
    sub["num_vars"] = int((~lever).sum())
    U_sub = sobol_sample.sample(
        sub, spec.samples, calc_second_order=False, scramble=True, seed=seed
    )
    X_pol = np.tile(low, (len(U_sub), 1))
    X_pol[:, ~lever] = U_sub
    for scenario in study.scenarios:
        cell = (scenario, outcome, year)
        idx = plan.points(scenario, "sobol")["row"].to_numpy()
        use = sample.given_data_rows()[: spec.max_points]
        X = sample.X[use]
        runs = values.values[outcome][idx[use], :, -1]
        y = runs.mean(axis=1)
        if np.ptp(y) == 0 or not np.all(np.isfinite(y)):
            continue
        within = runs.var(axis=1, ddof=1) if runs.shape[1] > 1 else np.zeros(len(y))
        base = Emulator(low, high, runs.shape[1])
        base.fit_noise(X, within if runs.shape[1] > 1 else np.full(len(y), 1e-12))
        base.fit(X, y)
        folds = np.arange(len(y)) % spec.folds
        pred = np.empty(len(y))
        models = [base]
        for f in range(spec.folds):
            m = Emulator(low, high, runs.shape[1])
            m.noise_coef = base.noise_coef
            m.fit(X[folds != f], y[folds != f], kernel=base.gp.kernel_)
            pred[folds == f] = m.predict(X[folds == f])
            models.append(m)
        var_y = float(np.var(y))
        noise_mean = float(np.mean(within)) / runs.shape[1]
        check = {
            "scenario": scenario,
            "outcome": outcome,
            "year": int(year),
            "points": len(y),
            "folds": spec.folds,
            "q2_heldout": 1 - float(np.mean((y - pred) ** 2)) / var_y,
            "q2_attainable": 1 - noise_mean / var_y,
            "rmse_heldout": float(np.sqrt(np.mean((y - pred) ** 2))),
            "noise_sd_mean": math.sqrt(noise_mean),
            "noise_var_min": float(base.noise_var(X).min()),
            "noise_var_max": float(base.noise_var(X).max()),
            "policy_points": 0,
            "q2_policy": math.nan,
            "q2_policy_attainable": math.nan,
            "rmse_policy": math.nan,
        }
        if study.methods.levers is not None:
            pts = plan.points(scenario, "levers")
            labels = lever_rows(study)
            off = pts.iloc[labels.index(OFF) :: len(labels)]
            y_off = means[outcome][off["row"].to_numpy(), -1]
            p_off = base.predict(off[names].to_numpy())
            check["policy_points"] = len(off)
            check["rmse_policy"] = float(np.sqrt(np.mean((y_off - p_off) ** 2)))
            check["q2_policy"] = 1 - float(np.mean((y_off - p_off) ** 2)) / float(np.var(y_off))
            off_runs = values.values[outcome][off["row"].to_numpy(), :, -1]
            if off_runs.shape[1] > 1:
                noise_off = float(np.mean(off_runs.var(axis=1, ddof=1))) / off_runs.shape[1]
                check["q2_policy_attainable"] = 1 - noise_off / float(np.var(y_off))
        got = _indices(models, X_full, k, spec.second_order, seed, z)
        for index, (value, lo, hi) in got.items():
            if index == "S2":
                for i in range(k):
                    for j in range(i + 1, k):
                        rows.append(
                            _row(cell, f"{names[i]}:{names[j]}", "emulator", "S2",
                                 value[i, j], lo[i, j], hi[i, j])
                        )  # fmt: skip
                continue
            for i, name in enumerate(names):
                rows.append(_row(cell, name, "emulator", index, value[i], lo[i], hi[i]))
        pol = _indices(models, X_pol, sub["num_vars"], False, seed, z)
        sub_names = [n for n, is_l in zip(names, lever, strict=True) if not is_l]
        for index, (value, lo, hi) in pol.items():
            for i, name in enumerate(sub_names):
                rows.append(_row(cell, name, "emulator_policy", index, value[i], lo[i], hi[i]))
        checks.append(check)
    return pd.DataFrame(rows, columns=INDEX_COLUMNS), pd.DataFrame(
        checks, columns=VALIDATION_COLUMNS
    )


def agreement(indices: pd.DataFrame, validation: pd.DataFrame) -> pd.DataFrame:
    """Fill ``agree_S1`` / ``agree_ST``: how many factors' emulator and direct intervals
    overlap (e.g. '12/13'), per scenario."""
    out = validation.copy()
    out["agree_S1"] = out["agree_S1"].astype(object)
    out["agree_ST"] = out["agree_ST"].astype(object)
    for i, row in out.iterrows():
        cell = indices[
            (indices["scenario"] == row["scenario"])
            & (indices["outcome"] == row["outcome"])
            & (indices["year"] == row["year"])
        ]
        for index in ("S1", "ST"):
            d = cell[(cell["method"] == "sobol") & (cell["index"] == index)].set_index("factor")
            e = cell[(cell["method"] == "emulator") & (cell["index"] == index)].set_index("factor")
            both = d.merge(e, left_index=True, right_index=True, suffixes=("_d", "_e"))
            ok = (both["conf_low_d"] <= both["conf_high_e"]) & (
                both["conf_low_e"] <= both["conf_high_d"]
            )
            out.loc[i, f"agree_{index}"] = f"{int(ok.sum())}/{len(both)}"
    return out


def _row(cell, factor, method, index, value, low, high) -> dict:
    scenario, outcome, year = cell
    return {
        "scenario": scenario,
        "outcome": outcome,
        "year": int(year),
        "factor": factor,
        "method": method,
        "index": index,
        "value": float(value),
        "conf_low": float(low),
        "conf_high": float(high),
    }
