"""Bad input: one clear message naming file, key and problem; exit code 2; no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.cli import main

from .conftest import ROOT


@pytest.fixture
def params_copy(tmp_path: Path) -> Path:
    """A writable copy of params/ to break."""
    dest = tmp_path / "params"
    shutil.copytree(ROOT / "params", dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def run_cli(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    return code, err


# (what to break in baseline.toml, expected words in the message)
BASELINE_CASES = {
    "unknown key": (
        ("[demography]\n", "[demography]\nbogus_rate = 0.1\n"),
        ["baseline.toml", "demography.bogus_rate", "unknown key"],
    ),
    "wrong type": (
        ("count = 1000 ", 'count = "many" '),
        ["baseline.toml", "kinds.tech_firm.count", "integer"],
    ),
    "out of range": (
        ("relocation_hazard = 0.15", "relocation_hazard = 1.5"),
        ["baseline.toml", "kinds.startup.relocation_hazard", "less than or equal to 1"],
    ),
    "shares not summing to one": (
        ("hilversum = 0.07, amsterdam = 0.45,", "hilversum = 0.17, amsterdam = 0.45,"),
        ["baseline.toml", "kinds.tech_firm.shares_2025", "must sum to 1"],
    ),
    "missing key": (
        ("logit_scale = 1.0 ", "# logit_scale removed "),
        ["baseline.toml", "run.logit_scale", "missing"],
    ),
    "toml syntax": (
        ("[demography]\n", "[demography\n"),
        ["baseline.toml", "invalid TOML"],
    ),
    "unknown location in shares": (
        ("rest_nl = 0.26, abroad = 0.02 }", "rest_nl = 0.26, abraod = 0.02 }"),
        ["baseline.toml", "kinds.startup.shares_2025", "abraod"],
    ),
    "kind without calibration shares": (
        ("shares_2025 = { hilversum = 0.07, amsterdam = 0.50,", "# shares removed: {"),
        ["baseline.toml", "kinds.startup.shares_2025", "missing"],
    ),
    "lever naming an unknown kind": (
        ('kinds = ["tech_firm", "startup"] }', 'kinds = ["tech_firm", "start_up"] }'),
        ["baseline.toml", "policy.innovation_fund_meur_per_year.kinds", "unknown kind 'start_up'"],
    ),
    "kind naming an unknown driver": (
        ('growth_driver = "tech_growth"', 'growth_driver = "tech_grwoth"'),
        ["baseline.toml", "kinds.tech_firm.growth_driver", "unknown driver 'tech_grwoth'"],
    ),
    "scale-up into an unknown kind": (
        ('into = "tech_firm"', 'into = "tech"'),
        ["baseline.toml", "kinds.startup.scale_up.into", "unknown kind 'tech'"],
    ),
    "unknown home place": (
        ('home = "hilversum"', 'home = "hilverson"'),
        ["baseline.toml", "places.home", "unknown location 'hilverson'"],
    ),
    "unknown kind in the spillover matrix": (
        ("startup = { public_broadcaster = 0.05,", "start_up = { public_broadcaster = 0.05,"),
        ["baseline.toml", "spillover.start_up", "unknown kind"],
    ),
}


@pytest.mark.parametrize("case", sorted(BASELINE_CASES))
def test_bad_baseline(case, params_copy, capsys):
    (old, new), words = BASELINE_CASES[case]
    check_refuses_edit(params_copy / "baseline.toml", old, new, words, capsys)


def check_refuses_edit(path, old: str, new: str, words: list[str], capsys) -> None:
    """Edit ``old`` to ``new`` in a params file; ``check`` then exits 2 with one line
    naming every one of ``words`` and no traceback."""
    edit(path, old, new)
    code, err = run_cli(["check", str(path)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


def test_bad_scenario_file_is_named(params_copy, capsys):
    scenario = params_copy / "scenarios" / "trend.toml"
    edit(scenario, "tech_growth = {", "tech_grwoth = {")
    code, err = run_cli(["check", str(scenario)], capsys)
    assert code == 2
    assert "trend.toml" in err and "drivers.tech_grwoth" in err


def test_scenario_driver_for_a_missing_kind_is_named(params_copy, capsys):
    # a driver that no kind names (here: its kind is not in the baseline)
    scenario = params_copy / "scenarios" / "trend.toml"
    edit(scenario, "[drivers]\n", "[drivers]\narchive_demand = { 2025 = 0.0, 2040 = 0.02 }\n")
    code, err = run_cli(["check", str(scenario)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "trend.toml" in err and "drivers.archive_demand" in err and "is its kind missing" in err


def test_bad_policy_value_is_named(params_copy, capsys):
    policy = params_copy / "policies" / "campus-plus.toml"
    edit(policy, "campus_amenity = { value = 0.2", "campus_amenity = { value = 1.2")
    code, err = run_cli(["check", str(policy)], capsys)
    assert code == 2
    assert "campus-plus.toml" in err and "campus_amenity" in err and "at most 1" in err


@pytest.mark.parametrize(
    "args, words",
    [
        (["run", "--scenario", "nope"], ["scenarios", "unknown scenario 'nope'", "trend"]),
        (["run", "--policy", "nope"], ["policies", "unknown policy 'nope'", "all-in"]),
        (["run", "--set", "run.end_year"], ["--set", "expected KEY=VALUE"]),
        (["run", "--set", "run.nope=3"], ["--set", "run.nope", "unknown key"]),
        (["run", "--set", "run.end_year=2020"], ["--set", "run", "end_year"]),
        (["run", "--set", "kinds.tech_firm.moving_cost=-1"], ["kinds.tech_firm.moving_cost"]),
        (
            ["run", "--set", "policy.campus_amenity.start_year=2025"],
            ["--set", "policy.campus_amenity.start_year", "must be after run.start_year"],
        ),
        (["run", "--seed", "-4"], ["--seed", "non-negative"]),
        (["run", "--seed", "x"], ["--seed", "invalid int"]),
        (["run", "--bogus"], ["unrecognized arguments"]),
        (["check", "no/such/file.toml"], ["no/such/file.toml", "file not found"]),
    ],
)
def test_bad_command_line(args, words, capsys, tmp_path):
    code, err = run_cli(
        [*args, "--out", str(tmp_path / "out")] if args[0] == "run" else args, capsys
    )
    assert code == 2
    assert "Traceback" not in err
    for word in words:
        assert word in err, (word, err)
    assert not (tmp_path / "out").exists()  # nothing written for bad input


def test_bad_input_exit_code_from_the_real_command(tmp_path):
    """The console entry point itself: exit code 2 and a one-line message, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "experiments", "run", "--policy", "nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown policy 'nope'" in result.stderr and "Traceback" not in result.stderr
