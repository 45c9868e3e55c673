"""The same experiment gives byte-identical stored outcomes on every executor."""

from __future__ import annotations

import json

from experiments.cli import main

from .sweep_helpers import assert_identical, stored_rows, write_experiment


def test_serial_process_pool_and_dask_local_cluster_store_identical_outcomes(tmp_path):
    # Three executors and three chunk sizes: neither may change any stored value,
    # because each run's seed depends only on the master seed and its design key.
    exp = write_experiment(tmp_path, replications=3)
    runs = {
        "serial": ["--workers", "1", "--chunk-size", "1"],
        "pool": ["--workers", "2", "--chunk-size", "3"],
        "dask": ["--scheduler", "local", "--workers", "2"],
    }
    for name, options in runs.items():
        code = main(
            ["sweep", str(exp), "--out", str(tmp_path / name), "--quiet", "--no-figures", *options]
        )
        assert code == 0, name
    serial = stored_rows(tmp_path / "serial")
    assert serial["run_id"].nunique() == 2 * 2 * 3
    assert len(serial) == 12 * 3  # years 2025, 2026, 2027
    assert_identical(serial, stored_rows(tmp_path / "pool"))
    assert_identical(serial, stored_rows(tmp_path / "dask"))
    executors = [
        json.loads((tmp_path / n / "manifest.json").read_text())["sessions"][0]["executor"]
        for n in runs
    ]
    assert executors[0].startswith("serial")
    assert executors[1].startswith("local process pool, 2 workers")
    assert executors[2].startswith("Dask LocalCluster, 2 worker processes")
    # summary.csv is derived from the stored rows, so it is identical too
    texts = {(tmp_path / n / "summary.csv").read_text() for n in runs}
    assert len(texts) == 1
