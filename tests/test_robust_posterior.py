"""A robust study drawing behavioural parameters from a stored posterior, and the params'
[uncertain] coefficients as default uncertainties (issue 12).

The posterior here is written by hand (a few particles with known values and weights),
so no calibration has to run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from experiments.calibration.posterior import write_posterior
from experiments.cli import main
from experiments.engine.store import Store
from experiments.robust.analysis import discovery_tables
from experiments.robust.futures import (
    PARTICLE,
    evaluation_ensemble,
    particle_rows,
    search_ensemble,
)
from experiments.robust.plan import Results, policy_run, specs_for
from experiments.robust.study import load_study

from .conftest import BASELINE, ROOT
from .test_robust_pipeline import DERIVED, STUDY, run, write_study

UNCERTAIN = tuple(sim.load_params(BASELINE).uncertain)  # the baseline's [uncertain] names
# The tiny study without its ranged agglomeration (the posterior sets γ), with a posterior.
POSTERIOR_STUDY = STUDY.split("[uncertainties.agglomeration]")[0].replace(
    "master_seed = 99\n", 'master_seed = 99\nposterior = "posterior.parquet"\n'
)


def tiny_posterior(path: Path, mu: list[float], weights: list[float], extra: dict | None = None):
    """A stored posterior: μ set to each particle's value, γ scaled, a nuisance not
    transferred; ``extra`` adds parameters ({name: (keys, values)}, mode ``set``)."""
    n = len(mu)
    frame = pd.DataFrame(
        {
            "particle": np.arange(n),
            "weight": weights,
            "distance": np.linspace(0.1, 0.2, n),
            "logit_scale": mu,
            "agglomeration_scale": np.linspace(0.6, 1.4, n),
            "decline": np.full(n, 0.5),
        }
    )
    parameters = {
        "logit_scale": {"keys": ["run.logit_scale"], "mode": "set", "bounds": [0.5, 2.0]},
        "agglomeration_scale": {"keys": ["spillover.*.*"], "mode": "scale", "bounds": [0.25, 2]},
        "decline": {
            "keys": ["drivers.public_broadcaster_growth.*"],
            "mode": "scale",
            "transfer": False,
            "bounds": [0.25, 1.5],
        },
    }
    for name, (keys, values) in (extra or {}).items():
        frame[name] = values
        parameters[name] = {"keys": keys, "mode": "set", "bounds": [min(values), max(values)]}
    info = {"calibration": "tiny-test", "git_commit": "test", "created": "2026-11-30"}
    write_posterior(path, frame, parameters, info)
    return path


@pytest.fixture
def posterior_study(tmp_path) -> Path:
    tiny_posterior(tmp_path / "posterior.parquet", [0.6, 0.9, 1.2, 1.5, 1.8], [0.1] * 4 + [0.6])
    return write_study(tmp_path, POSTERIOR_STUDY)


# ------------------------------------------------------------------ particles per future


def test_every_future_carries_a_particle_the_same_for_every_policy(posterior_study):
    study = load_study(posterior_study)
    ensemble = evaluation_ensemble(study)
    frame = ensemble.frame
    assert len(frame) == 8 + 2 and frame[PARTICLE].notna().all()  # storylines carry one too
    post = study.posterior.frame.set_index("particle")
    for name in ("logit_scale", "agglomeration_scale"):
        assert (frame[name].to_numpy() == post.loc[frame[PARTICLE], name].to_numpy()).all()
    assert "decline" not in frame  # not transferred: stays the scenario's own
    # deterministic: the same study draws the same particles again
    again = evaluation_ensemble(load_study(posterior_study))
    pd.testing.assert_frame_equal(again.frame, frame)
    # every policy runs future f with the same particle (and seed): common random numbers
    policies = [policy_run(study, mix) for mix in study.policies]
    specs = specs_for(study, ensemble, policies)
    for f, row in frame.iterrows():
        designs = [s.design for s in specs if s.run_id % ensemble.n == f]
        assert len(designs) == len(policies)
        assert {d["run.logit_scale"] for d in designs} == {row["logit_scale"]}
        gamma = sim.load_params(BASELINE, scenario=row["scenario"]).spillover
        a, b = next((a, b) for a in gamma for b in gamma[a] if gamma[a][b] > 0)
        expected = gamma[a][b] * row["agglomeration_scale"]
        assert [d[f"spillover.{a}.{b}"] for d in designs] == pytest.approx(
            [expected] * len(designs)
        )
        assert len({s.seed for s in specs if s.run_id % ensemble.n == f}) == 1
    # the search's futures draw from their own stream
    assert PARTICLE in search_ensemble(study).frame


def test_a_future_keeps_its_particle_when_the_ensemble_grows(posterior_study, tmp_path):
    small = evaluation_ensemble(load_study(posterior_study)).frame
    bigger = write_study(tmp_path, POSTERIOR_STUDY.replace("futures = 8", "futures = 12"))
    large = evaluation_ensemble(load_study(bigger)).frame
    assert (large[PARTICLE].iloc[:8].to_numpy() == small[PARTICLE].iloc[:8].to_numpy()).all()


def test_particles_are_drawn_by_weight(posterior_study):
    # 4,000 futures from weights (0.1, 0.1, 0.1, 0.1, 0.6): each count is binomial.
    # Four standard deviations (76 for p = 0.1, 124 for p = 0.6) make a false alarm
    # from this fixed seed practically impossible, while a draw that ignored the
    # weights (800 each) would be 1,600 off for the last particle.
    study = load_study(posterior_study)
    rows = particle_rows(study, 4000, "evaluate")
    counts = np.bincount(rows, minlength=5)
    p = np.array([0.1] * 4 + [0.6])
    assert np.all(np.abs(counts - 4000 * p) < 4 * np.sqrt(4000 * p * (1 - p)))


# ------------------------------------------------------------------ bad input


CLASHES = [
    # an uncertainty setting a key the posterior sets
    (
        "[uncertainties.pull_2040]",
        '[uncertainties.mu]\nkey = "run.logit_scale"\nbounds = [0.7, 1.4]\n'
        'reason = "Taste scale (test)."\n\n[uncertainties.pull_2040]',
        "uncertainties.mu:",
    ),
    # robust.toml's ranged μ kept in a posterior study: the key is named, not the name
    (
        "[uncertainties.pull_2040]",
        '[uncertainties.logit_scale]\nkey = "run.logit_scale"\nbounds = [0.7, 1.4]\n'
        'reason = "Taste scale (test)."\n\n[uncertainties.pull_2040]',
        "uncertainties.logit_scale: sets 'run.logit_scale', which the posterior sets",
    ),
    # an uncertainty with a posterior parameter's name but another key
    (
        "[uncertainties.pull_2040]",
        '[uncertainties.logit_scale]\nkey = "demography.rent_elasticity"\nbounds = [0.5, 2.5]\n'
        'reason = "Same name, other key (test)."\n\n[uncertainties.pull_2040]',
        "uncertainties.logit_scale: has the name of a posterior parameter",
    ),
    # an override fixing a key the posterior sets
    (
        "run.end_year = 2028",
        "run.end_year = 2028\nrun.logit_scale = 1.1",
        "posterior: [overrides] fixes",
    ),
    # no such file
    (
        'posterior = "posterior.parquet"',
        'posterior = "nowhere.parquet"',
        "posterior: posterior file not found",
    ),
]


@pytest.mark.parametrize("old,new,key", CLASHES, ids=[f"clash{i}" for i in range(len(CLASHES))])
def test_a_posterior_clash_is_one_line_exit_2(old, new, key, posterior_study, tmp_path, capsys):
    assert old in POSTERIOR_STUDY
    study = write_study(tmp_path, POSTERIOR_STUDY.replace(old, new, 1))
    assert run(study, tmp_path / "out") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {study}: {key}"), err
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ end to end


@pytest.fixture(scope="module")
def posterior_run(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("robust-posterior")
    post = tiny_posterior(folder / "posterior.parquet", [0.6, 0.9, 1.2, 1.5, 1.8], [0.2] * 5)
    out = folder / "serial"
    assert run(write_study(folder, POSTERIOR_STUDY), out, "--workers", "1", "--no-figures") == 0
    return out, post


def test_manifests_record_the_posterior(posterior_run):
    out, post = posterior_run
    digest = hashlib.sha256(post.read_bytes()).hexdigest()
    for store in ("evaluate", "out-of-sample", "search/gen-000"):
        manifest = json.loads((out / store / "manifest.json").read_text())
        assert manifest["posterior"]["sha256"] == digest, store
        assert manifest["posterior"]["calibration"] == "tiny-test"
        assert manifest["posterior"]["parameters"] == ["logit_scale", "agglomeration_scale"]
    marker = json.loads((out / "robust.json").read_text())
    assert marker["posterior"]["sha256"] == digest
    futures = pd.read_csv(out / "futures.csv")
    assert {PARTICLE, "logit_scale", "agglomeration_scale", *UNCERTAIN} <= set(futures.columns)
    design = Store(out / "evaluate").read_design()
    per_future = design.groupby(design["run_id"] % len(futures))
    assert (per_future["run.logit_scale"].nunique() == 1).all()
    assert set(design["run.logit_scale"]) <= {0.6, 0.9, 1.2, 1.5, 1.8}


def test_posterior_study_does_not_depend_on_workers(posterior_run, tmp_path):
    out, post = posterior_run
    (tmp_path / "posterior.parquet").write_bytes(post.read_bytes())
    pool = tmp_path / "pool"
    study = write_study(tmp_path, POSTERIOR_STUDY)
    assert run(study, pool, "--workers", "2", "--chunk-size", "3", "--no-figures") == 0
    for name in (*DERIVED, "futures.csv"):
        assert (pool / name).read_text() == (out / name).read_text(), name


def test_prim_finds_a_box_in_a_posterior_parameter(tmp_path):
    """Planted: the reference misses its target exactly when the future's particle has
    μ > 1.4 (about 40% of 60 futures, μ spread evenly over 0.5–2.0); PRIM's box must
    restrict μ from below near 1.4."""
    mu = list(np.linspace(0.5, 2.0, 40))
    tiny_posterior(tmp_path / "posterior.parquet", mu, [1.0] * 40)
    text = POSTERIOR_STUDY.replace("futures = 8", "futures = 60").replace(
        'policies = ["none", "fund"]', 'policies = ["none"]'
    )
    study = load_study(write_study(tmp_path, text))
    ensemble = evaluation_ensemble(study)
    miss = ensemble.frame["logit_scale"].to_numpy() > 1.4
    n_p, n_f, years = len(study.policies), ensemble.n, len(study.years)
    share = np.full((n_p, n_f, 1, years), 0.3)
    share[:, :, 0, -1] = np.where(miss, 0.2, 0.4)  # 2025: 0.3, the target; 2028: miss or hit
    values = {o: share for o in study.outcomes} | {"policy_cost_meur": np.zeros_like(share)}
    results = Results([m.name for m in study.policies], values, np.array(study.years))
    boxes, _, _, notes = discovery_tables(study, ensemble, results)
    assert notes.set_index("policy").loc["none", "boxes"] >= 1
    first = boxes[(boxes["policy"] == "none") & (boxes["box"] == 1)]
    assert first["dimension"].tolist() == ["logit_scale"]
    assert 1.2 < first["low"].iloc[0] <= 1.45 and first["density"].iloc[0] == 1.0


# ------------------------------------------------------------------ [uncertain] defaults


def test_the_params_uncertain_coefficients_are_uncertainties_by_default(tmp_path):
    params = sim.load_params(BASELINE)
    study = load_study(write_study(tmp_path, STUDY))
    added = [u for u in study.uncertainties if u.from_params]
    assert [u.name for u in added] == list(UNCERTAIN)
    for u in added:
        spec = params.uncertain[u.name]
        assert u.keys == (spec.key,) and u.bounds == tuple(spec.bounds) and u.mode == "set"
        assert u.reason.startswith(spec.reason.split()[0])
    assert study.uncertainty_names[:3] == ["proximity_2040", "pull_2040", "agglomeration"]
    futures = evaluation_ensemble(study).frame
    for u in added:  # sampled over the params range; storylines at the params value
        sampled = futures[futures["kind"] == "sampled"][u.name]
        assert sampled.between(*u.bounds).all() and sampled.nunique() == len(sampled)
        value = sim.params.value_at(params, u.keys[0])
        assert (futures[futures["kind"] == "storyline"][u.name] == value).all()
    shipped = load_study(ROOT / "params" / "experiments" / "robust.toml")
    assert {u.name for u in shipped.uncertainties if u.from_params} == set(UNCERTAIN)


def test_uncertain_false_leaves_them_out_and_the_file_may_range_one_itself(tmp_path):
    off = load_study(
        write_study(
            tmp_path, STUDY.replace("master_seed = 99", "master_seed = 99\nuncertain = false")
        )
    )
    assert not [u for u in off.uncertainties if u.from_params]
    own = STUDY + (
        '\n[uncertainties.grant_response]\nkey = "policy_effects.innovation_max_utility"\n'
        'bounds = [0.3, 0.6]\nreason = "A narrower range of my own (test)."\n'
    )
    study = load_study(write_study(tmp_path, own))
    matching = [u for u in study.uncertainties if "policy_effects.innovation_max_utility" in u.keys]
    assert [(u.name, u.bounds) for u in matching] == [("grant_response", (0.3, 0.6))]
    assert len(study.uncertainties) == 3 + 1 + len(UNCERTAIN) - 1


def test_a_coefficient_the_posterior_sets_is_not_ranged_too(tmp_path):
    tiny_posterior(
        tmp_path / "posterior.parquet",
        [0.6, 0.9],
        [0.5, 0.5],
        extra={"coop": (["policy_effects.cooperation_gamma_per_point"], [0.5, 1.0])},
    )
    study = load_study(write_study(tmp_path, POSTERIOR_STUDY))
    assert "cooperation_gamma" not in study.uncertainty_names
    assert "coop" in study.posterior_names


def test_an_uncertainty_named_like_an_uncertain_entry_but_setting_another_key(tmp_path, capsys):
    text = STUDY + (
        '\n[uncertainties.cooperation_gamma]\nkey = "demography.rent_elasticity"\n'
        'bounds = [0.5, 2.5]\nreason = "Same name, other key (test)."\n'
    )
    study = write_study(tmp_path, text)
    assert main(["check", str(study)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {study}: uncertainties.cooperation_gamma:"), err


def test_the_shipped_posterior_study_is_robust_toml_with_the_posterior(tmp_path):
    """robust-posterior.toml = robust.toml + a posterior − the ranges the posterior sets
    (checked with a stand-in posterior: results/hindcast/ is not part of a fresh clone)."""
    shipped = ROOT / "params" / "experiments"
    text = (shipped / "robust-posterior.toml").read_text()
    assert 'posterior = "../../results/hindcast/posterior.parquet"' in text
    tiny_posterior(tmp_path / "posterior.parquet", [0.8, 1.2], [0.5, 0.5])
    text = text.replace("../../results/hindcast/posterior.parquet", "posterior.parquet").replace(
        'baseline = "../baseline.toml"', f'baseline = "{BASELINE.as_posix()}"'
    )
    study = load_study(write_study(tmp_path, text))
    ranged = load_study(shipped / "robust.toml")
    dropped = {"agglomeration", "relocation_hazard", "logit_scale"}
    assert study.uncertainty_names == [n for n in ranged.uncertainty_names if n not in dropped]
    assert [m.name for m in study.policies] == [m.name for m in ranged.policies]
    assert (study.master_seed, study.futures, study.search) == (
        ranged.master_seed,
        ranged.futures,
        ranged.search,
    )
