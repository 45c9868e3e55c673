"""Study files: the shipped ones are valid; bad ones stop with one clear line (issue 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sim
from experiments.cli import main
from experiments.sensitivity.plan import make_plan
from experiments.sensitivity.study import load_study

from .conftest import BASELINE, ROOT

QUICK = ROOT / "params" / "experiments" / "policy-sensitivity-quick.toml"
FULL = ROOT / "params" / "experiments" / "policy-sensitivity.toml"


@pytest.mark.parametrize("path", [QUICK, FULL], ids=["quick", "full"])
def test_shipped_study_files_are_valid_and_cover_levers_and_scenarios(path, capsys):
    assert main(["check", str(path)]) == 0
    assert "valid sensitivity study" in capsys.readouterr().out
    study = load_study(path)
    # The full study covers all five scenarios; the quick one three (trend, the
    # space-bound studio-valley and the stress test dispersed-feeds) to stay near 10 min.
    assert len(study.scenarios) == (5 if path == FULL else 3)
    assert sorted(f.keys[0].split(".")[1] for f in study.levers) == sorted(
        ["space_expansion_m2_per_year", "rent_subsidy", "talent_programme_students",
         "innovation_fund_meur_per_year", "shared_facilities", "accessibility_minutes_saved",
         "campus_amenity", "cooperation_programme"]
    )  # fmt: skip
    # The censored minimum and the floored cost ratio are replaced (issue 13): "ever
    # below the 2025 share", and each lever's cost per point from the lever ensemble.
    assert {"hilversum_jobs_share", "ever_below_2025_share", "startups_hilversum"} <= set(
        study.outcomes
    )
    assert not {"min_hilversum_jobs_share", "cost_per_point_kept"} & set(study.outcomes)
    assert study.methods.levers is not None
    assert study.methods.sobol and study.methods.morris and study.methods.pawn
    assert all(len(f.reason) > 40 for f in study.factors)


def test_quick_study_size_matches_its_header():
    # The headers promise 32,184 and 210,420 runs, the four [uncertain]
    # policy-effect coefficients included (25,800 and 186,480 without them).
    assert make_plan(load_study(QUICK)).n_runs == 32184
    assert make_plan(load_study(FULL)).n_runs == 210420


def test_every_study_carries_the_dummy_and_the_quick_study_uses_n_256():
    study = load_study(QUICK)
    assert study.factor_names[-1] == "dummy" and study.factors[-1].role == "dummy"
    assert study.methods.sobol.base_samples >= 256
    assert study.methods.morris.trajectories >= 10
    assert study.methods.levers and study.methods.emulator
    assert study.analysis.noise_correction and study.replications >= 2


def test_uncertain_coefficients_become_factors_unless_switched_off(tmp_path):
    study = load_study(QUICK)
    params = sim.load_params(study.baseline)
    added = [f for f in study.factors if f.name in params.uncertain]
    assert [f.keys[0] for f in added] == [u.key for u in params.uncertain.values()]
    for f in added:
        assert f.role == "parameter" and f.bounds == params.uncertain[f.name].bounds
    shutil.copytree(QUICK.parent.parent, tmp_path / "params")
    off = tmp_path / "params" / "experiments" / "off.toml"
    off.write_text(QUICK.read_text().replace("[overrides]", "uncertain = false\n\n[overrides]", 1))
    assert not [f for f in load_study(off).factors if f.name in params.uncertain]


def test_scale_factor_multiplies_every_matched_value():
    study = load_study(QUICK)
    keys = dict(study.targets["trend"]["agglomeration"])
    assert len(keys) == 36 and keys["spillover.tech_firm.tech_firm"] == pytest.approx(0.4)
    plan = make_plan(study)
    spec = plan.specs()[0]
    factor = plan.frame.loc[0, "agglomeration"]
    assert spec.design["spillover.tech_firm.tech_firm"] == pytest.approx(0.4 * factor)


BAD = [
    # (replace this, with that, expected key, expected words in the problem)
    ("base_samples = 256", "base_samples = 250", "sobol", "power of two"),
    ("nested_min = 32", "nested_min = 24", "sobol.nested_min", "power of two"),
    ("members = 32", "members = 30", "levers", "power of two"),
    ("replications = 2 ", "replications = 1 ", "replications", "needs at least 2 replications"),
    ("[factors.cooperation]", "[factors.dummy]", "factors.dummy", "'dummy' is reserved"),
    ("trajectories = 10", "trajectories = 4", "morris.trajectories", "greater than or equal to 10"),
    ('"trend", "studio-valley"', '"trendy", "studio-valley"', "scenarios[0]", "unknown scenario"),
    ('keys = ["spillover.*.*"]', 'keys = ["spillover.*.nope"]', "factors.agglomeration.keys[0]",
     "no params key matches"),
    ('key = "run.logit_scale"', 'key = "run.seed"', "factors.logit_scale.key", "not a real number"),
    ('key = "demography.rent_elasticity"', 'key = "policy.campus_amenity.value"',
     "factors.rent_elasticity", "which factor 'campus_amenity' sets too"),
    ("bounds = [0.5, 2.0]", "bounds = [0.5, 8.0]", "factors.relocation_hazard.bounds",
     "upper bound"),
    ("bounds = [0.0, 0.3]", "bounds = [0.3, 0.0]", "factors.rent_subsidy.bounds", "lower < upper"),
    ('"startups_hilversum",  ', '"startups_hilversm",', "outcomes[2]", "unknown outcome"),
    ('role = "parameter"\nkey = "run.logit_scale"', 'role = "lever"\nkey = "run.logit_scale"',
     "factors.logit_scale.key", "a lever must set policy.<lever>.value"),
    ("levels = 4", "levels = 3", "morris", "even"),
    ('main_outcome = "hilversum_jobs_share"', 'main_outcome = "jobs_abroad"', None,
     "not in outcomes"),
    ("slices = 10 ", "slicez = 10 ", "pawn.slicez", "unknown key"),
    ("policy.rent_subsidy.kinds", "policy.rent_subsidy.kindz", "overrides.policy.rent_subsidy",
     "unknown key"),
]  # fmt: skip


@pytest.mark.parametrize("old,new,key,problem", BAD, ids=[b[3] for b in BAD])
def test_bad_study_file_stops_with_one_line_naming_file_key_problem(
    tmp_path: Path, capsys, old, new, key, problem
):
    text = QUICK.read_text().replace('"../baseline.toml"', f'"{BASELINE.as_posix()}"')
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1))
    code = main(["sensitivity", str(bad), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {bad}: ")
    if key:
        assert f": {key}" in err
    assert problem in err
    assert not (tmp_path / "out").exists()  # nothing run, nothing written


def test_a_sweep_experiment_is_not_a_study(capsys, tmp_path: Path):
    sweep = ROOT / "params" / "experiments" / "scenarios.toml"
    assert main(["sensitivity", str(sweep), "--out", str(tmp_path / "out")]) == 2
    assert "not a sensitivity study" in capsys.readouterr().err


def test_existing_results_are_never_overwritten_implicitly(tmp_path: Path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "something.txt").write_text("keep me")
    assert main(["sensitivity", str(QUICK), "--out", str(out), "--quiet"]) == 2
    assert "not a results store" in capsys.readouterr().err
    assert (out / "something.txt").read_text() == "keep me"


def _quick_with(tmp_path: Path, policy: str, table: str) -> Path:
    text = QUICK.read_text().replace('"../baseline.toml"', f'"{BASELINE.as_posix()}"')
    text = text.replace('policy = "none"', f'policy = "{policy}"', 1)
    path = tmp_path / "custom.toml"
    path.write_text(text + table)
    return path


def test_a_study_can_lay_its_levers_over_a_custom_policy_mix(tmp_path: Path):
    from experiments.sensitivity.pipeline import setup_of

    mix = "\n[custom_policies.park]\ncampus_amenity = { value = 0.1, start_year = 2027 }\n"
    study = load_study(_quick_with(tmp_path, "park", mix))
    assert study.policy == "park"
    bundle = setup_of(study).params
    params = bundle.load("trend", "park", study.overrides)
    assert params.policy.name == "park" and params.policy.campus_amenity.start_year == 2027


def test_a_bad_custom_policy_in_a_study_names_the_study_file(tmp_path: Path, capsys):
    mix = "\n[custom_policies.park]\ncampus_amenty = { value = 0.1, start_year = 2027 }\n"
    path = _quick_with(tmp_path, "park", mix)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {path}: custom_policies.park.campus_amenty: unknown key", err
