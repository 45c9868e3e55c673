"""Figures and numbers of docs/validation.md: ``python -m tests.validation_figures``.

Runs the validation experiments of tests/validation_setups.py with more
seeds than the tests, draws one PNG per check under docs/figures/ and
writes every number quoted in docs/validation.md to
docs/figures/validation_numbers.json. Takes a few minutes; fixed seeds,
so the numbers are reproducible. The tests (tests/test_validation_*.py)
check the same claims with fewer seeds.
"""

from __future__ import annotations

import json
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

import sim  # noqa: E402
from benchmarks.reference_model import ReferenceModel  # noqa: E402
from sim.model import collector_paused  # noqa: E402

from . import validation_setups as setups  # noqa: E402
from .conftest import KINDS  # noqa: E402

FIGURES = setups.ROOT / "docs" / "figures"
NUMBERS: dict = {}
DPI = 90


def log(message: str) -> None:
    print(f"[figures {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def save(fig, name: str) -> None:
    FIGURES.mkdir(parents=True, exist_ok=True)
    fig.savefig(FIGURES / name, dpi=DPI, bbox_inches="tight")
    plt.close(fig)


def r(x, digits: int = 4):
    return None if x is None else round(float(x), digits)


# ---------------------------------------------------------------- 1. logit, IIA
def logit_and_iia() -> None:
    log("pure logit per kind, IIA")
    count = 20_000
    params = sim.load_params(setups.BASELINE, overrides=setups.everyone_chooses_freely(count))
    model = sim.MediaClusterModel(params, seed=11).run()
    observed = setups.orgs_by_kind(model)
    expected = setups.logit_shares_by_hand(params, 2026)
    names = params.location_names
    fig, axes = plt.subplots(1, len(KINDS), figsize=(15, 3), sharey=True)
    logit = {}
    for k, kind in enumerate(KINDS):
        n = observed[k].sum()
        test = stats.chisquare(observed[k], expected[k] * n)
        logit[kind] = {
            "draws": int(n),
            "chi2": r(test.statistic, 2),
            "p_value": r(test.pvalue, 3),
            "max_abs_share_error": r(np.abs(observed[k] / n - expected[k]).max()),
        }
        ax = axes[k]
        x = np.arange(len(names))
        ax.bar(x - 0.2, expected[k], 0.4, label="softmax(V/μ)", color="0.7")
        ax.bar(x + 0.2, observed[k] / n, 0.4, label="model", color="C0")
        ax.set_xticks(x, [n[:4] for n in names], fontsize=8)
        ax.set_title(f"{kind}\nχ²={test.statistic:.1f}, p={test.pvalue:.2f}", fontsize=9)
    axes[0].set_ylabel("share of choices")
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Pure logit: {count:,} free choices per kind, every interaction off", y=1.08)
    save(fig, "logit_per_kind.png")
    NUMBERS["logit"] = logit

    base = sim.load_params(setups.BASELINE, overrides=setups.everyone_chooses_freely(count))
    with_e = sim.load_params(
        setups.BASELINE,
        overrides=setups.with_eindhoven(setups.everyone_chooses_freely(count), base),
    )
    without = setups.orgs_by_kind(sim.MediaClusterModel(base, seed=21).run())
    with_ = setups.orgs_by_kind(sim.MediaClusterModel(with_e, seed=22).run())
    h, a = 0, 1
    iia = {}
    fig, ax = plt.subplots(figsize=(7, 3.2))
    for k, kind in enumerate(KINDS):
        lo = [np.log(without[k, h] / without[k, a]), np.log(with_[k, h] / with_[k, a])]
        se = [
            np.sqrt(1 / without[k, h] + 1 / without[k, a]),
            np.sqrt(1 / with_[k, h] + 1 / with_[k, a]),
        ]
        z = (lo[1] - lo[0]) / np.hypot(*se)
        iia[kind] = {
            "log_odds_without": r(lo[0]),
            "log_odds_with": r(lo[1]),
            "z": r(z, 2),
            "eindhoven_share": r(with_[k, -1] / with_[k].sum(), 3),
            "theory": r(np.log(expected[k, h] / expected[k, a])),
        }
        ax.errorbar(k - 0.1, lo[0], 1.96 * se[0], fmt="o", color="C0", capsize=3)
        ax.errorbar(k + 0.1, lo[1], 1.96 * se[1], fmt="s", color="C1", capsize=3)
        ax.plot([k - 0.3, k + 0.3], [iia[kind]["theory"]] * 2, color="k", lw=1)
    ax.set_xticks(range(len(KINDS)), KINDS, fontsize=8)
    ax.set_ylabel("ln(n_hilversum / n_amsterdam)")
    ax.legend(["theory", "5 places", "6 places (+ Eindhoven)"], fontsize=8, loc="lower right")
    ax.set_title("IIA: adding a place leaves the odds of two others unchanged (95% CI)")
    save(fig, "iia.png")
    NUMBERS["iia"] = iia


# ------------------------------------------------------------------- 2. Arthur
def urn_feedback(x, gamma, delta=0.0, preference=0.0):
    return 1 / (
        1 + np.exp(-(preference + gamma * np.log((x + delta * (1 - x)) / (1 - x + delta * x))))
    )


def arthur() -> None:
    log("Arthur (1990): lock-in, sharing, preferences")
    seeds = range(200)
    arrivals = 1000
    regimes = {
        "unbounded, equal preferences (γ/μ = 2, τ = 10⁴)": setups.two_places(arrivals, 2.0),
        "bounded, equal preferences (γ/μ = 2, τ = 15 min)": setups.two_places(
            arrivals, 2.0, travel_minutes=15
        ),
        "weak agglomeration (γ/μ = 0.5, τ = 10⁴)": setups.two_places(arrivals, 0.5),
        "none, preference d = 1 (γ = 0)": setups.two_places(arrivals, 0.0, preference=1.0),
        "two types d = ±1, unbounded": setups.two_places(
            arrivals, 2.0, preference=1.0, startups=True
        ),
        "two types d = ±1, bounded (τ = 22 min)": setups.two_places(
            arrivals, 2.0, travel_minutes=22, preference=1.0, startups=True
        ),
    }
    results = {}
    shares = {}
    for label, params in regimes.items():
        log(f"  {label}")
        s = setups.hilversum_shares(params, seeds)
        lead = np.maximum(s, 1 - s)
        shares[label] = s
        results[label] = {
            "seeds": len(seeds),
            "arrivals": arrivals,
            "lock_in_fraction": r((lead >= 0.9).mean(), 3),
            "sharing_fraction": r((lead < 0.75).mean(), 3),
            "mean_share_A": r(s.mean()),
            "sd_share_A": r(s.std(ddof=1)),
        }
    p = 1 / (1 + np.exp(-1.0))
    results["none, preference d = 1 (γ = 0)"]["theory_share_A"] = r(p)
    NUMBERS["arthur"] = results

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), gridspec_kw={"width_ratios": [1, 1.6]})
    x = np.linspace(0.001, 0.999, 400)
    ax = axes[0]
    ax.plot(x, x, color="k", lw=0.8, ls=":")
    ax.plot(x, urn_feedback(x, 2.0), label="unbounded, γ/μ=2: stable 0 and 1")
    ax.plot(x, urn_feedback(x, 2.0, np.exp(-15 / 25)), label="bounded τ=15: stable ½")
    ax.plot(x, urn_feedback(x, 0.5), label="weak γ/μ=0.5: stable ½")
    ax.plot(x, urn_feedback(x, 0.0, preference=1.0), label="none, d=1: σ(1)")
    ax.set_xlabel("share of firms at A")
    ax.set_ylabel("P(next arrival picks A)")
    ax.set_title("Urn feedback f(x) (large numbers); limits where f crosses the diagonal")
    ax.legend(fontsize=7)
    ax = axes[1]
    bins = np.linspace(0, 1, 41)
    for i, (label, s) in enumerate(shares.items()):
        ax.hist(s, bins=bins, histtype="step", lw=1.5, label=label, color=f"C{i}")
    ax.set_xlabel(f"final share of firms at A ({arrivals:,} arrivals, decision_batch = 1)")
    ax.set_ylabel(f"runs (of {len(seeds)})")
    ax.set_title("Where 200 runs end")
    ax.legend(fontsize=7, loc="upper center")
    save(fig, "arthur.png")


# --------------------------------------------------------------- 3. Ellison–Glaeser
def ellison_glaeser() -> None:
    log("Ellison–Glaeser dartboard")
    dart = setups.eg_gammas(setups.dartboard(), range(400))
    weak = setups.eg_gammas(setups.dartboard(proximity=1.0, end_year=2030), range(50))
    strong = setups.eg_gammas(setups.dartboard(proximity=2.0, end_year=2030), range(50))
    base = sim.load_params(setups.BASELINE)
    paths = []
    for seed in range(10):
        paths.append(sim.MediaClusterModel(base, seed=seed).run().outcomes()["eg_gamma"])
    paths = np.array(paths)

    def summary(g):
        se = g.std(ddof=1) / np.sqrt(g.size)
        return {"seeds": g.size, "mean": r(g.mean(), 5), "se": r(se, 5), "sd": r(g.std(ddof=1))}

    NUMBERS["ellison_glaeser"] = {
        "dartboard": summary(dart),
        "agglomeration_pi_1_to_2030": summary(weak),
        "agglomeration_pi_2_to_2030": summary(strong),
        "baseline_2025": r(paths[:, 0].mean()),
        "baseline_2040_mean_10_seeds": r(paths[:, -1].mean()),
    }
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
    ax = axes[0]
    bins = np.linspace(-0.05, 0.12, 52)
    ax.hist(dart, bins=bins, alpha=0.6, label=f"dartboard (400 runs), mean {dart.mean():+.4f}")
    ax.hist(weak, bins=bins, alpha=0.6, label=f"agglomeration π=1 (50), mean {weak.mean():+.3f}")
    ax.hist(
        strong, bins=bins, alpha=0.6, label=f"agglomeration π=2 (50), mean {strong.mean():+.3f}"
    )
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlabel("Ellison–Glaeser γ")
    ax.set_ylabel("runs")
    ax.legend(fontsize=8)
    ax.set_title("E[γ] = 0 under the dartboard; positive with agglomeration")
    ax = axes[1]
    years = np.arange(2025, 2041)
    ax.plot(years, paths.T, color="C0", alpha=0.3, lw=0.8)
    ax.plot(years, paths.mean(axis=0), color="C0", lw=2)
    ax.set_xlabel("year")
    ax.set_ylabel("γ")
    ax.set_title("Baseline (10 seeds): the sector is concentrated vs all jobs")
    save(fig, "ellison_glaeser.png")


# -------------------------------------------------------------------- 4. calibration
def calibration() -> None:
    log("calibration and trend")
    model = sim.MediaClusterModel(sim.load_params(setups.BASELINE), seed=1)
    observed, fitted = model.shares_observed, model.calibration_shares
    stock = model.orgs / model.orgs.sum(axis=1, keepdims=True)
    calib = {
        "max_abs_error_expected_choices": float(np.abs(fitted - observed).max()),
        "max_abs_error_2025_stock": r(np.abs(stock - observed).max()),
        "newton_iterations": int(model.calibration_iterations),
    }
    seeds = range(10)
    paths = {}
    for scenario in ("baseline", "trend"):
        params = sim.load_params(setups.BASELINE, scenario=scenario, policy="none")
        runs = []
        for seed in seeds:
            df = sim.MediaClusterModel(params, seed=seed).run().outcomes()
            runs.append(df[[f"hilversum_orgs_share_{k}" for k in KINDS]].to_numpy())
        paths[scenario] = np.array(runs)  # seeds × years × kinds
    trend = paths["trend"]
    change = trend - trend[:, :1]
    first = {}
    for year in (2026, 2027, 2028, 2030, 2040):
        i = year - 2025
        first[str(year)] = {kind: r(change[:, i, k].mean(), 4) for k, kind in enumerate(KINDS)}
    calib["trend_change_of_hilversum_org_share"] = first
    NUMBERS["calibration"] = calib

    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    ax = axes[0]
    for k, kind in enumerate(KINDS):
        ax.scatter(observed[k], fitted[k], marker="o", s=30, label=f"{kind}", color=f"C{k}")
        ax.scatter(observed[k], stock[k], marker="x", s=30, color=f"C{k}")
    ax.plot([0, 1], [0, 1], color="k", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("2025 share in params")
    ax.set_ylabel("model: expected choices (o), placed stock (x)")
    ax.set_title("Calibration: every kind × place on the diagonal")
    ax.legend(fontsize=7)
    ax = axes[1]
    years = np.arange(2025, 2041)
    for k, kind in enumerate(KINDS):
        for scenario, style in (("baseline", ":"), ("trend", "-")):
            mean = paths[scenario][:, :, k].mean(axis=0)
            ax.plot(years, mean, style, color=f"C{k}", label=kind if style == "-" else None)
    ax.axvspan(2025, 2028, color="0.9")
    ax.set_xlabel("year")
    ax.set_ylabel("Hilversum share of the kind's organisations")
    ax.set_title("trend (solid) and baseline (dotted), mean of 10 seeds")
    ax.legend(fontsize=7, loc="center right")
    save(fig, "calibration.png")


# ------------------------------------------------------------------- 5. conservation
def conservation() -> None:
    log("conservation")
    params = sim.load_params(setups.BASELINE, scenario="trend", policy="all-in")
    points = []
    for seed in range(5):
        model = sim.MediaClusterModel(params, seed=seed)
        before = model.recorder.row
        while model.year < params.run.end_year:
            model.step()
            row = model.recorder.row
            points.append(
                (
                    row["orgs_total"] - before["orgs_total"],
                    row["entries"] - row["exits"] - row["mergers"],
                    row["jobs_total"] - before["jobs_total"],
                    row["jobs_entered"] - row["jobs_exited"] + row["jobs_growth"],
                )
            )
            before = row
    points = np.array(points)
    NUMBERS["conservation"] = {
        "years_checked": len(points),
        "max_abs_orgs_gap": r(np.abs(points[:, 0] - points[:, 1]).max()),
        "max_abs_jobs_gap": float(np.abs(points[:, 2] - points[:, 3]).max()),
    }
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, (a, b), label in zip(axes, ((0, 1), (2, 3)), ("organisations", "jobs"), strict=True):
        ax.scatter(points[:, b], points[:, a], s=12)
        lim = [points[:, [a, b]].min(), points[:, [a, b]].max()]
        ax.plot(lim, lim, color="k", lw=0.8)
        ax.set_xlabel(f"flows: {'entries − exits − mergers' if a == 0 else 'in − out + growth'}")
        ax.set_ylabel(f"change in {label}")
    fig.suptitle("Conservation, trend + all-in, 5 seeds × 15 years", y=1.02)
    save(fig, "conservation.png")


# ------------------------------------------------------------- 6. reference model
def reference() -> None:
    log("reference implementation against the model")
    params = sim.load_params(setups.BASELINE, overrides={"run.decision_batch": 1})
    model_stats, ref_stats = [], []
    moving = [k for k, kind in enumerate(KINDS) if kind != "school"]  # schools ~never move
    for seed in range(16):
        m = sim.MediaClusterModel(params, seed=seed).run()
        model_stats.append([m.orgs[k, 0] / m.orgs[k].sum() for k in moving])
        model_stats[-1] += [m.orgs.sum(), m.jobs.sum()]
        with collector_paused():
            ref = ReferenceModel(params, seed=1000 + seed).run()
        o, j = np.array(ref.orgs_table), np.array(ref.jobs_table)
        ref_stats.append([o[k, 0] / o[k].sum() for k in moving] + [o.sum(), j.sum()])
    model_stats, ref_stats = np.array(model_stats), np.array(ref_stats)
    labels = [f"hilversum_share_{KINDS[k]}" for k in moving] + ["organisations", "jobs"]
    NUMBERS["reference_2040"] = {
        label: {
            "model_mean": r(model_stats[:, j].mean()),
            "reference_mean": r(ref_stats[:, j].mean()),
            "welch_p": r(
                stats.ttest_ind(model_stats[:, j], ref_stats[:, j], equal_var=False).pvalue, 3
            ),
        }
        for j, label in enumerate(labels)
    }


def main() -> int:
    started = time.perf_counter()
    for step in (logit_and_iia, arthur, ellison_glaeser, calibration, conservation, reference):
        step()
    NUMBERS["seconds"] = round(time.perf_counter() - started, 1)
    out = FIGURES / "validation_numbers.json"
    out.write_text(json.dumps(NUMBERS, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(NUMBERS, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
