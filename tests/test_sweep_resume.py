"""A sweep killed with SIGKILL and resumed ends with exactly the uninterrupted rows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from experiments.cli import main
from experiments.engine.store import Store

from .sweep_helpers import ROOT, assert_identical, stored_rows, write_experiment

N_RUNS = 2 * 2 * 10
CHUNK = 2  # 20 parts: plenty of chunk boundaries to be killed between


def test_sigkill_then_resume_matches_uninterrupted_sweep(tmp_path):
    exp = write_experiment(tmp_path, replications=10, end_year=2029)
    killed = tmp_path / "killed"
    args = ["sweep", str(exp), "--out", str(killed), "--chunk-size", str(CHUNK)]
    # A new session so that the whole process group (the command and any
    # worker it started) can be killed at once, by its id.
    proc = subprocess.Popen(
        [sys.executable, "-m", "experiments", *args, "--workers", "1", "--quiet", "--no-figures"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Wait (with a generous deadline, not a timing assertion) until a few
        # chunks are stored, then kill without any chance to clean up.
        deadline = time.monotonic() + 240
        while len(Store(killed).parts("runs")) < 3 and proc.poll() is None:
            assert time.monotonic() < deadline, "sweep stored no chunks"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    store = Store(killed)
    partial = store.done_run_ids()
    assert 0 < len(partial) < N_RUNS, "the sweep was not killed partway"
    assert json.loads((killed / "manifest.json").read_text())["status"] == "running"
    # A half-written part, as a kill during a write would leave it: never read.
    (killed / "runs" / ".part-999999998-999999999.parquet.tmp").write_bytes(b"PAR1 half")

    code = main([*args, "--resume", "--workers", "2", "--quiet", "--no-figures"])
    assert code == 0
    assert not list((killed / "runs").glob(".*.tmp"))

    whole = tmp_path / "whole"
    assert (
        main(["sweep", str(exp), "--out", str(whole), "--workers", "1", "--quiet", "--no-figures"])
        == 0
    )

    resumed, reference = stored_rows(killed), stored_rows(whole)
    assert not resumed.duplicated(["run_id", "year"]).any()
    assert resumed["run_id"].nunique() == N_RUNS
    assert_identical(resumed, reference)
    manifest = json.loads((killed / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["runs"] == {"planned": N_RUNS, "done": N_RUNS, "failed": 0}
    assert [s["runs_to_do"] for s in manifest["sessions"]] == [N_RUNS, N_RUNS - len(partial)]


def test_resume_refuses_a_store_of_another_experiment(tmp_path, capsys):
    exp = write_experiment(tmp_path)
    out = tmp_path / "out"
    assert (
        main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-figures"])
        == 0
    )
    before = stored_rows(out)
    write_experiment(tmp_path, master_seed=6)  # same file, other seeds
    assert main(["sweep", str(exp), "--out", str(out), "--resume", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "cannot resume" in err and "input files differ (experiment.toml)" in err
    assert "run specs differ" in err
    # and a second sweep without --resume is refused: nothing stored is lost
    assert main(["sweep", str(exp), "--out", str(out), "--quiet"]) == 2
    assert "already holds results" in capsys.readouterr().err
    assert_identical(stored_rows(out), before)
