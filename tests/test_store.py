"""Store safety: nothing stored is lost by a second sweep, --overwrite or a concurrent writer."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from experiments.cli import main
from experiments.engine import store as store_module
from experiments.engine.store import Store

from .sweep_helpers import FullDisk, assert_identical, stored_rows, write_experiment

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


def test_overwrite_removes_only_the_stores_own_files(tmp_path, capsys):
    exp = write_experiment(tmp_path, replications=1)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), *QUIET]) == 0
    first = stored_rows(out)
    (out / "notes.txt").write_text("my notes on this sweep")
    (out / "drafts").mkdir()
    (out / "drafts" / "figure.svg").write_text("<svg/>")
    capsys.readouterr()
    assert main(["sweep", str(exp), "--out", str(out), "--overwrite", *QUIET]) == 0
    assert "kept drafts, notes.txt (not part of the store)" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "my notes on this sweep"
    assert (out / "drafts" / "figure.svg").read_text() == "<svg/>"
    assert_identical(stored_rows(out), first)
    assert Store(out).exists()


def test_a_folder_with_another_tools_manifest_is_never_removed(tmp_path, capsys):
    exp = write_experiment(tmp_path, replications=1)
    site = tmp_path / "site"
    (site / "src").mkdir(parents=True)
    (site / "manifest.json").write_text('{"name": "web app", "icons": []}')
    (site / "src" / "app.js").write_text("precious")
    for extra in (["--overwrite"], ["--resume"], []):
        assert main(["sweep", str(exp), "--out", str(site), *extra, *QUIET]) == 2
        assert "not a mediacluster results store" in capsys.readouterr().err
    assert (site / "src" / "app.js").read_text() == "precious"
    assert sorted(p.name for p in site.iterdir()) == ["manifest.json", "src"]


def test_run_out_refuses_a_store_and_replaces_an_earlier_run_only_when_told(tmp_path, capsys):
    exp = write_experiment(tmp_path, replications=1)
    store = tmp_path / "store"
    assert main(["sweep", str(exp), "--out", str(store), *QUIET]) == 0
    manifest = (store / "manifest.json").read_bytes()
    run = ["run", "--set", "run.end_year=2026"]
    for extra in ([], ["--overwrite"]):
        assert main([*run, "--out", str(store), *extra]) == 2
        assert "is a results store" in capsys.readouterr().err
    assert (store / "manifest.json").read_bytes() == manifest
    assert main(["reproduce", str(store), "--workers", "1"]) == 0

    single = tmp_path / "single"
    assert main([*run, "--out", str(single)]) == 0
    assert main([*run, "--out", str(single), "--seed", "3"]) == 2
    assert "holds an earlier run; add --overwrite" in capsys.readouterr().err
    assert main([*run, "--out", str(single), "--seed", "3", "--overwrite"]) == 0
    assert json.loads((single / "manifest.json").read_text())["seed"] == 3


def _sweep(tmp_path, name, *extra):
    exp = write_experiment(tmp_path, replications=2, end_year=2026)
    out = tmp_path / name
    assert main(["sweep", str(exp), "--out", str(out), "--chunk-size", "2", *QUIET, *extra]) == 0
    return exp, out


def test_a_deleted_part_is_named_by_reproduce_and_report_and_repaired_by_resume(tmp_path, capsys):
    exp, out = _sweep(tmp_path, "out")
    reference = stored_rows(out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["store"] == {"tool": "mediacluster", "format": 2}
    assert sorted(manifest["parts"]) == [f"runs/{p.name}" for p in Store(out).parts()]
    assert manifest["parts"]["runs/part-000000002-000000003.parquet"]["run_ids"] == [[2, 3]]
    (out / "runs" / "part-000000002-000000003.parquet").unlink()
    capsys.readouterr()

    assert main(["reproduce", str(out), "--workers", "1"]) == 1
    text = capsys.readouterr().out
    assert "part runs/part-000000002-000000003.parquet missing, runs 2-3" in text
    assert "NOT reproduced" in text
    assert main(["report", str(out)]) == 1
    assert "store incomplete" in capsys.readouterr().err

    assert main(["sweep", str(exp), "--out", str(out), "--resume", *QUIET]) == 0
    assert "missing, runs 2-3; their runs run again" in capsys.readouterr().err
    assert_identical(stored_rows(out), reference)
    assert main(["reproduce", str(out), "--workers", "1"]) == 0


def test_an_altered_part_is_set_aside_by_resume_and_its_runs_run_again(tmp_path, capsys):
    exp, out = _sweep(tmp_path, "out")
    reference = stored_rows(out)
    part = Store(out).parts()[0]
    table = pq.read_table(part).to_pandas()
    table.loc[0, "hilversum_jobs_share"] = 0.5
    table.to_parquet(part, index=False)
    assert main(["sweep", str(exp), "--out", str(out), "--resume", *QUIET]) == 0
    assert "altered: checksum differs" in capsys.readouterr().err
    assert (out / "damaged" / "runs" / part.name).is_file()  # set aside, never deleted
    assert_identical(stored_rows(out), reference)


def test_a_part_written_but_not_yet_recorded_is_adopted(tmp_path, capsys):
    # A writer killed between a part's rename and the manifest's update.
    exp, out = _sweep(tmp_path, "out")
    path = out / "manifest.json"
    manifest = json.loads(path.read_text())
    record = manifest["parts"].pop("runs/part-000000004-000000005.parquet")
    manifest["status"] = "interrupted"
    path.write_text(json.dumps(manifest))
    assert main(["reproduce", str(out), "--workers", "1"]) == 0
    assert main(["sweep", str(exp), "--out", str(out), "--resume", *QUIET]) == 0
    adopted = json.loads(path.read_text())
    assert adopted["parts"]["runs/part-000000004-000000005.parquet"] == record
    assert adopted["sessions"][-1]["runs_to_do"] == 0


def test_a_store_of_the_earlier_format_is_still_read_and_checked(tmp_path, capsys):
    # Stores written before the manifest named its tool and parts: known by their
    # keys; a part lost from one marked complete shows as missing runs.
    exp, out = _sweep(tmp_path, "out")
    path = out / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["store"], manifest["parts"]
    path.write_text(json.dumps(manifest))
    assert Store(out).exists()
    assert main(["reproduce", str(out), "--workers", "1"]) == 0
    (out / "runs" / "part-000000000-000000001.parquet").unlink()
    capsys.readouterr()
    assert main(["reproduce", str(out), "--workers", "1"]) == 1
    assert "runs 0-1: missing from a store marked complete" in capsys.readouterr().out
    assert main(["sweep", str(exp), "--out", str(out), "--resume", *QUIET]) == 0
    assert json.loads(path.read_text())["store"]["format"] == 2
    assert main(["reproduce", str(out), "--workers", "1"]) == 0


def test_a_full_disk_leaves_an_interrupted_store_that_resume_completes(
    tmp_path, monkeypatch, capsys
):
    exp, whole = _sweep(tmp_path, "whole")
    out = tmp_path / "out"
    parts = []
    real = open

    def filling(path, mode="r", *args, **kwargs):
        fh = real(path, mode, *args, **kwargs)
        if "w" in mode and "part-" in str(path):
            parts.append(path)
            if len(parts) > 2:  # two chunks fit on the disk, the third does not
                return FullDisk(fh, path)
        return fh

    monkeypatch.setattr(store_module, "open", filling, raising=False)
    args = ["sweep", str(exp), "--out", str(out), "--chunk-size", "2", *QUIET]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "--resume" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert not list(out.rglob("*.tmp"))
    monkeypatch.undo()
    assert main([*args, "--resume"]) == 0
    assert_identical(stored_rows(out), stored_rows(whole))


def test_resume_restores_an_edited_input_copy(tmp_path, capsys):
    exp, out = _sweep(tmp_path, "out")
    copy = out / "inputs" / "params" / "policies" / "all-in.toml"
    original = copy.read_text()
    copy.write_text(original + "\n# edited by hand\n")
    assert main(["sweep", str(exp), "--out", str(out), "--resume", *QUIET]) == 0
    assert "restored edited input copies (params/policies/all-in.toml)" in capsys.readouterr().err
    assert copy.read_text() == original
    assert main(["reproduce", str(out), "--workers", "1"]) == 0


def test_reproduce_prints_plain_numbers(tmp_path, capsys):
    _, out = _sweep(tmp_path, "out")
    part = Store(out).parts()[0]
    table = pq.read_table(part).to_pandas()
    table.loc[0, "hilversum_jobs_share"] = 0.25
    table.to_parquet(part, index=False)
    assert main(["reproduce", str(out), "--workers", "1"]) == 1
    text = capsys.readouterr().out
    assert "stored 0.25, now 0." in text and "np.float64" not in text
