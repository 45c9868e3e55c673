"""experiments.calibration.compare: default weights against a posterior sweep."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.calibration.compare import compare, main


def _store(folder, rows):
    folder.mkdir()
    frame = pd.DataFrame(
        [
            {
                "scenario": s,
                "policy": p,
                "outcome": "hilversum_jobs_share",
                "year": 2040,
                "runs": 10,
                "p05": lo,
                "median": med,
                "p95": hi,
                "mean": med,
            }
            for s, p, lo, med, hi in rows
        ]
    )
    frame.to_csv(folder / "summary.csv", index=False)
    return folder


def test_changes_bands_and_ranks_are_computed_from_both_stores(tmp_path):
    default = _store(
        tmp_path / "d", [("trend", "none", 0.24, 0.25, 0.26), ("trend", "all-in", 0.30, 0.31, 0.32)]
    )
    post = _store(
        tmp_path / "p", [("trend", "none", 0.20, 0.26, 0.30), ("trend", "all-in", 0.23, 0.25, 0.31)]
    )
    table = compare(default, post).set_index("policy")
    assert table.loc["none", "median_change"] == pytest.approx(0.01)
    assert table.loc["none", "band_ratio"] == pytest.approx(0.10 / 0.02)
    assert table.loc["all-in", "rank_default"] == 1
    assert table.loc["all-in", "rank_posterior"] == 2  # the posterior reverses the order here


def test_a_folder_without_summary_is_one_line_exit_2(tmp_path, capsys):
    default = _store(tmp_path / "d", [("trend", "none", 0.24, 0.25, 0.26)])
    assert main([str(default), str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "summary.csv" in err[0]
