"""``reproduce`` passes on a fresh store and fails when anything stored was altered."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from experiments.cli import main
from experiments.engine.store import Store

from .sweep_helpers import write_experiment


@pytest.fixture
def store(tmp_path):
    exp = write_experiment(tmp_path, replications=2)
    out = tmp_path / "out"
    assert (
        main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-figures"])
        == 0
    )
    return out


def test_reproduce_passes_on_a_fresh_store(store, capsys):
    assert main(["reproduce", str(store), "--workers", "1"]) == 0
    assert "reproduced 8 runs, identical" in capsys.readouterr().out
    assert main(["reproduce", str(store), "--workers", "1", "--sample", "3"]) == 0
    assert "reproduced 3 runs, identical" in capsys.readouterr().out


def test_reproduce_fails_when_a_stored_value_is_altered(store, capsys):
    part = Store(store).parts("runs")[1]
    table = pq.read_table(part).to_pandas()
    column = "hilversum_jobs_share"
    row = 4
    table.loc[row, column] = table.loc[row, column] + 1e-12  # the smallest visible change
    table.to_parquet(part, index=False)
    run_id, year = int(table.loc[row, "run_id"]), int(table.loc[row, "year"])

    assert main(["reproduce", str(store), "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert f"run {run_id} year {year} {column}: stored" in out
    # Found twice: by the part's checksum in the manifest, and by the value itself.
    assert f"part runs/{part.name} altered: checksum differs" in out
    assert "NOT reproduced: 2 differences in 8 runs compared" in out


def test_reproduce_fails_when_a_stored_input_file_was_edited(store, capsys):
    policy = store / "inputs" / "params" / "policies" / "all-in.toml"
    policy.write_text(policy.read_text() + "\n# edited\n")
    assert main(["reproduce", str(store), "--workers", "1"]) == 1
    assert "input params/policies/all-in.toml: stored copy does not match its hash" in (
        capsys.readouterr().out
    )


def test_reproduce_of_a_folder_that_is_not_a_store_is_bad_input(tmp_path, capsys):
    assert main(["reproduce", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a results store" in err
