"""The same experiment gives byte-identical stored outcomes on every executor."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from experiments.cli import main
from experiments.engine.design import sweep_specs
from experiments.engine.executors import SerialExecutor
from experiments.engine.inputs import ParamsBundle, RunSetup
from experiments.engine.runner import run_specs
from experiments.sweep.experiment_file import load_experiment

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


def test_any_executor_works_through_the_api_a_thread_pool_too(tmp_path):
    # run_specs takes any concurrent.futures.Executor; threads share one
    # materialised params folder, which must survive concurrent first use.
    exp = load_experiment(write_experiment(tmp_path, replications=3))
    specs = sweep_specs(exp.scenarios, exp.policies, exp.replications, exp.master_seed)
    setup = RunSetup(
        ParamsBundle.from_baseline(exp.baseline, exp.scenarios, exp.policies), exp.overrides
    )
    with ThreadPoolExecutor(4) as pool:
        threaded = run_specs(specs, setup, tmp_path / "threads", pool, chunk_size=1, progress=False)
    serial = run_specs(
        specs, setup, tmp_path / "serial", SerialExecutor(), chunk_size=5, progress=False
    )
    assert (threaded.done, threaded.failed, serial.done) == (12, 0, 12)
    assert_identical(stored_rows(tmp_path / "threads"), stored_rows(tmp_path / "serial"))
