"""A run that raises is recorded with its error; the others complete; exit code 1."""

from __future__ import annotations

import pandas as pd

import sim
from experiments.cli import main
from experiments.engine.design import design_rows, sweep_specs
from experiments.engine.execute import run_chunk
from experiments.engine.executors import process_pool
from experiments.engine.inputs import ParamsBundle, RunSetup
from experiments.engine.runner import run_specs
from experiments.engine.store import Store

from .sweep_helpers import BASELINE, assert_identical, stored_rows, write_experiment


def test_raising_run_is_recorded_the_rest_complete_and_exit_code_is_1(
    tmp_path, monkeypatch, capsys
):
    exp = write_experiment(tmp_path)
    specs = sweep_specs(["trend", "cloud-commons"], ["none", "all-in"], 2, 5)
    bad = specs[3]
    original = sim.MediaClusterModel.run

    def faulty_run(model):
        if model.seed == bad.seed:
            raise RuntimeError("injected fault")
        return original(model)

    # --workers 1 runs in this process, so the patched model is the one that runs.
    monkeypatch.setattr(sim.MediaClusterModel, "run", faulty_run)
    out = tmp_path / "out"
    args = ["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-figures"]
    assert main([*args, "--chunk-size", "3"]) == 1
    err = capsys.readouterr().err
    assert "1 of 8 runs failed" in err and "failures.csv" in err

    store = Store(out)
    assert store.done_run_ids() == {s.run_id for s in specs} - {bad.run_id}
    failures = pd.read_csv(out / "failures.csv")
    assert failures["run_id"].tolist() == [bad.run_id]
    assert failures["error"].tolist() == ["RuntimeError: injected fault"]
    assert (failures[["scenario", "policy", "replication", "seed"]].iloc[0].tolist()) == [
        bad.scenario,
        bad.policy,
        bad.replication,
        bad.seed,
    ]
    assert "faulty_run" in store.failures()["traceback"].iat[0]
    assert (out / "summary.csv").is_file()  # the summary is written from the runs that finished

    # Fixed, the failed run is retried by --resume and the store is complete.
    monkeypatch.setattr(sim.MediaClusterModel, "run", original)
    assert main([*args, "--resume"]) == 0
    assert not (out / "failures.csv").exists()
    clean = tmp_path / "clean"
    assert (
        main(["sweep", str(exp), "--out", str(clean), "--workers", "1", "--quiet", "--no-figures"])
        == 0
    )
    assert_identical(stored_rows(out), stored_rows(clean))


def test_api_records_invalid_design_point_in_worker_process_and_goes_on(tmp_path):
    # Design values as params overrides, the way a sensitivity study feeds its
    # sample points; one value is out of range and raises inside the worker.
    scales = [1.0, 0.8, -1.0, 1.2]
    rows = [("trend", "none", {"run.logit_scale": s}) for s in scales]
    specs = design_rows(rows, replications=2, master_seed=3)
    bundle = ParamsBundle.from_baseline(BASELINE, ["trend"], ["none"])
    setup = RunSetup(bundle, {"run.end_year": 2027}, ("hilversum_jobs_share",))
    with process_pool(2) as pool:
        outcome = run_specs(
            specs, setup, tmp_path / "study", pool, info={"kind": "test"}, progress=False
        )
    assert (outcome.planned, outcome.done, outcome.failed) == (8, 6, 2)
    failures = Store(tmp_path / "study").failures()
    assert failures["run_id"].tolist() == [4, 5]
    assert failures["run.logit_scale"].tolist() == [-1.0, -1.0]
    assert all(e.startswith("ParamsError: ") and "run.logit_scale" in e for e in failures["error"])
    rows = stored_rows(tmp_path / "study")
    assert list(rows.columns) == [
        "run_id",
        "scenario",
        "policy",
        "replication",
        "seed",
        "run.logit_scale",
        "year",
        "hilversum_jobs_share",
    ]
    assert sorted(rows["run.logit_scale"].unique()) == [0.8, 1.0, 1.2]


def test_error_text_names_params_files_without_the_workers_temporary_folder():
    # Workers load params from a private temporary copy; error texts must not
    # carry that folder, or they would differ between workers and reproduce.
    bundle = ParamsBundle({"baseline.toml": "run = [unclosed"})
    result = run_chunk(design_rows([("baseline", "none", {})], 1, 0), RunSetup(bundle))
    error = result.failures[0].error
    assert error.startswith("ParamsError: params/baseline.toml: invalid TOML")
    assert str(bundle.baseline_path().parent) not in error
