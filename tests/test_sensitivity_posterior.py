"""A sensitivity study drawing its behaviour from a calibration posterior (issue 12):
the grouped factor's u → particle map, a tiny study end to end, and bad input."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.calibration.posterior import load_posterior, write_posterior
from experiments.cli import main
from experiments.engine.store import Store
from experiments.sensitivity.behaviour import NAME, SLOTS, behaviour_of, principal_score
from experiments.sensitivity.plan import make_plan
from experiments.sensitivity.sampling import lever_rows
from experiments.sensitivity.study import load_study

from .conftest import BASELINE, ROOT
from .study_helpers import TWO_LEVER_FACTORS

WEIGHTS = [0.4, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.0]  # the last particle can never be drawn
PARAMETERS = {
    "logit_scale": {"keys": ["run.logit_scale"], "mode": "set", "transfer": True},
    "agglomeration_scale": {"keys": ["spillover.*.*"], "mode": "scale", "transfer": True},
    # a nuisance of history: the study must not take it
    "decline_scale": {"keys": ["run.seed"], "mode": "set", "transfer": False},
}
END_YEAR = 2028  # a short horizon keeps the tiny study quick; the pipeline is the same
TINY_POPULATION = """
kinds.tech_firm.count = 100
kinds.startup.count = 35
kinds.commercial_broadcaster.count = 10
kinds.production_facility.count = 20
"""


def tiny_posterior(folder: Path) -> Path:
    """Eight particles with unequal weights (written as a calibration would)."""
    rng = np.random.default_rng(5)
    n = len(WEIGHTS)
    frame = pd.DataFrame(
        {
            "particle": np.arange(n),
            "weight": WEIGHTS,
            "distance": rng.uniform(0, 1, n),
            "logit_scale": np.round(np.linspace(0.7, 1.4, n), 3),
            "agglomeration_scale": np.round(rng.uniform(0.5, 1.5, n), 3),
            "decline_scale": rng.uniform(0, 1, n),
        }
    )
    path = folder / "posterior.parquet"
    info = {"calibration": "test", "git_commit": "abc", "created": "2026-11-30T00:00:00"}
    write_posterior(path, frame, PARAMETERS, info)
    return path


def study_text(posterior: str, extra_factor: str = "", overrides: str = "") -> str:
    return f"""
name = "tiny-posterior"
baseline = "{BASELINE.as_posix()}"
posterior = "{posterior}"
scenarios = ["trend", "dispersed-feeds"]
replications = 2
uncertain = false
master_seed = 12
outcomes = ["hilversum_jobs_share"]

[overrides]
run.end_year = {END_YEAR}
{TINY_POPULATION}
{overrides}

[sobol]
base_samples = 4
nested_min = 4
bootstrap = 50

[levers]
members = 4

{TWO_LEVER_FACTORS}{extra_factor}
"""


def write_study(folder: Path, **kwargs) -> Path:
    tiny_posterior(folder)
    path = folder / "study.toml"
    path.write_text(study_text("posterior.parquet", **kwargs))  # relative to the study file
    return path


# ----------------------------------------------------------------- the grouped factor


def test_u_picks_particles_deterministically_and_by_weight(tmp_path):
    post = load_posterior(tiny_posterior(tmp_path))
    behaviour = behaviour_of(post, master_seed=12)
    w = np.asarray(WEIGHTS)
    # Systematic resampling: particle i fills floor(M w_i) or ceil(M w_i) of the M slots
    # (exact, not statistical); the zero-weight particle none.
    counts = np.bincount(behaviour.slots, minlength=len(w))
    assert len(behaviour.slots) == SLOTS
    assert np.all(counts >= np.floor(SLOTS * w)) and np.all(counts <= np.ceil(SLOTS * w))
    assert counts[-1] == 0
    # Slots run along the first principal component (nearby u, similar behaviour).
    assert np.all(np.diff(principal_score(post)[behaviour.slots]) >= 0)
    # Deterministic: the same master seed gives the same map; u -> floor(u M).
    again = behaviour_of(load_posterior(tmp_path / "posterior.parquet"), master_seed=12)
    np.testing.assert_array_equal(again.slots, behaviour.slots)
    assert behaviour.row(0.0) == behaviour.slots[0]
    assert behaviour.row(1.0) == behaviour.slots[-1]  # u = 1 (a closed SALib bound) clips
    assert behaviour.row(0.5) == behaviour.slots[SLOTS // 2]
    # By weight: u ~ U[0, 1) picks particle i with probability w_i. With n = 100,000
    # draws each frequency lies within 1/M (the resampling's rounding) plus 4 binomial
    # sds of w_i (a chance below 1e-4 per particle, so about 6e-4 for all eight).
    n = 100_000
    u = np.random.default_rng(2026).random(n)
    rows = behaviour.rows(u)
    assert [behaviour.row(x) for x in u[:200]] == list(rows[:200])
    freq = np.bincount(rows, minlength=len(w)) / n
    tolerance = 1 / SLOTS + 4 * np.sqrt(w * (1 - w) / n)
    assert np.all(np.abs(freq - w) <= tolerance), (freq, w)


# ----------------------------------------------------------------- a tiny study


@pytest.fixture(scope="module")
def tiny_study(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sens-posterior")
    path = write_study(folder)
    out = folder / "results"
    assert main(["sensitivity", str(path), "--workers", "1", "--quiet", "--out", str(out)]) == 0
    return path, out


def test_the_posterior_is_one_grouped_factor_and_runs_carry_its_particles(tiny_study):
    path, out = tiny_study
    study = load_study(path)
    assert study.factor_names == ["campus_amenity", "innovation_fund", NAME, "dummy"]
    post = study.behaviour.posterior
    manifest = json.loads((out / "manifest.json").read_text())
    digest = hashlib.sha256((path.parent / "posterior.parquet").read_bytes()).hexdigest()
    assert manifest["posterior"]["sha256"] == digest
    assert manifest["posterior"]["parameters"] == ["logit_scale", "agglomeration_scale"]
    assert manifest["posterior"]["slots"] == SLOTS

    plan = make_plan(study)
    specs = {s.run_id: s for s in Store(out).read_specs()}
    params = {s: study.behaviour.by_scenario[s] for s in study.scenarios}
    gamma = "spillover.public_broadcaster.public_broadcaster"
    from experiments.sensitivity.study import _load

    base_gamma = {
        s: _load(study, s, {}).model_dump()["spillover"]["public_broadcaster"]["public_broadcaster"]
        for s in study.scenarios
    }
    for row in plan.frame.itertuples(index=False):
        particle = study.behaviour.row(getattr(row, NAME))
        assert WEIGHTS[particle] > 0
        for k in range(study.replications):
            design = specs[int(row.row) * study.replications + k].design
            assert design["run.logit_scale"] == post.frame["logit_scale"].iat[particle]
            expected = base_gamma[row.scenario] * post.frame["agglomeration_scale"].iat[particle]
            assert math.isclose(design[gamma], expected, rel_tol=1e-12)
            assert "run.seed" not in design  # the nuisance stays with history
            assert design == {**design, **params[row.scenario][particle]}
    # The lever ensemble: each member one particle, the same across its paired lever rows.
    width = len(lever_rows(study))
    for scenario in study.scenarios:
        points = plan.points(scenario, "levers")
        members = points[NAME].to_numpy().reshape(-1, width)
        assert (members == members[:, :1]).all()
    ranked = pd.read_csv(out / "ranked_factors.csv")
    assert NAME in set(ranked["factor"])
    assert "Calibrated behaviour (posterior draw)" in set(ranked["label"])
    assert "Calibrated behaviour (posterior draw): ST" in (out / "summary.md").read_text()


def test_a_posterior_study_reproduces_and_is_the_same_on_two_workers(tiny_study, capsys, tmp_path):
    path, out = tiny_study
    assert main(["reproduce", str(out), "--workers", "1", "--sample", "6"]) == 0
    assert "identical" in capsys.readouterr().out
    other = tmp_path / "two"
    assert main(["sensitivity", str(path), "--workers", "2", "--quiet", "--out", str(other)]) == 0
    for name in ("indices.csv", "design_points.csv", "lever_effects.csv", "ranked_factors.csv"):
        pd.testing.assert_frame_equal(
            pd.read_csv(other / name), pd.read_csv(out / name), check_exact=True
        )


# ----------------------------------------------------------------- bad input

CLASH = """
[factors.logit_scale]
role = "parameter"
key = "run.logit_scale"
bounds = [0.7, 1.4]
reason = "a test range that the posterior already sets"
"""


@pytest.mark.parametrize(
    ("kwargs", "key", "words"),
    [
        ({"extra_factor": CLASH}, "factors.logit_scale", "which the posterior sets"),
        ({"overrides": "run.logit_scale = 1.1"}, "posterior", "[overrides] fixes run.logit_scale"),
    ],
    ids=["factor", "overrides"],
)
def test_varying_or_fixing_what_the_posterior_sets_is_one_line(
    tmp_path, capsys, kwargs, key, words
):
    path = write_study(tmp_path, **kwargs)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {path}: {key}: ") and words in err


@pytest.mark.parametrize("what", ["missing", "not-parquet", "no-metadata"])
def test_a_bad_posterior_path_is_one_line(tmp_path, capsys, what):
    path = tmp_path / "study.toml"
    target = tmp_path / "post.parquet"
    if what == "not-parquet":
        target.write_text("not a table\n")
    elif what == "no-metadata":
        pd.DataFrame({"particle": [0], "weight": [1.0]}).to_parquet(target)
    path.write_text(study_text("post.parquet"))
    assert main(["sensitivity", str(path), "--quiet", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: posterior: ")
    assert not (tmp_path / "out").exists()


def test_the_shipped_posterior_study_file_names_the_hindcast_posterior():
    from experiments.engine.checks import read_tree

    path = ROOT / "params" / "experiments" / "policy-sensitivity-posterior.toml"
    _, tree = read_tree(path)
    assert tree["posterior"] == "../../results/hindcast/posterior.parquet"
    # None of its own factors sets a behavioural parameter the hindcast calibrates.
    assert not {"logit_scale", "agglomeration", "relocation_hazard"} & set(tree["factors"])
    if (path.parent / tree["posterior"]).is_file():  # after `make hindcast`
        study = load_study(path)
        assert NAME in study.factor_names and make_plan(study).n_runs == 9664
