"""Small real stores for the report tests: a sweep and a sensitivity study, made by the
same code `make run` and `make sensitivity` use (only smaller and shorter), and synthetic
tables in the exact columns of the robustness study (issue 14) and the paired lever
effects (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from experiments.sensitivity.pipeline import run_study
from experiments.sweep.pipeline import run_sweep

from .conftest import BASELINE
from .study_helpers import TWO_LEVER_FACTORS
from .sweep_helpers import write_experiment

SCENARIOS = ["trend", "studio-valley", "platform-satellite", "cloud-commons", "dispersed-feeds"]
POLICIES = ["none", "campus-plus", "innovation-hub"]

STUDY = """
name = "tiny-report"
description = "Two levers on a tiny design (report test)."
baseline = "{baseline}"
scenarios = ["trend"]
policy = "none"
replications = 2
master_seed = 11
outcomes = ["hilversum_jobs_share"]

[overrides]
run.end_year = 2028

[sobol]
base_samples = 4
bootstrap = 50
"""


def make_sweep(folder: Path, figures: bool = True, scenarios=None, name="sweep") -> Path:
    """5 scenarios (or ``scenarios``) × 3 packages × 3 replications, 2025–2030."""
    exp = write_experiment(
        folder,
        name=f"tiny-report-{name}",
        scenarios=scenarios or SCENARIOS,
        policies=POLICIES,
        replications=3,
        end_year=2030,
    )
    out = folder / name
    run_sweep(exp, out=out, workers=1, progress=False, figures=figures)
    return out


def make_study(folder: Path) -> Path:
    """A Sobol study of two levers in one scenario, 2025–2028."""
    path = folder / "tiny-report.toml"
    path.write_text(STUDY.format(baseline=BASELINE.as_posix()) + TWO_LEVER_FACTORS)
    out = folder / "study"
    run_study(path, out=out, workers=1, progress=False)
    return out


# Paired lever effects in issue 13's columns, as fractions of the share (the study's
# units): the fund clearly raises the share in both scenarios, amenity raises it in one
# only, the cooperation interval spans 0 everywhere.
LEVER_EFFECTS = pd.DataFrame(
    [
        ("trend", "hilversum_jobs_share", 2040, "innovation_fund", 0.031, 0.022, 0.040),
        ("cloud-commons", "hilversum_jobs_share", 2040, "innovation_fund", 0.025, 0.015, 0.035),
        ("trend", "hilversum_jobs_share", 2040, "campus_amenity", 0.012, 0.004, 0.020),
        ("cloud-commons", "hilversum_jobs_share", 2040, "campus_amenity", 0.004, -0.003, 0.011),
        ("trend", "hilversum_jobs_share", 2040, "cooperation", 0.001, -0.006, 0.008),
        ("cloud-commons", "hilversum_jobs_share", 2040, "cooperation", -0.002, -0.009, 0.005),
        # an earlier year and another outcome, which the sentences must not use
        ("trend", "hilversum_jobs_share", 2030, "cooperation", 0.5, 0.4, 0.6),
        ("trend", "startups_hilversum", 2040, "cooperation", 9.0, 8.0, 10.0),
    ],
    columns=["scenario", "outcome", "year", "lever", "effect", "conf_low", "conf_high"],
)

FACTORS = pd.DataFrame(
    {
        "factor": ["innovation_fund", "campus_amenity", "cooperation", "agglomeration"],
        "role": ["lever", "lever", "lever", "parameter"],
        "label": ["innovation fund", "campus amenity", "cooperation", "agglomeration"],
        "keys": [
            "policy.innovation_fund_meur_per_year.value",
            "policy.campus_amenity.value",
            "policy.cooperation_programme.value",
            "spillover.*.*",
        ],
        "mode": ["set", "set", "set", "scale"],
        "distribution": ["unif"] * 4,
        "low": [0.0, 0.0, 0.0, 0.5],
        "high": [20.0, 0.35, 0.2, 1.5],
        "reason": ["r1", "r2", "r3", "r4"],
    }
)


def make_study_with_effects(folder: Path, study: Path) -> Path:
    """A copy of a real study store with lever_effects.csv and factors.csv in issue 13's
    columns (synthetic values: the report must phrase what it is given)."""
    import shutil

    out = folder / "study-effects"
    shutil.copytree(study, out)
    LEVER_EFFECTS.to_csv(out / "lever_effects.csv", index=False)
    FACTORS.to_csv(out / "factors.csv", index=False)
    return out


# Issue 14's robustness study: robustness.csv and frontier.csv, shares as fractions.
ROBUSTNESS = pd.DataFrame(
    [
        (p, "hilversum_jobs_share", metric, value)
        for p, values in {
            "none": (0.10, 0.21, 0.080, 0.0),
            "fund-and-space": (0.70, 0.30, 0.010, 150.0),
            "all-in": (0.95, 0.36, 0.0, 655.0),
        }.items()
        for metric, value in zip(
            ("satisficing", "p10", "max_regret", "cost_discounted_meur"), values, strict=True
        )
    ],
    columns=["policy", "outcome", "metric", "value"],
)
FRONTIER = pd.DataFrame(
    [
        (budget, policy, metric, value)
        for budget, policy, sat, cost in (
            (0.0, "none", 0.10, 0.0),
            (200.0, "fund-and-space", 0.70, 150.0),
            (700.0, "all-in", 0.95, 655.0),
        )
        for metric, value in (("satisficing", sat), ("cost_discounted_meur", cost))
    ],
    columns=["budget_meur", "policy", "metric", "value"],
)


def make_robust(folder: Path, with_manifest: bool = True) -> Path:
    """A robustness study's folder with the two tables (and a manifest of kind robust)."""
    out = folder / "robust"
    out.mkdir()
    ROBUSTNESS.to_csv(out / "robustness.csv", index=False)
    FRONTIER.to_csv(out / "frontier.csv", index=False)
    if with_manifest:
        (out / "manifest.json").write_text(json.dumps({"kind": "robust", "experiment": "robust"}))
    return out


# A calibration folder in the exact files `make hindcast` writes (synthetic values: the
# report must show what it is given). Three patterns within tolerance, one outside (its
# simulated median above its tolerance); parameters whose sd ratios fall in each verdict
# band, one of them a nuisance of history that does not carry over to 2040.
FIT = pd.DataFrame(
    {
        "target": [
            "hilversum_jobs_change_2010_2017",
            "amsterdam_utrecht_jobs_change_2010_2017",
            "media_park_occupancy_2019",
            "synthetic_pattern_2025",
        ],
        "year": [2017, 2017, 2019, 2025],
        "observed": [-0.09, 0.06, 0.95, 0.40],
        "low": [-0.15, 0.0, 0.88, 0.30],
        "high": [-0.03, 0.12, 1.0, 0.50],
        "sim_p05": [-0.12, 0.05, 0.85, 0.33],
        "sim_median": [-0.07, 0.15, 0.90, 0.41],
        "sim_p95": [-0.02, 0.22, 0.95, 0.47],
    }
)
FIT["within"] = (FIT["sim_median"] >= FIT["low"]) & (FIT["sim_median"] <= FIT["high"])
SUMMARY = pd.DataFrame(
    {
        "parameter": ["logit_scale", "moving_cost_scale", "rent_sensitivity_scale",
                      "broadcaster_decline_scale"],
        "prior_low": [0.5, 0.5, 0.25, 0.25],
        "prior_high": [2.0, 1.5, 2.0, 1.5],
        "posterior_p05": [0.61, 0.55, 0.40, 0.27],
        "posterior_median": [1.23, 0.97, 1.10, 0.43],
        "posterior_p95": [1.88, 1.44, 1.70, 0.61],
        "sd_ratio": [0.95, 0.78, 0.55, 0.30],
    }
)  # fmt: skip
PATTERNS_TOML = """
[[pattern]]
target = "synthetic_pattern_2025"
label = "A synthetic pattern"
statistic = "value"
year = 2025
"""


def make_hindcast(folder: Path, name: str = "hindcast", summary: pd.DataFrame | None = None):
    """A calibration folder (calibration.json, fit.csv, posterior_summary.csv, a real
    posterior.parquet written by the calibration's own writer, inputs/patterns.toml)."""
    import numpy as np

    from experiments.calibration.posterior import write_posterior

    summary = SUMMARY if summary is None else summary
    out = folder / name
    (out / "inputs").mkdir(parents=True)
    FIT.to_csv(out / "fit.csv", index=False)
    summary.to_csv(out / "posterior_summary.csv", index=False)
    (out / "inputs" / "patterns.toml").write_text(PATTERNS_TOML)
    names = list(summary["parameter"])
    particles = pd.DataFrame({"particle": range(10), "weight": 0.1, "distance": 0.5})
    rng = np.random.default_rng(3)
    for n in names:
        particles[n] = rng.uniform(0.5, 1.5, 10)
    meta = {
        n: {"keys": ["run.logit_scale"], "mode": "scale", "bounds": [0.5, 1.5],
            "transfer": n != "broadcaster_decline_scale"}
        for n in names
    }  # fmt: skip
    write_posterior(out / "posterior.parquet", particles, meta, {"calibration": name})
    info = {
        "kind": "calibration",
        "calibration": name,
        "status": "complete",
        "particles": 10,
        "predictive": 7,
        "parameters": {n: {"mode": "set" if n == "logit_scale" else "scale"} for n in names},
        "populations": [{"population": 0, "proposed": 10}, {"population": 1, "proposed": "23"}],
        "sessions": [{}],
        "simulations_run_now": 41,
    }
    (out / "calibration.json").write_text(json.dumps(info))
    return out
