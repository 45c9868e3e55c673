"""Experiment files: the shipped one is valid; bad ones give one clear line and exit code 2."""

from __future__ import annotations

import pytest

import sim
from experiments.cli import main
from experiments.engine.reproduce import reproduce
from experiments.engine.store import Store
from experiments.sweep.experiment_file import load_experiment
from experiments.sweep.pipeline import run_sweep, setup_of

from .sweep_helpers import ROOT, cli, write_experiment

SHIPPED = ROOT / "params" / "experiments" / "scenarios.toml"


# The packages the shipped sweep compares; an analyst's extra file in
# params/policies/ (or a mix in an experiment file) need not join it.
SHIPPED_PACKAGES = ["none", "campus-plus", "talent-first", "innovation-hub", "all-in"]


def test_shipped_scenarios_experiment_crosses_all_scenarios_and_the_packages(capsys):
    exp = load_experiment(SHIPPED)
    assert sorted(exp.scenarios) == sorted(p.stem for p in (ROOT / "params/scenarios").glob("*"))
    assert exp.policies == SHIPPED_PACKAGES
    assert exp.n_runs == len(exp.scenarios) * len(SHIPPED_PACKAGES) * exp.replications
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


# ----------------------------------------------------------- custom policy mixes

MIX = """
[custom_policies.my-mix]
description = "Campus amenity and a start-up rent subsidy."
campus_amenity = { value = 0.2, start_year = 2027 }
rent_subsidy = { value = 0.15, start_year = 2026, kinds = ["startup"] }
"""


def _with_mix(tmp_path, policies=("none", "my-mix"), mix=MIX, **fields):
    policies = policies if isinstance(policies, str) else list(policies)
    path = write_experiment(tmp_path, policies=policies, **fields)
    path.write_text(path.read_text() + mix)
    return path


def test_a_custom_policy_mix_loads_like_a_policy_file_and_leaves_none_alone(tmp_path):
    exp = load_experiment(_with_mix(tmp_path))
    assert exp.policies == ["none", "my-mix"]
    bundle = setup_of(exp).params
    assert "policies/my-mix.toml" in bundle.files
    mix = bundle.load("trend", "my-mix", exp.overrides).policy
    assert mix.name == "my-mix"
    assert (mix.campus_amenity.value, mix.campus_amenity.start_year) == (0.2, 2027)
    assert mix.rent_subsidy.kinds == ["startup"]
    none = bundle.load("trend", "none", exp.overrides).policy
    assert none.campus_amenity.value == 0.0 and none.rent_subsidy.value == 0.0


def test_policies_all_includes_the_custom_mixes(tmp_path):
    exp = load_experiment(_with_mix(tmp_path, policies="all"))
    assert exp.policies[-1] == "my-mix"
    assert set(exp.policies[:-1]) == set(sim.available(ROOT / "params", "policies"))


@pytest.mark.parametrize(
    ("mix", "key", "problem"),
    [
        (
            "[custom_policies.my-mix]\ncampus_amenity = { value = -1.0, start_year = 2027 }\n",
            "custom_policies.my-mix.campus_amenity.value",
            "greater than or equal to 0",
        ),
        (
            "[custom_policies.my-mix]\nfree_money = { value = 1.0, start_year = 2027 }\n",
            "custom_policies.my-mix.free_money",
            "unknown key",
        ),
        (
            "[custom_policies.my-mix]\nrent_subsidy = { value = 1.5, start_year = 2027 }\n",
            "custom_policies.my-mix",
            "must be below 1",
        ),
        (
            "[custom_policies.my-mix]\nname = 'other'\n",
            "custom_policies.my-mix.name",
            "must be 'my-mix'",
        ),
        (
            "[custom_policies.all-in]\n[custom_policies.my-mix]\n",
            "custom_policies.all-in",
            "a policy file",
        ),
    ],
    ids=["negative lever", "unknown lever", "cross-check", "other name", "clash with a file"],
)
def test_a_bad_custom_mix_names_the_experiment_file_and_key(mix, key, problem, tmp_path, capsys):
    path = _with_mix(tmp_path, mix=mix)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {path}: {key}: "), err
    assert problem in err and len(err.splitlines()) == 1


def test_check_warns_when_overrides_touch_the_policy(tmp_path, capsys):
    path = write_experiment(tmp_path)
    path.write_text(path.read_text() + "policy.campus_amenity.value = 0.3\n")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning:" in out and "policy.campus_amenity.value" in out and "'none'" in out
    assert "[custom_policies.NAME]" in out


def test_sweep_warns_too_when_overrides_touch_the_policy(tmp_path, capsys):
    path = write_experiment(tmp_path, scenarios=["trend"], policies=["none"], replications=1)
    path.write_text(path.read_text() + "policy.campus_amenity.value = 0.3\n")
    out = tmp_path / "store"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet",
                 "--no-figures"]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert err.startswith("warning:") and "'none'" in err and "policy.campus_amenity.value" in err


def test_check_is_quiet_without_policy_overrides_and_names_custom_mixes(tmp_path, capsys):
    assert main(["check", str(_with_mix(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "warning" not in out and "(custom: my-mix)" in out


def test_check_warns_about_a_mix_no_run_uses(tmp_path, capsys):
    assert main(["check", str(_with_mix(tmp_path, policies=["none"]))]) == 0
    assert "[custom_policies.my-mix] is defined but not listed" in capsys.readouterr().out


def test_a_sweep_with_a_custom_mix_is_stored_and_reproduces(tmp_path):
    path = _with_mix(tmp_path, scenarios=["trend"], replications=1, end_year=2026)
    out = tmp_path / "store"
    run_sweep(path, out=out, workers=1, progress=False, figures=False)
    store = Store(out)
    assert sorted(store.read_runs()["policy"].unique()) == ["my-mix", "none"]
    assert "params/policies/my-mix.toml" in store.read_manifest()["inputs"]
    assert reproduce(out).identical
