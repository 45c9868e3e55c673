"""A sensitivity study on the real model, end to end, and killed then resumed (issue 4)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main
from experiments.engine.store import Store
from experiments.sensitivity.indices import INDEX_COLUMNS

from .conftest import BASELINE, ROOT
from .study_helpers import TWO_LEVER_FACTORS

SCENARIOS = ["trend", "dispersed-feeds"]
OUTCOMES = [
    "hilversum_jobs_share",
    "min_hilversum_jobs_share",
    "ever_below_2025_share",
    "startups_hilversum",
    "share_kept_pp",
    "cost_per_point_kept",
]
END_YEAR = 2029  # a short horizon keeps the test quick; the pipeline is the same

TINY = f"""
name = "tiny"
description = "Two levers and one parameter on a tiny design (test)."
baseline = "{BASELINE.as_posix()}"
scenarios = {json.dumps(SCENARIOS)}
policy = "none"
replications = 2
uncertain = false           # keep the tiny study tiny: no [uncertain] factors
master_seed = 77
outcomes = {json.dumps(OUTCOMES)}

[overrides]
run.end_year = {END_YEAR}
policy.rent_subsidy.kinds = ["tech_firm", "startup"]

[sobol]
base_samples = 4
bootstrap = 50

[morris]
trajectories = 10
bootstrap = 50

[pawn]
slices = 3
bootstrap = 3
permutations = 20

[levers]
members = 4

{TWO_LEVER_FACTORS}
[factors.agglomeration]
role = "parameter"
keys = ["spillover.*.*"]
mode = "scale"
bounds = [0.5, 1.5]
reason = "test range of agglomeration"
"""
# Design rows per scenario (3 factors + the dummy): Sobol 4 × (4 + 2) = 24 points
# + 16 references (A with its lever rows, AB_agglomeration, AB_dummy, B with its
# lever rows: 4 per block), Morris 10 × 5 = 50 points + 30 references (one per
# seed group and parameter value), lever ensemble 4 × (off, 2 levers, all) = 16
# → 136 rows × 2 replications × 2 scenarios.
N_RUNS = 544
FACTORS = ["campus_amenity", "innovation_fund", "agglomeration", "dummy"]


def study_file(folder: Path) -> Path:
    path = folder / "tiny.toml"
    path.write_text(TINY)
    return path


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sensitivity")
    out = folder / "results"
    code = main(
        ["sensitivity", str(study_file(folder)), "--workers", "1", "--quiet", "--out", str(out)]
    )
    assert code == 0
    return out


def test_study_on_the_model_writes_every_output(uninterrupted: Path):
    out = uninterrupted
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "sensitivity" and manifest["status"] == "complete"
    assert manifest["runs"] == {"planned": N_RUNS, "done": N_RUNS, "failed": 0}

    indices = pd.read_csv(out / "indices.csv")
    assert list(indices.columns) == INDEX_COLUMNS
    assert set(indices["scenario"]) == set(SCENARIOS)
    assert set(indices["outcome"]) == set(OUTCOMES)
    assert set(indices["method"]) == {"sobol", "morris", "pawn", "delta"}
    sobol = indices[indices["method"] == "sobol"]
    assert set(sobol["index"]) == {"S1", "ST", "ST_raw", "ST_noise"}
    # Sobol indices every year for the yearly outcomes, the final year for the others.
    years = set(range(2025, END_YEAR + 1))
    for outcome in ("hilversum_jobs_share", "startups_hilversum", "share_kept_pp"):
        assert set(sobol[sobol["outcome"] == outcome]["year"]) == years
    assert set(sobol[sobol["outcome"] == "cost_per_point_kept"]["year"]) == {END_YEAR}
    # Every cell has every factor (the dummy too): 2 scenarios × 4 factors × 4 indices
    # (S1, ST, ST_raw, ST_noise) × (3 yearly outcomes × 4 varying years + 3 run-level
    # outcomes), and S1, ST (NaN) in 2025, when every run is at the same start.
    cells = sobol.groupby(["scenario", "outcome", "year"]).size()
    assert len(cells) == 2 * (3 * len(years) + 3)
    assert set(cells) <= {4 * 4, 4 * 2}
    # 8 rows (S1, ST as NaN) where every run has the same value: the 2025 start, and an
    # outcome constant in a scenario (in trend every run falls below its 2025 share)
    constant = cells[cells == 8]
    assert set(constant.xs(2025, level="year").index.get_level_values("outcome")) == {
        "hilversum_jobs_share",
        "startups_hilversum",
        "share_kept_pp",
    }
    assert len(constant) <= 2 * 3 + 2  # at most one more per scenario
    assert set(indices["factor"]) == set(FACTORS)
    morris = indices[indices["method"] == "morris"]
    assert set(morris["index"]) == {"mu_star", "mu", "sigma"}
    # An interval bounds its index (where there is one).
    bounded = indices.dropna(subset=["conf_low", "conf_high"])
    assert len(bounded) and (bounded["conf_low"] <= bounded["value"] + 1e-12).all()
    assert (bounded["conf_high"] >= bounded["value"] - 1e-12).all()

    for scenario in SCENARIOS:
        levers = pd.read_csv(out / f"ranked_levers_{scenario}.csv")
        assert list(levers["factor"].sort_values()) == ["campus_amenity", "innovation_fund"]
        assert list(levers["rank"]) == [1, 2]
        assert levers["ST"].is_monotonic_decreasing
        for name in ("sobol", "morris", "over_time"):
            assert (out / "figures" / f"{name}_{scenario}.png").stat().st_size > 0
    assert (out / "figures" / "heatmap_levers.png").stat().st_size > 0

    noise = pd.read_csv(out / "noise.csv")
    share = noise["noise_share_runs"].dropna()
    assert len(share) and share.between(0, 1).all()
    # 2025 is the calibrated start, the same for every seed and design point:
    # a constant has no variance to apportion, so its indices are NaN, not a
    # number, and no share of it is seed noise.
    start = sobol[(sobol["outcome"] == "hilversum_jobs_share") & (sobol["year"] == 2025)]
    assert len(start) == 2 * 4 * 2 and start["value"].isna().all()
    start_noise = noise[(noise["outcome"] == "hilversum_jobs_share") & (noise["year"] == 2025)]
    assert (start_noise["var_within"] == 0).all()
    later = sobol[(sobol["outcome"] == "hilversum_jobs_share") & (sobol["year"] == END_YEAR)]
    assert later["value"].notna().all()

    conv = pd.read_csv(out / "convergence.csv")
    assert list(conv.columns) == [
        "scenario", "outcome", "year", "factor", "index", "n", "value", "conf_low", "conf_high"
    ]  # fmt: skip
    assert set(conv["n"]) == {4} and {"var_Y", "var_f", "sum_S1"} <= set(conv["index"])
    effects = pd.read_csv(out / "lever_effects.csv")
    assert list(effects.columns) == [
        "scenario", "outcome", "year", "lever", "effect", "conf_low", "conf_high"
    ]  # fmt: skip
    assert set(effects["lever"]) == {"campus_amenity", "innovation_fund"}
    assert set(effects["scenario"]) == set(SCENARIOS)
    final = effects[(effects["year"] == END_YEAR) & (effects["outcome"] == "hilversum_jobs_share")]
    assert (final["conf_low"] <= final["effect"]).all() and len(final) == 4
    levers = pd.read_csv(out / "ranked_levers_trend.csv")
    assert set(levers["direction"]) <= {"raises it", "lowers it", "no clear effect"}
    assert (out / "lever_costs.csv").is_file() and (out / "lever_combined.csv").is_file()
    for name in ("convergence_trend", "lever_effects"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 0
    warnings = (out / "warnings.txt").read_text()
    assert "min_hilversum_jobs_share · outcome unsuited" in warnings

    points = pd.read_csv(out / "design_points.csv")
    points = points[points["method"] != "levers"]  # the ensemble has no reference runs
    kept = points[f"share_kept_pp_{END_YEAR}"]
    cost = points[f"cost_per_point_kept_{END_YEAR}"]
    assert kept.notna().all() and (cost >= 0).all()
    for name in ("factors.csv", "ranked_factors.csv", "warnings.txt", "summary.md"):
        assert (out / name).is_file()
    assert "## trend" in (out / "summary.md").read_text()


def test_killed_and_resumed_study_gives_the_same_indices(uninterrupted: Path, tmp_path: Path):
    out = tmp_path / "results"
    command = [
        sys.executable,
        "-m",
        "experiments",
        "sensitivity",
        str(study_file(tmp_path)),
        "--workers",
        "1",
        "--chunk-size",
        "8",
        "--quiet",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and not Store(out).parts("runs"):
            assert time.monotonic() < deadline, "no chunk was stored within 5 minutes"
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done = len(Store(out).done_run_ids())
    # The kill must have hit a study in progress, or this test shows nothing.
    assert 0 < done < N_RUNS, f"killed with {done} of {N_RUNS} runs stored"
    assert not (out / "indices.csv").exists()

    assert main(["sensitivity", command[4], "--workers", "1", "--quiet", "--out", str(out)]) == 2
    code = main(
        ["sensitivity", command[4], "--workers", "1", "--quiet", "--resume", "--out", str(out)]
    )
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"] == {"planned": N_RUNS, "done": N_RUNS, "failed": 0}
    assert len(manifest["sessions"]) == 2
    # No run twice: one stored row per run and year.
    runs = Store(out).read_runs(columns=["hilversum_jobs_share"])
    assert len(runs) == N_RUNS * (END_YEAR - 2025 + 1)
    assert not runs.duplicated(["run_id", "year"]).any()
    for name in (
        "indices.csv",
        "noise.csv",
        "ranked_factors.csv",
        "design_points.csv",
        "convergence.csv",
        "lever_effects.csv",
    ):
        pd.testing.assert_frame_equal(
            pd.read_csv(out / name), pd.read_csv(uninterrupted / name), check_exact=True
        )
