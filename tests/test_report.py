"""The policymakers' report: the robustness arithmetic, the report built from real stores,
and bad input (issue 5). The browser checks are in tests/browser/test_report_browser.py."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest

from experiments.cli import main
from experiments.engine.store import Store
from experiments.report import build_report
from experiments.report.robustness import robustness, verdict

from .report_helpers import POLICIES, SCENARIOS, make_study, make_sweep


def runs_frame(cells: dict[tuple[str, str], tuple[list[float], float]]) -> pd.DataFrame:
    """Per-run rows from {(scenario, policy): ([final shares], cost per run)}."""
    rows = []
    for (scenario, policy), (shares, cost) in cells.items():
        for share in shares:
            rows.append(
                {
                    "scenario": scenario,
                    "policy": policy,
                    "year": 2040,
                    "start_year": 2025,
                    "hilversum_jobs_share": share,
                    "cost_meur": cost,
                }
            )
    return pd.DataFrame(rows)


def test_minimax_regret_is_not_the_best_on_average():
    # x is best in A but poor in B; y is never far behind: y is the most robust.
    runs = runs_frame(
        {
            ("A", "none"): ([0.19, 0.20, 0.21], 0.0),
            ("B", "none"): ([0.20, 0.20, 0.20], 0.0),
            ("A", "x"): ([0.29, 0.30, 0.35], 100.0),
            ("B", "x"): ([0.21, 0.21, 0.21], 100.0),
            ("A", "y"): ([0.26, 0.26, 0.26], 50.0),
            ("B", "y"): ([0.25, 0.27, 0.30], 50.0),
        }
    )
    r = robustness(runs, ["A", "B"], ["none", "x", "y"])
    assert r.share.loc["x", "A"] == pytest.approx(30.0)
    assert r.regret.loc["x"].tolist() == pytest.approx([0.0, 6.0])
    assert r.regret.loc["y"].tolist() == pytest.approx([4.0, 0.0])
    assert r.max_regret.to_dict() == pytest.approx({"none": 10.0, "x": 6.0, "y": 4.0})
    assert r.most_robust == ["y"]
    assert r.cost["x"] == pytest.approx(100.0)
    assert r.kept["x"] == pytest.approx((10.0 + 1.0) / 2)
    assert r.kept_per_meur["y"] == pytest.approx(((6.0 + 7.0) / 2) / 50.0)
    assert r.kept_per_meur.isna()["none"]
    text = " ".join(verdict(r))
    assert "y is the most robust package" in text
    assert "4.0 points" in text and "about 50 M€" in text


def test_ties_are_named_together_and_missing_cells_refused():
    runs = runs_frame(
        {
            ("A", "p"): ([0.3], 0.0),
            ("A", "q"): ([0.3], 10.0),
        }
    )
    r = robustness(runs, ["A"], ["p", "q"])
    assert r.most_robust == ["p", "q"]
    assert r.kept is None  # no 'none' package: nothing to measure 'kept' against
    assert "p and q are equally robust" in " ".join(verdict(r))
    with pytest.raises(ValueError, match="no runs for B × p"):
        robustness(runs, ["A", "B"], ["p", "q"])


class Parsed(HTMLParser):
    """Collects images, links, section ids and table texts of a page."""

    def __init__(self):
        super().__init__()
        self.images, self.urls, self.ids, self.tables = [], [], [], []
        self._cells: list[str] | None = None
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src", ""))
        for key in ("src", "href"):
            if key in a:
                self.urls.append(a[key])
        if tag == "section":
            self.ids.append(a.get("id"))
        if tag == "table":
            self._cells = []
        if tag == "td" and self._cells is not None:
            self._cells.append("")
            self._in_cell = True

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_cell = False
        if tag == "table" and self._cells is not None:
            self.tables.append(self._cells)
            self._cells = None

    def handle_data(self, data):
        if self._in_cell and self._cells:
            self._cells[-1] += data


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores")
    return make_sweep(folder), make_study(folder)


@pytest.fixture(scope="module")
def report(stores, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    build_report(list(stores), out=out)
    text = out.read_text(encoding="utf-8")
    parsed = Parsed()
    parsed.feed(text)
    return text, parsed


def independent_most_robust(store_path) -> tuple[str, float]:
    """The most robust package and its max regret, recomputed straight from the Parquet parts."""
    frame = pd.concat(pd.read_parquet(p) for p in Store(store_path).parts("runs"))
    final = frame[frame["year"] == frame["year"].max()]
    med = final.groupby(["policy", "scenario"])["hilversum_jobs_share"].median().unstack() * 100
    worst = (med.max() - med).max(axis=1)
    return worst.idxmin(), float(worst.min())


def test_report_has_every_section_and_is_self_contained(report):
    text, parsed = report
    assert parsed.ids == [
        "summary",
        "question",
        "scenarios",
        "comparison",
        "robustness",
        "sensitivity",
        "assumptions",
        "reproducibility",
    ]
    # fan charts, heatmap, jobs per location, cost figure, lever heatmap, over-time plot
    assert len(parsed.images) >= 6
    assert all(
        re.match(r"data:image/(svg\+xml|png);base64,[A-Za-z0-9+/=]{100,}", s) for s in parsed.images
    )
    assert not [u for u in parsed.urls if re.match(r"(https?:)?//", u)]  # nothing from the net
    assert "<script" not in text and "@media print" in text


def test_every_table_is_filled(report):
    _, parsed = report
    assert len(parsed.tables) >= 10
    for cells in parsed.tables:
        assert cells and all(c.strip() for c in cells)


def test_robustness_table_names_the_package_the_data_say(report, stores):
    text, _ = report
    best, worst = independent_most_robust(stores[0])
    row = re.search(rf"<td>{re.escape(best)}</td>((?:(?!</tr>).)*)</tr>", text, re.S).group(1)
    assert f"<b>{worst:.1f}</b>" in row  # its maximum regret, in its own row
    assert f"{best} is the most robust package" in text or f"{best} and" in text
    for policy in POLICIES:
        assert f"<td>{policy}</td>" in text


def test_scenarios_storylines_assumptions_and_manifest(report, stores):
    text, _ = report
    for scenario in SCENARIOS:
        assert f'<h3 class="scenario">{scenario}</h3>' in text
    assert "Broadcasters shrink as budgets tighten" in text  # trend.toml's storyline
    assert "locations.hilversum.floor_space_m2" in text and "Media Park owned stock (2019)" in text
    manifest = json.loads((stores[0] / "manifest.json").read_text())
    assert manifest["git_commit"] in text
    assert f"mediacluster sweep {manifest['experiment_file']}" in text
    assert "campus amenity" in text and "innovation fund" in text  # the study's levers


def test_missing_sensitivity_or_sweep_is_said(stores, tmp_path):
    sweep, study = stores
    only_sweep = build_report([sweep], out=tmp_path / "a.html").read_text()
    assert "No sensitivity study was given" in only_sweep
    only_study = build_report([study], out=tmp_path / "b.html").read_text()
    assert "No scenario × policy sweep was given" in only_study
    assert "innovation fund" in only_study


def test_figures_are_drawn_when_the_sweep_did_not_and_incomplete_stores_are_flagged(
    stores, tmp_path
):
    copy = tmp_path / "sweep"
    shutil.copytree(stores[0], copy)
    shutil.rmtree(copy / "figures")
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["status"] = "running"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    text = build_report([copy], out=tmp_path / "r.html").read_text()
    assert (copy / "figures" / "fan_charts.svg").is_file()
    assert text.count("<img") >= 4
    assert "is not complete" in text


def test_cli_writes_report_html_into_the_sweep_store(stores, capsys, tmp_path):
    copy = tmp_path / "sweep"
    shutil.copytree(stores[0], copy)
    assert main(["report", str(copy), str(stores[1])]) == 0
    assert (copy / "report.html").is_file()
    assert capsys.readouterr().out.strip() == f"wrote {copy / 'report.html'}"


def _file(d):
    (d / "f.txt").write_text("x")
    return d / "f.txt"


def _store_with_manifest(text):
    def make(d):
        (d / "odd").mkdir()
        (d / "odd" / "manifest.json").write_text(text)
        return d / "odd"

    return make


def _plain(d):
    (d / "plain").mkdir()
    return d / "plain"


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: d / "missing", "no such folder"),
        (_file, "is a file"),
        (_plain, "not a results store"),
        (_store_with_manifest('{"kind": "bench"}'), "'bench' is not a store the report reads"),
        (_store_with_manifest("{not json"), "invalid JSON"),
        (_store_with_manifest('{"kind": "sweep"}'), "missing in manifest"),
    ],
    ids=["missing", "file", "no-manifest", "unknown-kind", "bad-json", "sweep-without-design"],
)
def test_bad_results_dir_is_one_clear_error(tmp_path, capsys, make, problem):
    path = make(tmp_path)
    assert main(["report", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and str(path) in err
    assert problem in err and "Traceback" not in err


def test_same_store_twice_and_no_store_are_bad_input(stores, capsys):
    assert main(["report", str(stores[0]), str(stores[0])]) == 2
    assert "given twice" in capsys.readouterr().err
    assert main(["report"]) == 2
    assert "error: " in capsys.readouterr().err
