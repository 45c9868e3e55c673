"""What a finished sweep leaves: manifest, long-format runs, summary.csv, figures."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from experiments.cli import main

from .sweep_helpers import BASELINE, stored_rows, write_experiment


def test_sweep_writes_manifest_long_runs_summary_and_figures(tmp_path):
    exp = write_experiment(tmp_path, replications=4, outcomes=None)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"]) == 0

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "sweep" and manifest["master_seed"] == 5
    assert manifest["runs"] == {"planned": 16, "done": 16, "failed": 0}
    assert manifest["status"] == "complete" and manifest["finished"] >= manifest["started"]
    assert {"git_commit", "versions", "host"} <= set(manifest)
    sha = hashlib.sha256(BASELINE.read_bytes()).hexdigest()
    assert manifest["inputs"]["params/baseline.toml"] == sha
    assert manifest["inputs"]["experiment.toml"] == hashlib.sha256(exp.read_bytes()).hexdigest()
    assert manifest["overrides"] == {"run.end_year": 2027}

    rows = stored_rows(out)
    assert list(rows.columns[:6]) == ["run_id", "scenario", "policy", "replication", "seed", "year"]
    assert len(rows) == 16 * 3 and not rows.duplicated(["run_id", "year"]).any()

    summary = pd.read_csv(out / "summary.csv")
    assert len(summary) == 4 * (len(rows.columns) - 6)  # scenario × policy × outcome
    final = rows[(rows["year"] == 2027) & (rows["scenario"] == "trend")]
    values = final[final["policy"] == "all-in"]["hilversum_jobs_share"].to_numpy()
    line = summary.query(
        "scenario == 'trend' and policy == 'all-in' and outcome == 'hilversum_jobs_share'"
    ).iloc[0]
    assert line["year"] == 2027 and line["runs"] == 4
    # summary.csv is written with 17 significant digits, so equal to the last bit
    assert line["median"] == np.median(values)
    assert line["p05"] == np.quantile(values, 0.05)
    assert line["p95"] == np.quantile(values, 0.95)

    figures = out / "figures"
    stems = ["fan_trend", "fan_cloud-commons", "fan_charts"]
    stems += ["heatmap_hilversum_jobs_share", "jobs_by_location"]
    for stem in stems:
        for fmt in ("png", "svg"):
            assert (figures / f"{stem}.{fmt}").stat().st_size > 1000, stem


def test_kept_outcomes_limit_the_stored_columns_and_the_figures(tmp_path):
    exp = write_experiment(tmp_path, outcomes=["hilversum_jobs_share", "media_valley_jobs"])
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    rows = stored_rows(out)
    assert list(rows.columns[5:]) == ["year", "hilversum_jobs_share", "media_valley_jobs"]
    assert (out / "figures" / "heatmap_hilversum_jobs_share.png").is_file()
    assert not (out / "figures" / "jobs_by_location.png").exists()  # no jobs_<location> kept
