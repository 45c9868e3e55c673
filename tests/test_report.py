"""The policymakers' report: page one's arithmetic (target, points kept, discounted cost,
M€ per point, the budget frontier), the plain-language lever sentences, the robustness
study's tables, reports built from real stores in both languages, and bad input.
The browser checks (both languages, printed pages) are in tests/browser/test_report_browser.py.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest

import sim
from experiments.cli import main
from experiments.report import build_report
from experiments.report.answer import answer, per_run
from experiments.report.intro import per_scenario_line
from experiments.report.levers import read_lever_effects, sentence
from experiments.report.messages import Messages

from .conftest import BASELINE
from .report_helpers import (
    POLICIES,
    SCENARIOS,
    make_robust,
    make_study,
    make_study_with_effects,
    make_sweep,
)

# ---------------------------------------------------------------- arithmetic


def runs_frame(cells: dict[tuple[str, str], tuple[list[float], float]]) -> pd.DataFrame:
    """Per-run rows (answer.per_run's columns) from {(scenario, policy): ([final shares in
    %], discounted cost per run)}; the undiscounted cost is 1.5 × that, over 16 years."""
    rows = []
    for (scenario, policy), (shares, cost) in cells.items():
        for share in shares:
            rows.append(
                {
                    "scenario": scenario,
                    "policy": policy,
                    "year": 2040,
                    "start_year": 2025,
                    "share": share,
                    "start_share": 25.0,
                    "cost_total": 1.5 * cost,
                    "cost_pv": cost,
                    "years": 16,
                }
            )
    return pd.DataFrame(rows)


CELLS = {
    # scenario A: x best, y close; B: y best, x poor. x is dearer than y.
    ("A", "none"): ([19.0, 20.0, 21.0], 0.0),
    ("B", "none"): ([20.0, 20.0, 20.0], 0.0),
    ("A", "x"): ([29.0, 30.0, 35.0], 100.0),
    ("B", "x"): ([21.0, 21.0, 21.0], 100.0),
    ("A", "y"): ([26.0, 26.0, 26.0], 50.0),
    ("B", "y"): ([25.0, 27.0, 30.0], 50.0),
}


def test_target_points_kept_and_cost_per_point_by_hand():
    a = answer(runs_frame(CELLS), ["A", "B"], ["none", "x", "y"])
    assert a.target == pytest.approx(25.0) and a.target_is_default  # the first-year share
    assert a.cell("A", "x")["share"] == pytest.approx(30.0)
    assert a.cell("A", "x")["kept"] == pytest.approx(10.0)
    assert a.cell("B", "y")["kept"] == pytest.approx(7.0)
    # runs at or above 25%: A×y all three, B×y all three, B×x none, A×none none
    assert a.cell("A", "y")["at_target"] == pytest.approx(1.0)
    assert a.cell("B", "x")["at_target"] == pytest.approx(0.0)
    o = a.overall
    assert o.loc["x", "at_target"] == 1 and o.loc["y", "at_target"] == 2
    assert o.loc["none", "at_target"] == 0
    assert o.loc["x", "kept"] == pytest.approx((10.0 + 1.0) / 2)
    assert o.loc["y", "kept"] == pytest.approx((6.0 + 7.0) / 2)
    assert o.loc["y", "per_point"] == pytest.approx(50.0 / 6.5)
    assert o.loc["y", "cost_total"] == pytest.approx(75.0)
    assert o.loc["y", "per_year"] == pytest.approx(75.0 / 16)
    # SE of a median: 1.2533 σ/√n; y's kept SE over the scenarios combines A × none
    # (σ 1, n 3) and B × y (σ of 25, 27, 30) in quadrature, halved for the mean of two
    se_a, se_b = 1.2533 * 1.0 / 3**0.5, 1.2533 * pd.Series([25, 27, 30]).std() / 3**0.5
    se = (se_a**2 + se_b**2) ** 0.5 / 2
    assert o.loc["y", "kept_se"] == pytest.approx(se, rel=1e-4)
    assert o.loc["y", "per_point_low"] == pytest.approx(50.0 / (6.5 + 2 * se), rel=1e-4)
    assert o.loc["y", "per_point_high"] == pytest.approx(50.0 / (6.5 - 2 * se), rel=1e-4)
    # B × x keeps 1 point with zero spread: 1 > 2 SE (0), so it is priced
    assert a.cell("B", "x")["per_point"] == pytest.approx(100.0)


def test_per_scenario_the_cheapest_package_at_target_is_named():
    a = answer(runs_frame(CELLS), ["A", "B"], ["none", "x", "y"], target=26.5)
    line = per_scenario_line(Messages("en"), a)
    # A: x (30) and not y (26 < 26.5); B: y (27) and not x (21)
    assert "<i>A</i>: x (100 M€, 100% of runs)" in line
    assert "<i>B</i>: y (50.0 M€, 67% of runs)" in line  # 27 and 30 of 25, 27, 30
    a = answer(runs_frame(CELLS), ["A", "B"], ["none", "x", "y"], target=40.0)
    assert "<i>A</i>: none of the packages" in per_scenario_line(Messages("en"), a)


def test_a_gain_within_noise_is_not_priced_and_a_given_target_is_used():
    cells = {
        ("A", "none"): ([20.0, 22.0, 24.0, 18.0], 0.0),
        ("A", "p"): ([20.5, 22.5, 24.5, 18.5], 10.0),  # +0.5 points, SE ≈ 2
    }
    a = answer(runs_frame(cells), ["A"], ["none", "p"], target=22.0)
    assert not a.target_is_default and a.target == 22.0
    assert a.cell("A", "p")["kept"] == pytest.approx(0.5)
    assert a.cell("A", "p")["kept_se"] > 0.25
    assert pd.isna(a.cell("A", "p")["per_point"])
    assert pd.isna(a.overall.loc["p", "per_point"])
    assert a.cell("A", "p")["at_target"] == pytest.approx(0.5)  # 22.5 and 24.5 of four


def test_budget_frontier_compares_only_affordable_packages():
    a = answer(runs_frame(CELLS), ["A", "B"], ["none", "x", "y"])
    f = a.frontier
    # at 0 M€ only none; at 50 M€ y (beats none everywhere); at 100 M€ x enters but its
    # regret in B (6 points behind y) is worse than y's in A (4 behind x): y stays.
    assert f["policy"].tolist() == ["none", "y"]
    assert f["budget"].tolist() == pytest.approx([0.0, 50.0])
    assert f.loc[1, "max_regret"] == pytest.approx(0.0)  # among none and y, y is best in both


def test_dearest_package_does_not_win_below_its_cost():
    cells = {
        ("A", "none"): ([20.0], 0.0),
        ("A", "cheap"): ([24.0], 10.0),
        ("A", "all"): ([30.0], 500.0),
    }
    f = answer(runs_frame(cells), ["A"], ["none", "cheap", "all"]).frontier
    assert f["policy"].tolist() == ["none", "cheap", "all"]
    assert f["budget"].tolist() == pytest.approx([0.0, 10.0, 500.0])


def test_missing_cells_are_refused():
    with pytest.raises(ValueError, match="no runs for B × x"):
        answer(runs_frame({("A", "x"): ([1.0], 0.0)}), ["A", "B"], ["x"])


def test_costs_are_discounted_per_year():
    frame = pd.DataFrame(
        {
            "run_id": [1, 1, 1],
            "scenario": ["A"] * 3,
            "policy": ["p"] * 3,
            "year": [2025, 2026, 2027],
            "hilversum_jobs_share": [0.30, 0.31, 0.32],
            "policy_cost_meur": [10.0, 10.0, 10.0],
        }
    )
    run = per_run(frame, 0.05).iloc[0]
    assert run["cost_total"] == pytest.approx(30.0)
    assert run["cost_pv"] == pytest.approx(10 + 10 / 1.05 + 10 / 1.05**2)
    assert run["share"] == pytest.approx(32.0) and run["start_share"] == pytest.approx(30.0)
    assert run["years"] == 3


# ---------------------------------------------------------------- lever sentences


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores")
    sweep, study = make_sweep(folder), make_study(folder)
    return sweep, study, make_study_with_effects(folder, study), make_robust(folder)


def test_lever_sentences_from_paired_effects(stores):
    year, effects = read_lever_effects(stores[2])
    assert year == 2040
    by = {e.lever: e for e in effects}
    assert set(by) == {"innovation_fund", "campus_amenity", "cooperation"}
    assert [by[k].verdict for k in ("innovation_fund", "campus_amenity", "cooperation")] == [
        "raises",
        "mixed",
        "unclear",
    ]
    en, nl = Messages("en"), Messages("nl")
    fund = sentence(en, by["innovation_fund"], year)
    # median of 3.1 and 2.5 points; interval from the lowest low to the highest high
    assert "Innovation fund</b> (0 to 20 M€ a year) raises the 2040 share by 2.8 points" in fund
    assert "[+1.5–+4.0]" in fund
    assert "no clear effect" in sentence(en, by["cooperation"], year)
    amenity = sentence(en, by["campus_amenity"], year)
    assert "raises the 2040 share in <i>trend</i>" in amenity
    assert "no clear effect in <i>cloud-commons</i>" in amenity
    assert "verhoogt het aandeel in 2040 met 2,8 punt" in sentence(nl, by["innovation_fund"], year)
    assert "geen duidelijk effect" in sentence(nl, by["cooperation"], year)


# ---------------------------------------------------------------- reports from stores


class Parsed(HTMLParser):
    """Collects images, links, section ids and table texts of a page."""

    def __init__(self):
        super().__init__()
        self.images, self.urls, self.ids, self.tables = [], [], [], []
        self.lang = None
        self._cells: list[str] | None = None
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
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


def parse(text: str) -> Parsed:
    parsed = Parsed()
    parsed.feed(text)
    return parsed


@pytest.fixture(scope="module")
def reports(stores, tmp_path_factory):
    """The full report (sweep, study with effects, robustness study) in both languages."""
    folder = tmp_path_factory.mktemp("report")
    sweep, _, effects, robust = stores
    out = {}
    for lang in ("en", "nl"):
        path = build_report([sweep, effects, robust], out=folder / f"r_{lang}.html", lang=lang)
        out[lang] = path.read_text(encoding="utf-8")
    return out


SECTION_IDS = [
    "summary",
    "question",
    "scenarios",
    "comparison",
    "choice",
    "levers",
    "rests-on",
    "methods",
    "glossary",
    "reproducibility",
]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_report_has_every_section_once_and_is_self_contained(reports, lang):
    text = reports[lang]
    parsed = parse(text)
    assert parsed.lang == lang
    assert parsed.ids == SECTION_IDS  # no section twice
    assert text.count('class="appendix"') == 3
    # fan charts, heatmap, jobs per place, cost figure, frontier, ST heatmap
    assert len(parsed.images) >= 6
    assert all(
        re.match(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]{100,}", s) for s in parsed.images
    )
    assert not [u for u in parsed.urls if re.match(r"(https?:)?//", u)]  # nothing from the net
    assert "<script" not in text and "@media print" in text
    for cells in parsed.tables:
        assert cells and all(c.strip() for c in cells)


def test_page_one_answers_with_target_cost_per_point_and_robust_choice(reports, stores):
    en = reports["en"]
    summary = en[en.index('id="summary"') : en.index('id="question"')]
    assert "Target:</b> keep Hilversum's 2030 share at or above" in summary
    assert "M€ per point kept" in summary and "cost, discounted (M€)" in summary
    assert "per year (M€)" in summary
    # the robust choice per budget comes from the robustness study given
    assert "robustness study <i>robust</i>" in summary
    assert "up to 200 M€: <b>fund-and-space</b>" in summary
    assert "share of futures at or above target 70.0%" in summary
    assert "No robustness study given" not in en
    # what it rests on: the unvaried policy-effect coefficient, the discount rate, noise
    coefs = sim.load_params(BASELINE).policy_effects.model_dump()
    named = [k for k, v in coefs.items() if isinstance(v, float) and f"<code>{k} = " in summary]
    assert named and "2.25%" in summary, named
    assert "not varied in any study given" in summary
    # the levers' sentence on page one
    assert "Innovation fund</b> (0 to 20 M€ a year) raises" in summary
    for policy in POLICIES:
        assert f"<td>{policy}</td>" in summary


def test_robustness_tables_are_shown_in_human_units(reports):
    en = reports["en"]
    choice = en[en.index('id="choice"') : en.index('id="levers"')]
    assert "Robustness of each policy across the study" in choice
    assert "<td>fund-and-space</td>" in choice
    assert "10th-percentile share" in choice and "30.0%" in choice  # p10 0.30 → 30.0%
    assert "Budget frontier" in choice


def test_dutch_report_is_dutch(reports):
    nl = reports["nl"]
    for phrase in (
        "Het antwoord in het kort",
        "Welk beleid bij welk budget",
        "Wat elke beleidsknop doet",
        "Bijlage B. Begrippenlijst",
        "kosten, contant (M€)",
        "verhoogt het aandeel in 2040",
        "2,25%",
    ):
        assert phrase in nl, phrase
    for english in ("The answer in brief", "Which policy for which budget", "points kept"):
        assert english not in nl, english


def test_counts_and_names_come_from_the_store(stores, tmp_path):
    sweep = make_sweep(tmp_path, figures=False, scenarios=["trend", "cloud-commons"], name="two")
    text = build_report([sweep], out=tmp_path / "r.html").read_text()
    assert "The 2 scenarios and 3 policy packages" in text
    assert "across the 2 scenarios" in text
    assert "five" not in text.lower() and "studio-valley" not in text
    nl = build_report([sweep], out=tmp_path / "r_nl.html", lang="nl").read_text()
    assert "De 2 scenario's en 3 beleidspakketten" in html.unescape(nl)


def test_missing_robustness_sensitivity_or_sweep_is_said(stores, tmp_path):
    sweep, study, *_ = stores
    only_sweep = build_report([sweep], out=tmp_path / "a.html").read_text()
    assert "No robustness study given" in only_sweep
    assert "from the sweep's packages; no robustness study given" in only_sweep
    assert "No sensitivity study was given" in only_sweep
    no_effects = build_report([sweep, study], out=tmp_path / "b.html").read_text()
    assert "has no paired lever effects" in no_effects
    only_study = build_report([study], out=tmp_path / "c.html").read_text()
    assert "No scenario × policy sweep was given" in only_study


def test_parameter_appendix_is_a_linked_file(stores, tmp_path):
    out = build_report([stores[0]], out=tmp_path / "report.html")
    params = tmp_path / "report_parameters.html"
    assert params.is_file()
    assert 'href="report_parameters.html"' in out.read_text()
    text = params.read_text()
    assert "locations.<wbr>hilversum.<wbr>floor_<wbr>space_<wbr>m2" in text  # wraps at separators
    assert "Media Park owned stock (2019)" in text
    assert 'href="report.html"' in text
    # the main report keeps only the assumptions the answer rests on
    assert "floor_<wbr>space_<wbr>m2" not in out.read_text()


def test_reproducibility_commands_use_the_installed_cli(reports, stores):
    manifest = json.loads((stores[0] / "manifest.json").read_text())
    assert manifest["git_commit"] in reports["en"]
    assert f".venv/bin/mediacluster sweep {manifest['experiment_file']}" in reports["en"]


def test_cli_writes_both_languages_into_the_sweep_store(stores, capsys, tmp_path):
    copy = tmp_path / "sweep"
    shutil.copytree(stores[0], copy)
    assert main(["report", str(copy), str(stores[1])]) == 0
    assert (copy / "report.html").is_file() and (copy / "report_parameters.html").is_file()
    assert capsys.readouterr().out.startswith(f"wrote {copy / 'report.html'}")
    assert main(["report", str(copy), "--lang", "nl", "--target", "30"]) == 0
    text = (copy / "report_nl.html").read_text()
    assert "30,0%" in text and "--target 30" in text


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--lang", "de"], "invalid choice: 'de'"),
        (["--target", "130"], "--target 130: give Hilversum's share in percent"),
        (["--discount-rate", "-1"], "--discount-rate -1"),
    ],
)
def test_bad_report_options_are_one_line(stores, capsys, tmp_path, args, problem):
    assert main(["report", str(stores[0]), "--out", str(tmp_path / "r.html"), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


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


def _robust_bad_columns(d):
    (d / "rob").mkdir()
    (d / "rob" / "frontier.csv").write_text("budget,policy,value\n1,a,2\n")
    return d / "rob" / "frontier.csv"


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: d / "missing", "no such folder"),
        (_file, "is a file"),
        (_plain, "not a results store"),
        (_store_with_manifest('{"kind": "bench"}'), "'bench' is not a store the report reads"),
        (_store_with_manifest("{not json"), "invalid JSON"),
        (_store_with_manifest('{"kind": "sweep"}'), "missing in manifest"),
        (_robust_bad_columns, "lacks the column(s) budget_meur, metric"),
    ],
    ids=["missing", "file", "no-manifest", "unknown-kind", "bad-json", "sweep-without-design",
         "robust-columns"],
)  # fmt: skip
def test_bad_results_dir_is_one_clear_error(tmp_path, capsys, make, problem):
    path = make(tmp_path)
    folder = path.parent if path.name == "frontier.csv" else path
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and str(path) in err
    assert problem in err and "Traceback" not in err


def test_same_store_twice_and_no_store_are_bad_input(stores, capsys):
    assert main(["report", str(stores[0]), str(stores[0])]) == 2
    assert "given twice" in capsys.readouterr().err
    assert main(["report"]) == 2
    assert "error: " in capsys.readouterr().err


def test_scenario_storylines_are_there(reports):
    for scenario in SCENARIOS:
        assert f"<b><i>{scenario}</i></b>" in reports["en"]
    assert "Broadcasters shrink as budgets tighten" in reports["en"]  # trend.toml
    assert "omroepen krimpen langzaam" in reports["nl"]  # the catalogue's Dutch storyline
