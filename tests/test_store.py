"""Store safety: nothing stored is lost by a second sweep, --overwrite or a concurrent writer."""

from __future__ import annotations

from experiments.cli import main
from experiments.engine.store import Store

from .sweep_helpers import assert_identical, stored_rows, write_experiment

QUIET = ["--workers", "1", "--quiet", "--no-figures"]


def test_overwrite_replaces_a_store_but_never_a_folder_that_is_not_one(tmp_path, capsys):
    exp = write_experiment(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), *QUIET]) == 0
    first = stored_rows(out)
    (out / "runs" / "stray-note.txt").write_text("kept by nobody")
    assert main(["sweep", str(exp), "--out", str(out), "--overwrite", *QUIET]) == 0
    assert not (out / "runs" / "stray-note.txt").exists()
    assert_identical(stored_rows(out), first)

    other = tmp_path / "thesis"
    other.mkdir()
    (other / "chapter1.md").write_text("precious")
    for extra in ([], ["--overwrite"], ["--resume"]):
        assert main(["sweep", str(exp), "--out", str(other), *extra, *QUIET]) == 2
        assert "not a results store" in capsys.readouterr().err
    assert (other / "chapter1.md").read_text() == "precious"


def test_a_store_being_written_is_locked_against_a_second_writer(tmp_path, capsys):
    exp = write_experiment(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), *QUIET]) == 0
    before = stored_rows(out)
    with Store(out).lock():  # as a running sweep holds it
        assert main(["sweep", str(exp), "--out", str(out), "--resume", *QUIET]) == 2
        assert "another process is writing to this store" in capsys.readouterr().err
        assert main(["sweep", str(exp), "--out", str(out), "--overwrite", *QUIET]) == 2
    assert_identical(stored_rows(out), before)
