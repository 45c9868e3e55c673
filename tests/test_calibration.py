"""Calibration (ABC-SMC on history): the algorithm against a known posterior, the
patterns' arithmetic, a tiny end-to-end run (store, resume, reproduce), the
posterior in a sweep, and bad calibration inputs (docs/calibration.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.calibration import smc
from experiments.calibration.calibration_file import load_calibration
from experiments.calibration.patterns import Pattern, distances
from experiments.calibration.pipeline import run_calibration
from experiments.calibration.posterior import load_posterior
from experiments.cli import main

from .conftest import ROOT

HISTORY = ROOT / "params" / "history"
# A small population so a run takes ~0.03 s: the tests check the machinery, not the fit.
TINY = {
    "kinds.tech_firm.count": 100,
    "kinds.startup.count": 35,
    "kinds.commercial_broadcaster.count": 10,
    "kinds.production_facility.count": 20,
}


# ----------------------------------------------------------------------- the algorithm


def test_abc_smc_recovers_a_known_gaussian_posterior():
    """y ~ N(θ, 1), y_obs = 1, prior U(−5, 5): the exact posterior is N(1, 1) (the prior
    cuts nothing off). ABC with distance |y − y_obs| ≤ ε has posterior variance
    1 + ε²/3, so at the final ε (≈ 0.05 here) mean ≈ 1 and sd ≈ 1.
    Tolerances: 600 particles with ESS > 300 give a standard error of the mean of
    about 1/√300 ≈ 0.06 and of the sd of about 0.04; we allow 0.2 and 0.15 (> 3 se)."""
    prior = smc.Prior(("theta",), np.array([-5.0]), np.array([5.0]), np.array([False]))
    master = 11

    def simulate(t, batch, thetas):
        seeds = smc.run_seeds(master, t, batch, len(thetas))
        noise = np.array([np.random.default_rng(s).standard_normal() for s in seeds])
        return np.abs(thetas[:, 0] + noise - 1.0)

    pops = smc.abc_smc(prior, simulate, 600, 7, master, quantile=0.5, min_acceptance=0.01)
    post = pops[-1]
    assert post.epsilon < 0.1
    assert post.ess > 300
    mean = np.sum(post.weights * post.theta[:, 0])
    sd = np.sqrt(np.sum(post.weights * (post.theta[:, 0] - mean) ** 2))
    assert abs(mean - 1.0) < 0.2
    assert abs(sd - 1.0) < 0.15
    # the same master seed gives the same populations (the result depends on nothing else)
    again = smc.abc_smc(prior, simulate, 600, 7, master, quantile=0.5, min_acceptance=0.01)
    np.testing.assert_array_equal(again[-1].theta, post.theta)


def test_importance_weights_undo_the_proposal():
    """With a prior equal to the previous population's kernel mixture the weights are
    flat: prior(θ) / Σ w_j K(θ|θ_j) is then constant."""
    prior = smc.Prior(("a",), np.array([0.0]), np.array([1.0]), np.array([False]))
    pop = smc.Population(0, np.array([[0.5]]), np.array([1.0]), np.array([0.0]), 1.0, 1, 1)
    cov = np.array([[1e6]])  # so wide it is flat over [0, 1] (to 1e-7)
    theta = np.array([[0.1], [0.5], [0.9]])
    w = smc.importance_weights(theta, pop, prior, cov)
    np.testing.assert_allclose(w, [1 / 3] * 3, rtol=1e-6)


def test_importance_weights_survive_a_collapsed_parameter():
    """A parameter whose particles all agree (a collapsed posterior, or fewer particles
    than parameters) leaves only the kernel's tiny ridge in that direction. scipy's
    density treats such directions as singular (0 off them), which made every weight
    0/0; the weights must stay finite and equal prior(θ) / Σ w_j N(θ; θ_j, cov) for the
    ridged covariance the proposals were drawn with (found by the pyabc cross-check)."""
    prior = smc.Prior(("a", "b"), np.zeros(2), np.ones(2), np.array([False, False]))
    rng = np.random.default_rng(3)
    theta = np.column_stack([rng.uniform(0.25, 0.75, 50), np.full(50, 0.5)])
    pop = smc.Population(0, theta, np.full(50, 1 / 50), np.zeros(50), np.inf, 50, 1)
    cov = smc.kernel_covariance(pop)
    proposals = smc.propose(rng, pop, prior, cov, 20)
    w = smc.importance_weights(proposals, pop, prior, cov)
    assert np.all(np.isfinite(w)) and abs(w.sum() - 1.0) < 1e-12
    inv, (_, logdet) = np.linalg.inv(cov), np.linalg.slogdet(cov)
    d = proposals[:, None, :] - theta[None, :, :]
    log_k = -0.5 * np.einsum("ijk,kl,ijl->ij", d, inv, d) - 0.5 * logdet - np.log(2 * np.pi)
    expected = 1.0 / (np.exp(log_k) @ pop.weights)  # the prior density is 1 on the square
    np.testing.assert_allclose(w, expected / expected.sum(), rtol=1e-6)
    # a well-conditioned covariance still takes scipy's density, unchanged
    wide = np.array([[0.04, 0.01], [0.01, 0.02]])
    from scipy import stats

    np.testing.assert_allclose(
        smc.kernel_density(d[0], wide), stats.multivariate_normal(cov=wide).pdf(d[0]), rtol=1e-12
    )


def test_prior_moments_and_support():
    prior = smc.Prior(
        ("u", "l"), np.array([0.0, 1.0]), np.array([2.0, 100.0]), np.array([False, True])
    )
    x = prior.sample(np.random.default_rng(0), 200_000)
    assert prior.inside(x).all()
    # sampling error of the means: sd/√n ≈ 0.0013 and 0.05; 5 se allowed
    assert abs(x[:, 0].mean() - prior.mean()[0]) < 0.007
    assert abs(x[:, 1].mean() - prior.mean()[1]) < 0.25
    np.testing.assert_allclose(x.std(axis=0), prior.sd(), rtol=0.02)
    assert prior.density(np.array([[3.0, 10.0]]))[0] == 0.0


def test_pattern_misses_scale_by_the_half_tolerance_on_each_side():
    p = Pattern("x", "x", ("c",), "value", 2017, None, 0.0, -0.1, 0.3)
    np.testing.assert_allclose(p.misses(np.array([0.3, -0.1, 0.15, -0.05])), [1, -1, 0.5, -0.5])
    values = pd.DataFrame({"x": [0.3, np.nan]})
    d = distances([p], values)
    assert d[0] == pytest.approx(1.0) and np.isinf(d[1])


def test_change_pattern_from_long_runs():
    runs = pd.DataFrame(
        {"run_id": [0, 0, 1, 1], "year": [2010, 2017, 2010, 2017], "a": [100, 91, 50, 60.0]}
    )
    p = Pattern("x", "x", ("a",), "change", 2017, 2010, -0.09, -0.15, -0.03)
    np.testing.assert_allclose(p.value(runs).to_numpy(), [-0.09, 0.2])


# ----------------------------------------------------------------------- end to end


def tiny_calibration(folder: Path, patterns: Path | None = None, **settings) -> Path:
    """A small calibration file in ``folder`` using the shipped history and patterns."""
    values = {"particles": 12, "populations": 2, "predictive": 10, "master_seed": 5}
    values.update(settings)
    lines = [
        'name = "tiny"',
        f'baseline = "{ROOT / "params" / "baseline.toml"}"',
        f'history = "{HISTORY / "2010.toml"}"',
        f'patterns = "{patterns or HISTORY / "patterns.toml"}"',
        *[f"{k} = {v}" for k, v in values.items()],
        "quantile = 0.5",
        "",
        "[parameters.logit_scale]",
        'key = "run.logit_scale"',
        "bounds = [0.5, 2.0]",
        'reason = "a test prior around the normalisation"',
        "",
        "[parameters.broadcaster_decline_scale]",
        'keys = ["drivers.public_broadcaster_growth.*", "drivers.commercial_broadcaster_growth.*"]',
        'mode = "scale"',
        "transfer = false",
        "bounds = [0.25, 1.5]",
        'reason = "a test prior on the history driver"',
        "",
        "[parameters.amenity_scale]",
        'keys = ["kinds.*.amenity_weight"]',
        'mode = "scale"',
        "bounds = [0.5, 1.5]",
        'reason = "absorbed by the location constants: unidentifiable"',
        "",
        "[overrides]",
        *[f'"{k}" = {v}' for k, v in TINY.items()],
    ]
    path = folder / "tiny.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_shipped_calibration_file_is_valid():
    cal = load_calibration(HISTORY / "calibration.toml")
    assert len(cal.patterns) >= 6 and cal.years == (2010, 2025)
    names = {p.name for p in cal.parameters}
    assert {"logit_scale", "agglomeration_scale", "moving_cost_scale"} <= names
    assert {"relocation_hazard_scale", "rent_sensitivity_scale"} <= names


def test_tiny_calibration_stores_resumes_and_reproduces(tmp_path, capsys):
    path = tiny_calibration(tmp_path)
    out = tmp_path / "out"
    first = run_calibration(path, out, workers=1, progress=False, figures=True)
    fit = pd.read_csv(out / "fit.csv")
    assert list(fit.columns) == [
        "target", "year", "observed", "low", "high", "sim_p05", "sim_median", "sim_p95", "within"
    ]  # fmt: skip
    assert len(fit) == 8 and (fit["sim_p05"] <= fit["sim_p95"]).all()
    assert (out / "figures" / "fit.png").is_file() and (out / "figures" / "posterior.png").is_file()
    post = load_posterior(out / "posterior.parquet")
    assert len(post.frame) == 12 and post.frame["weight"].sum() == pytest.approx(1.0)
    assert post.names == ["logit_scale", "amenity_scale"]  # the nuisance stays behind
    # resume: the same algorithm reads every batch back and runs nothing new
    again = run_calibration(path, out, workers=1, resume=True, progress=False, figures=False)
    pd.testing.assert_frame_equal(load_posterior(out / "posterior.parquet").frame, post.frame)
    assert again.populations[-1].epsilon == first.populations[-1].epsilon
    manifest = (out / "calibration.json").read_text()
    assert '"simulations_run_now": 0' in manifest
    # reproduce re-runs every batch store of the calibration
    assert main(["reproduce", str(out), "--workers", "1", "--sample", "2"]) == 0
    assert "identical" in capsys.readouterr().out


def test_a_sweep_draws_its_parameter_sets_from_a_posterior(tmp_path):
    from experiments.sweep.experiment_file import load_experiment
    from experiments.sweep.pipeline import experiment_specs

    out = tmp_path / "cal"
    run_calibration(tiny_calibration(tmp_path), out, workers=1, progress=False, figures=False)
    exp_file = tmp_path / "exp.toml"
    exp_file.write_text(
        'name = "post"\n'
        f'baseline = "{ROOT / "params" / "baseline.toml"}"\n'
        'scenarios = ["trend", "baseline"]\npolicies = ["none"]\nreplications = 3\n'
        f'master_seed = 4\nposterior = "{out / "posterior.parquet"}"\n'
    )
    exp = load_experiment(exp_file)
    specs = experiment_specs(exp)
    post = exp.posterior.frame
    by_rep = {}
    for spec in specs:
        mu = spec.design["run.logit_scale"]
        assert mu in set(post["logit_scale"])
        assert "drivers.public_broadcaster_growth.2025" not in spec.design  # not transferred
        by_rep.setdefault(spec.replication, set()).add(mu)
    assert all(len(v) == 1 for v in by_rep.values())  # paired across scenarios
    assert exp.posterior.provenance()["sha256"]


# ----------------------------------------------------------------------- synthetic truth


@pytest.mark.slow
def test_synthetic_truth_is_recovered(tmp_path):
    """Pseudo-history from known parameters (broadcaster decline 0.6, μ 1.0, amenity 1.0)
    at tiny size; the patterns' observed values are the median of 5 seeds and their
    tolerances ± twice the seed-to-seed sd (at least 0.01). ABC-SMC must put the
    identifiable broadcaster decline's true value inside its 90% interval and shrink its
    sd to under half the prior's; the amenity weight, absorbed by the calibrated
    location constants, must stay at its prior (sd ratio > 0.75, mean within 0.15 of
    1.0 — three standard errors of a weighted mean with ESS ≈ 40)."""
    from experiments.calibration.patterns import load_patterns, pattern_values
    from experiments.engine.design import RunSpec
    from experiments.engine.execute import run_one
    from experiments.engine.inputs import RunSetup

    cal = load_calibration(tiny_calibration(tmp_path))
    truth = np.array([1.0, 0.6, 1.0])
    setup = RunSetup(cal.bundle, cal.overrides, None)
    frames = [
        run_one(RunSpec(s, cal.scenario, cal.policy, 0, 900 + s, cal.overrides_at(truth)), setup)
        for s in range(5)
    ]
    values = pattern_values(list(cal.patterns), pd.concat(frames))
    text = (HISTORY / "patterns.toml").read_text()
    blocks = text.split("[[pattern]]")
    out_blocks = [blocks[0]]
    for p, block in zip(load_patterns(HISTORY / "patterns.toml"), blocks[1:], strict=True):
        obs = float(values[p.target].median())
        half = max(2 * float(values[p.target].std()), 0.01)
        kept = [
            line
            for line in block.splitlines()
            if line.split("=")[0].strip() not in ("observed", "low", "high")
        ]
        kept += [f"observed = {obs}", f"low = {obs - half}", f"high = {obs + half}"]
        out_blocks.append("\n".join(kept) + "\n")
    synthetic = tmp_path / "synthetic.toml"
    synthetic.write_text("[[pattern]]".join(out_blocks))
    path = tiny_calibration(
        tmp_path, patterns=synthetic, particles=60, populations=4, predictive=10
    )
    result = run_calibration(path, tmp_path / "out", workers=1, progress=False, figures=False)
    summary = result.summary.set_index("parameter")
    decline = summary.loc["broadcaster_decline_scale"]
    assert decline.posterior_p05 <= 0.6 <= decline.posterior_p95
    assert decline.sd_ratio < 0.5
    mu = summary.loc["logit_scale"]
    assert mu.posterior_p05 <= 1.0 <= mu.posterior_p95
    amenity = summary.loc["amenity_scale"]
    assert amenity.sd_ratio > 0.75
    assert abs(amenity.posterior_mean - 1.0) < 0.15


# ----------------------------------------------------------------------- bad input


def _history_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "params"
    shutil.copytree(ROOT / "params", dest)
    return dest / "history"


@pytest.mark.parametrize(
    ("file", "old", "new", "words"),
    [
        (
            "patterns.toml",
            "low = -0.15         # tolerance ±6 points",
            "# no low",
            ["patterns.toml", "pattern[0] (hilversum_jobs_change_2010_2017).low", "missing"],
        ),
        (
            "calibration.toml",
            'key = "run.logit_scale"\nbounds = [0.5, 2.0]',
            'key = "run.logit_scale"\nbounds = [2.0, 0.5]',
            ["calibration.toml", "parameters.logit_scale.bounds", "below upper"],
        ),
        (
            "patterns.toml",
            'columns = ["jobs_hilversum"]',
            'columns = ["jobs_hilversumm"]',
            ["patterns.toml", "columns[0]", "unknown outcome 'jobs_hilversumm'"],
        ),
        (
            "calibration.toml",
            'keys = ["kinds.*.moving_cost"]',
            'keys = ["kinds.*.moving_costs"]',
            ["calibration.toml", "parameters.moving_cost_scale.keys[0]", "no params key"],
        ),
        (
            "2010.toml",
            "count = 44 ",
            'count = "many" ',
            ["2010.toml", "kinds.public_broadcaster.count", "integer"],
        ),
    ],
)
def test_bad_calibration_input_is_one_line_exit_2(tmp_path, capsys, file, old, new, words):
    history = _history_copy(tmp_path)
    path = history / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    out = tmp_path / "results"
    code = main(["calibrate", str(history / "calibration.toml"), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for word in words:
        assert word in err, err
    assert not out.exists()  # nothing started


def test_calibrate_refuses_to_overwrite_a_store(tmp_path, capsys):
    path = tiny_calibration(tmp_path, particles=10, populations=1)
    out = tmp_path / "out"
    assert main(["calibrate", str(path), "--out", str(out), "--workers", "1", "--quiet",
                 "--no-figures"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["calibrate", str(path), "--out", str(out), "--workers", "1"]) == 2
    assert "already holds a calibration" in capsys.readouterr().err
    assert (out / "posterior.parquet").is_file()


@pytest.mark.parametrize("name", ["2010.toml", "patterns.toml", "calibration.toml"])
def test_every_number_in_the_history_files_has_a_comment(name):
    """The params rule: a line that sets a number carries a comment (source or range)."""
    import tomllib

    from experiments.paramdocs import split_comment

    def has_number(value) -> bool:
        if isinstance(value, bool) or isinstance(value, str):
            return False
        if isinstance(value, dict):
            return any(has_number(v) for v in value.values())
        if isinstance(value, list):
            return any(has_number(v) for v in value)
        return isinstance(value, int | float)

    bare = []
    for i, line in enumerate((HISTORY / name).read_text().splitlines(), 1):
        code, comment = split_comment(line)
        if "=" not in code or code.lstrip().startswith("["):
            continue
        try:
            value = tomllib.loads("v = " + code.split("=", 1)[1])["v"]
        except tomllib.TOMLDecodeError:
            continue
        if has_number(value) and not comment:
            bare.append(f"line {i}: {line.strip()}")
    assert bare == []


def test_check_validates_the_history_files(capsys):
    files = [str(HISTORY / n) for n in ("2010.toml", "patterns.toml", "calibration.toml")]
    assert main(["check", *files]) == 0
    out = capsys.readouterr().out
    assert "valid history overlay 2010–2025" in out and "8 patterns" in out
    assert "valid calibration 'hindcast'" in out
