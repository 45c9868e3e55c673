"""A robust study on the real model, end to end: outputs, common random numbers,
independence of the executor, resume, reproduce and bad input (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main
from experiments.engine.store import Store

from .conftest import BASELINE, ROOT

STUDY = f"""
name = "tiny-robust"
description = "A tiny robust study (test)."
baseline = "{BASELINE.as_posix()}"
base_scenario = "trend"
storylines = ["trend", "dispersed-feeds"]
packages = ["none", "all-in"]
outcomes = ["hilversum_jobs_share", "startups_hilversum"]
replications = 1
master_seed = 99
mix_rent_subsidy_kinds = ["tech_firm", "startup"]

[overrides]
run.end_year = 2028   # a short horizon keeps the test quick; the pipeline is the same

[ensemble]
futures = 8

[metrics]
discount_rate = 0.0225
budgets_meur = [0.0, 20.0, 1000.0]

[mixes.fund]
innovation_fund_meur_per_year = 10.0
reason = "The fund on its own (test)."

[search]
population = 4
generations = 2
futures = 3
max_pareto = 2
[search.levers.innovation_fund_meur_per_year]
bounds = [0.0, 20.0]
reason = "Up to twice all-in's fund (test)."
[search.levers.campus_amenity]
bounds = [0.0, 0.35]
reason = "Up to Utrecht's amenity (test)."

[discovery]
policies = ["none", "fund"]
peel_alpha = 0.1
min_mass = 0.1

[uncertainties.proximity_2040]
key = "drivers.proximity_importance.2040"
bounds = [0.4, 1.3]
reason = "Spans the storylines (test)."

[uncertainties.pull_2040]
key = "drivers.international_pull.2040"
bounds = [0.0, 1.0]
reason = "Spans the storylines (test)."

[uncertainties.agglomeration]
keys = ["spillover.*.*"]
mode = "scale"
bounds = [0.5, 1.5]
reason = "Half to one and a half times gamma (test)."
"""

CSV_COLUMNS = {
    "robustness.csv": ["policy", "outcome", "metric", "value"],
    "frontier.csv": ["budget_meur", "policy", "metric", "value"],
    "prim_boxes.csv": ["policy", "box", "coverage", "density", "dimension", "low", "high"],
}
DERIVED = ("robustness.csv", "frontier.csv", "pareto.csv", "regret.csv", "search_history.csv")


def write_study(folder: Path, text: str = STUDY) -> Path:
    path = folder / "study.toml"
    path.write_text(text)
    return path


def run(study: Path, out: Path, *options: str) -> int:
    return main(["robust", str(study), "--out", str(out), "--quiet", *options])


@pytest.fixture(scope="module")
def serial_study(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("robust")
    out = folder / "serial"
    assert run(write_study(folder), out, "--workers", "1") == 0
    return out


def test_outputs_have_the_agreed_columns_and_figures(serial_study):
    for name, columns in CSV_COLUMNS.items():
        assert list(pd.read_csv(serial_study / name).columns) == columns, name
    robustness = pd.read_csv(serial_study / "robustness.csv")
    policies = ["none", "all-in", "fund", "search-01", "search-02"]
    assert sorted(robustness["policy"].unique()) == sorted(policies)
    metrics = set(robustness["metric"])
    assert {"satisficing", "p10", "mean", "max_regret", "mean_regret", "target"} <= metrics
    assert {"cost_meur", "cost_discounted_meur"} <= metrics
    cost = robustness[robustness["metric"] == "cost_meur"].set_index("policy")["value"]
    assert cost["none"] == 0 and cost["all-in"] > cost["fund"] > 0
    # the fund alone budgets 10 M€ a year from 2026 to 2028; it pays the grants it can
    # place (≈ 100 eligible firms at ≤ 0.1 M€ each, sim.policy), so a little less
    assert 25.0 < cost["fund"] <= 30.0
    disc = robustness[robustness["metric"] == "cost_discounted_meur"].set_index("policy")["value"]
    assert cost["fund"] / 1.0225**3 < disc["fund"] < cost["fund"] / 1.0225
    pareto = pd.read_csv(serial_study / "pareto.csv")
    assert len(pareto) == 2
    assert {"satisficing_in_sample", "satisficing_out_of_sample", "campus_amenity"} <= set(
        pareto.columns
    )
    history = pd.read_csv(serial_study / "search_history.csv")
    assert history["generation"].tolist() == [0, 1]
    assert (history["hypervolume"].diff().dropna() >= -1e-12).all()
    frontier = pd.read_csv(serial_study / "frontier.csv")
    assert frontier[frontier["budget_meur"] == 0]["policy"].unique().tolist() == ["none"]
    figures = {p.name for p in (serial_study / "figures").glob("*.png")}
    assert {"frontier.png", "pareto.png", "regret.png", "convergence.png"} <= figures


def test_metrics_agree_with_the_per_future_table(serial_study):
    # robustness.csv's satisficing and max regret recomputed from regret.csv by hand
    regret = pd.read_csv(serial_study / "regret.csv")
    robustness = pd.read_csv(serial_study / "robustness.csv")
    main_outcome = robustness[robustness["outcome"] == "hilversum_jobs_share"]
    table = main_outcome.pivot(index="policy", columns="metric", values="value")
    for policy, rows in regret.groupby("policy"):
        assert table.loc[policy, "satisficing"] == pytest.approx(
            (rows["value"] >= rows["target"]).mean()
        )
        best = regret.groupby("future")["value"].max()
        by_hand = (best.loc[rows["future"]].to_numpy() - rows["value"].to_numpy()).max()
        assert table.loc[policy, "max_regret"] == pytest.approx(by_hand)
    assert len(regret) == 5 * (8 + 2)  # 5 policies × (8 sampled futures + 2 storylines)


def test_common_random_numbers_and_labelled_storylines(serial_study):
    design = Store(serial_study / "evaluate").read_design()
    assert len(design) == 3 * 10
    per_future = design.groupby(design["run_id"] % 10)
    # every policy runs future f with the same seed and the same uncertainty values
    assert (per_future["seed"].nunique() == 1).all()
    assert (per_future["drivers.international_pull.2040"].nunique() == 1).all()
    assert design["seed"].nunique() == 10
    futures = pd.read_csv(serial_study / "futures.csv")
    assert futures["label"].tolist()[-2:] == ["trend", "dispersed-feeds"]
    assert futures["scenario"].tolist()[-1] == "dispersed-feeds"
    # a storyline future keeps its own driver values (dispersed-feeds: pull 0.5 in 2040)
    assert futures["pull_2040"].iloc[-1] == pytest.approx(0.5)
    assert futures["agglomeration"].iloc[-1] == pytest.approx(1.0)
    sampled = futures[futures["kind"] == "sampled"]
    assert sampled["pull_2040"].between(0.0, 1.0).all()
    # Latin hypercube: each of the 8 equal slices of every range holds exactly one future
    slices = ((sampled["pull_2040"] - 0.0) / 1.0 * 8).astype(int)
    assert sorted(slices) == list(range(8))


def test_results_do_not_depend_on_workers(serial_study, tmp_path):
    out = tmp_path / "pool"
    assert run(write_study(tmp_path), out, "--workers", "2", "--chunk-size", "3") == 0
    for name in DERIVED:
        assert (out / name).read_text() == (serial_study / name).read_text(), name


@pytest.mark.slow
def test_results_do_not_depend_on_the_dask_executor(serial_study, tmp_path):
    out = tmp_path / "dask"
    assert run(write_study(tmp_path), out, "--scheduler", "local", "--workers", "2") == 0
    for name in DERIVED:
        assert (out / name).read_text() == (serial_study / name).read_text(), name


def test_resume_finds_every_stored_generation(tmp_path, capsys):
    study = write_study(tmp_path, STUDY.replace("futures = 8", "futures = 4"))
    out = tmp_path / "out"
    assert run(study, out, "--workers", "1", "--no-figures") == 0
    first = {n: (out / n).read_text() for n in DERIVED}
    capsys.readouterr()
    assert run(study, out, "--workers", "1", "--no-figures", "--resume") == 0
    said = capsys.readouterr().out
    assert "(0 run now)" in said
    assert {n: (out / n).read_text() for n in DERIVED} == first
    assert main(["reproduce", str(out / "search" / "gen-001"), "--workers", "1"]) == 0


BAD = [
    ("[metrics]\ndiscount_rate = 0.0225", "[metrics]\ntarget = 1.5", "metrics.target"),
    ("budgets_meur = [0.0, 20.0, 1000.0]", "budgets_meur = [0.0, -5.0]", "metrics.budgets_meur[1]"),
    (
        "innovation_fund_meur_per_year = 10.0\nreason",
        "innovation_fun_meur_per_year = 10.0\nreason",
        "mixes.fund.innovation_fun_meur_per_year",
    ),
    (
        'key = "drivers.international_pull.2040"\nbounds = [0.0, 1.0]',
        'key = "run.logit_scale"\nbounds = [-1.0, 1.0]',
        "uncertainties.pull_2040.bounds",
    ),
    (
        'storylines = ["trend", "dispersed-feeds"]',
        'storylines = ["trend", "nowhere"]',
        "storylines[1]",
    ),
    ('policies = ["none", "fund"]', 'policies = ["none", "fnd"]', "discovery.policies[1]"),
    ("[search.levers.campus_amenity]", "[search.levers.campus]", "search.levers.campus"),
    ("bounds = [0.0, 0.35]", "bounds = [0.0, 3.5]", "search.levers.campus_amenity.bounds"),
]


@pytest.mark.parametrize("old,new,key", BAD, ids=[b[2] for b in BAD])
def test_bad_study_is_one_line_naming_file_and_key(old, new, key, tmp_path, capsys):
    assert old in STUDY
    study = write_study(tmp_path, STUDY.replace(old, new, 1))
    assert run(study, tmp_path / "out") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {study}: {key}:"), err
    assert not (tmp_path / "out").exists()
    assert main(["check", str(study)]) == 2


def test_an_existing_study_is_never_overwritten_implicitly(serial_study, tmp_path, capsys):
    before = (serial_study / "robustness.csv").read_text()
    assert run(write_study(tmp_path), serial_study) == 2
    assert "already holds results" in capsys.readouterr().err
    assert (serial_study / "robustness.csv").read_text() == before


def test_check_describes_the_shipped_study(capsys):
    assert main(["check", str(ROOT / "params" / "experiments" / "robust.toml")]) == 0
    said = capsys.readouterr().out
    assert "valid robust study 'robust'" in said


def test_manifest_says_robust(serial_study):
    manifest = json.loads((serial_study / "evaluate" / "manifest.json").read_text())
    assert manifest["kind"] == "robust"
    assert manifest["experiment"] == "tiny-robust/evaluate"
    assert manifest["runs"] == {"planned": 30, "done": 30, "failed": 0}
