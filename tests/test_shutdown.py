"""A sweep stopped by a signal: one line and exit 143/130 for SIGTERM/SIGINT, and the
pool's workers never outlive the main process, even when it is SIGKILLed (issue 9)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import psutil
import pytest

from experiments.engine.store import Store

from .sweep_helpers import ROOT, write_experiment

# Generous deadlines, not timing assertions: the machine is shared.
START_DEADLINE = 240  # seconds for the sweep to store its first chunks
EXIT_DEADLINE = 60  # seconds for every process of the sweep to be gone


def start_sweep(tmp_path, workers: int = 2):
    """A sweep long enough to be stopped partway, and its store."""
    exp = write_experiment(tmp_path, replications=20, end_year=2030)
    out = tmp_path / "out"
    args = ["sweep", str(exp), "--out", str(out), "--chunk-size", "1", "--quiet", "--no-figures"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "experiments", *args, "--workers", str(workers)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, out


def wait_for_parts(proc, out, n: int = 2) -> list[psutil.Process]:
    """Wait until ``n`` chunks are stored; return the sweep's descendant processes."""
    deadline = time.monotonic() + START_DEADLINE
    while len(Store(out).parts("runs")) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the sweep stored no chunks"
        time.sleep(0.05)
    return psutil.Process(proc.pid).children(recursive=True)


def assert_all_gone(processes: list[psutil.Process]) -> None:
    """Every process is gone within the deadline; kill (by pid) any left, then fail."""
    _, alive = psutil.wait_procs(processes, timeout=EXIT_DEADLINE)
    for p in alive:
        p.kill()
    assert not alive, f"left behind: {[(p.pid, p.name()) for p in alive]}"


@pytest.mark.slow  # about 20-80 s on 2 shared cores: two spawned workers import the model
def test_sigkill_of_the_main_process_leaves_no_worker_behind(tmp_path):
    proc, out = start_sweep(tmp_path)
    try:
        children = wait_for_parts(proc, out)
        workers = [p for p in children if "python" in p.name().lower()]
        assert len(workers) >= 2, children  # two pool workers (and the resource tracker)
        proc.send_signal(signal.SIGKILL)  # the main process only, not its group
        proc.wait(timeout=EXIT_DEADLINE)
        assert_all_gone(children)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_stop_with_one_line_and_an_interrupted_store(tmp_path, sig, code):
    proc, out = start_sweep(tmp_path)
    try:
        children = wait_for_parts(proc, out)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=EXIT_DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code
    name = signal.Signals(sig).name
    assert err == f"interrupted by {name} (finished chunks are stored; continue with --resume)\n"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert 0 < manifest["runs"]["done"] < manifest["runs"]["planned"]
    assert_all_gone(children)
