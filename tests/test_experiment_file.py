"""Experiment files: the shipped one is valid; bad ones give one clear line and exit code 2."""

from __future__ import annotations

import pytest

from experiments.cli import main
from experiments.sweep.experiment_file import load_experiment

from .sweep_helpers import ROOT, cli, write_experiment

SHIPPED = ROOT / "params" / "experiments" / "scenarios.toml"


def test_shipped_scenarios_experiment_crosses_all_scenarios_and_policies(capsys):
    exp = load_experiment(SHIPPED)
    assert sorted(exp.scenarios) == sorted(p.stem for p in (ROOT / "params/scenarios").glob("*"))
    assert sorted(exp.policies) == sorted(p.stem for p in (ROOT / "params/policies").glob("*"))
    assert exp.n_runs == 25 * exp.replications
    assert main(["check", str(SHIPPED)]) == 0
    assert "valid experiment 'scenarios'" in capsys.readouterr().out


def test_overrides_tables_flatten_to_dotted_keys(tmp_path):
    path = write_experiment(tmp_path, end_year=2030)
    text = path.read_text() + "policy.campus_amenity = { value = 0.3, start_year = 2027 }\n"
    path.write_text(text)
    exp = load_experiment(path)
    assert exp.overrides == {
        "run.end_year": 2030,
        "policy.campus_amenity.value": 0.3,
        "policy.campus_amenity.start_year": 2027,
    }


# (fields of write_experiment, extra TOML lines, expected key, expected problem)
BAD = {
    "unknown key": ({"replicates": 3}, "", "replicates", "unknown key"),
    "missing key": ({"master_seed": None}, "", "master_seed", "required key is missing"),
    "wrong type": ({"replications": "many"}, "", "replications", "valid integer"),
    "out of range": ({"replications": 0}, "", "replications", "greater than or equal to 1"),
    "negative seed": ({"master_seed": -1}, "", "master_seed", "greater than or equal to 0"),
    "bad name": ({"name": "../up"}, "", "name", "should match pattern"),
    "unknown scenario": (
        {"scenarios": ["trend", "moonbase"]},
        "",
        "scenarios[1]",
        "unknown scenario 'moonbase'",
    ),
    "unknown policy": ({"policies": ["nothing"]}, "", "policies[0]", "unknown policy 'nothing'"),
    "scenarios not a list": ({"scenarios": "every"}, "", "scenarios", 'or "all"'),
    "duplicate policy": ({"policies": ["none", "none"]}, "", "policies", "lists a name twice"),
    "unknown outcome": ({"outcomes": ["happiness"]}, "", "outcomes[0]", "unknown outcome"),
    "unknown override": (
        {},
        "run.end_yr = 2030\n",
        "overrides.run.end_yr",
        "unknown key",
    ),
    "override out of range": (
        {},
        "policy.rent_subsidy.value = 1.5\n",
        "overrides.policy",
        "rent_subsidy.value is a share of rent and must be below 1",
    ),
    "override breaks a cross-check": (
        {},
        "locations.hilversum.eg_reference_share = 0.9\n",
        "overrides",
        "trend × none: locations.*.eg_reference_share: shares sum to",
    ),
    "missing baseline": ({"baseline": "nowhere.toml"}, "", "baseline", "file not found"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_experiment_file_gives_one_line_naming_file_key_and_problem(case, tmp_path, capsys):
    fields, extra, key, problem = BAD[case]
    path = write_experiment(tmp_path, **fields)
    path.write_text(path.read_text() + extra)
    for command in (["check", str(path)], ["sweep", str(path), "--out", str(tmp_path / "r")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {path}: {key}: "), err
        assert problem in err
        assert err.count("\n") == 1  # one line, no traceback
    assert not (tmp_path / "r").exists()  # nothing was started


def test_invalid_toml_and_missing_file(tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text("name = 'x'\nmaster_seed = = 3\n")
    assert main(["check", str(path)]) == 2
    assert f"{path}: invalid TOML" in capsys.readouterr().err
    assert main(["sweep", str(tmp_path / "absent.toml")]) == 2
    assert f"{tmp_path / 'absent.toml'}: file not found" in capsys.readouterr().err


def test_bad_experiment_file_from_the_real_command_exits_2_without_traceback(tmp_path):
    path = write_experiment(tmp_path, replications=-3)
    done = cli("sweep", str(path), "--out", str(tmp_path / "r"))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {path}: replications: Input should be greater than or equal to 1"
    )
    assert "Traceback" not in done.stderr and not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    "options, message",
    [
        (["--workers", "0"], "--workers: must be a positive integer"),
        (["--chunk-size", "0"], "--chunk-size: must be a positive integer"),
        (["--resume", "--overwrite"], "--resume and --overwrite: choose one"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "a scheduler has its own"),
    ],
)
def test_bad_sweep_options_exit_2(options, message, tmp_path, capsys):
    path = write_experiment(tmp_path)
    assert main(["sweep", str(path), *options]) == 2
    assert message in capsys.readouterr().err
