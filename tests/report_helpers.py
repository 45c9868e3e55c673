"""Small real stores for the report tests: a sweep and a sensitivity study, made by the
same code `make run` and `make sensitivity` use (only smaller and shorter)."""

from __future__ import annotations

from pathlib import Path

from experiments.sensitivity.pipeline import run_study
from experiments.sweep.pipeline import run_sweep

from .conftest import BASELINE
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

[factors.campus_amenity]
role = "lever"
key = "policy.campus_amenity.value"
bounds = [0.0, 0.35]
reason = "test range of the amenity lever"

[factors.innovation_fund]
role = "lever"
key = "policy.innovation_fund_meur_per_year.value"
bounds = [0.0, 20.0]
reason = "test range of the fund lever"
"""


def make_sweep(folder: Path, figures: bool = True) -> Path:
    """5 scenarios × 3 packages × 3 replications, 2025–2030, with the sweep's figures."""
    exp = write_experiment(
        folder,
        name="tiny-report-sweep",
        scenarios=SCENARIOS,
        policies=POLICIES,
        replications=3,
        end_year=2030,
    )
    out = folder / "sweep"
    run_sweep(exp, out=out, workers=1, progress=False, figures=figures)
    return out


def make_study(folder: Path) -> Path:
    """A Sobol study of two levers in one scenario, 2025–2028."""
    path = folder / "tiny-report.toml"
    path.write_text(STUDY.format(baseline=BASELINE.as_posix()))
    out = folder / "study"
    run_study(path, out=out, workers=1, progress=False)
    return out
