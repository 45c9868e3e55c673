"""The measured values of docs/scenarios.md and of issue 11's "Done when" (paired seeds).

Run ``.venv/bin/python -m tests.scenario_measures [SEEDS]`` (default 16
seeds); it prints a JSON object and writes ``results/scenario_measures.json``.
Every comparison uses the same seeds with and without the feature, so
seed noise largely cancels; values are means over seeds with their
standard errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

import sim

from .conftest import BASELINE, ROOT

Result = dict[str, float]


def runs(scenario: str | None, seeds, **overrides) -> list:
    params = sim.load_params(BASELINE, scenario=scenario, overrides=overrides)
    return [sim.MediaClusterModel(params, seed=s).run().outcomes() for s in seeds]


def mean_se(values) -> Result:
    v = np.asarray(values, dtype=float)
    return {
        "mean": round(float(v.mean()), 4),
        "se": round(float(v.std(ddof=1) / np.sqrt(v.size)), 4),
    }


def final(dfs, column: str) -> np.ndarray:
    return np.array([df[column].iloc[-1] for df in dfs])


def ratio(dfs, column: str) -> np.ndarray:
    return np.array([df[column].iloc[-1] / df[column].iloc[0] for df in dfs])


def measure(n_seeds: int) -> dict:
    seeds = range(n_seeds)
    out: dict = {"seeds": n_seeds}
    base = {s: runs(s, seeds) for s in sim.available(ROOT / "params", "scenarios")}

    # Done when 1: cooperation (0.1 points) in studio-valley vs dispersed-feeds, 2040 share
    coop = {"policy.cooperation_programme.value": 0.1}
    free = {"locations.hilversum.floor_space_m2": float("inf")}
    for s in ("studio-valley", "dispersed-feeds", "trend"):
        kept = final(runs(s, seeds, **coop), "hilversum_jobs_share") - final(
            base[s], "hilversum_jobs_share"
        )
        out[f"cooperation_0.1_kept_pp/{s}"] = mean_se(100 * kept)
        kept_free = final(runs(s, seeds, **coop, **free), "hilversum_jobs_share") - final(
            runs(s, seeds, **free), "hilversum_jobs_share"
        )
        out[f"cooperation_0.1_kept_pp_hilversum_unconstrained/{s}"] = mean_se(100 * kept_free)
    # Done when 2: innovation fund 5, 10 and 20 M€/yr in trend
    for budget in (5.0, 10.0, 20.0):
        dfs = runs("trend", seeds, **{"policy.innovation_fund_meur_per_year.value": budget})
        kept = final(dfs, "hilversum_jobs_share") - final(base["trend"], "hilversum_jobs_share")
        out[f"fund_{budget:g}_kept_pp/trend"] = mean_se(100 * kept)
        out[f"fund_{budget:g}_cost_2040_meur/trend"] = mean_se(final(dfs, "policy_cost_meur"))
    # Done when 3 and the dispersion of each scenario: EG γ 2040 − 2025, no policy
    for s, dfs in base.items():
        eg = [df["eg_gamma"].iloc[-1] - df["eg_gamma"].iloc[0] for df in dfs]
        out[f"eg_gamma_change/{s}"] = mean_se(eg)
        out[f"hilversum_jobs_share_2040/{s}"] = mean_se(final(dfs, "hilversum_jobs_share"))
    # trend: the intercity loss (with vs without, paired)
    no_loss = runs("trend", seeds, **{"drivers.intercity_loss_minutes": {2025: 0.0}})
    out["intercity_loss_share_pp/trend"] = mean_se(
        100
        * (final(base["trend"], "hilversum_jobs_share") - final(no_loss, "hilversum_jobs_share"))
    )
    # public broadcasters' jobs 2040 / 2025 (all places), per scenario
    for s, dfs in base.items():
        pb = [
            sum(
                df[f"jobs_public_broadcaster_{loc}"].iloc[-1]
                for loc in ("hilversum", "amsterdam", "utrecht", "rest_nl", "abroad")
            )
            / sum(
                df[f"jobs_public_broadcaster_{loc}"].iloc[0]
                for loc in ("hilversum", "amsterdam", "utrecht", "rest_nl", "abroad")
            )
            for df in dfs
        ]
        out[f"public_broadcaster_jobs_2040_over_2025/{s}"] = mean_se(pb)
        out[f"public_broadcaster_orgs_2040/{s}"] = mean_se(
            [
                sum(
                    df[f"orgs_public_broadcaster_{loc}"].iloc[-1]
                    for loc in ("hilversum", "amsterdam", "utrecht", "rest_nl", "abroad")
                )
                for df in dfs
            ]
        )
    # platform-satellite: headquarters vs production & facilities in Hilversum
    for s in ("platform-satellite", "trend"):
        out[f"hq_jobs_hilversum_2040_over_2025/{s}"] = mean_se(
            ratio(base[s], "jobs_commercial_broadcaster_hilversum")
        )
        out[f"facility_jobs_hilversum_2040_over_2025/{s}"] = mean_se(
            ratio(base[s], "jobs_production_facility_hilversum")
        )
    # studio-valley: space is the bottleneck
    for s in ("studio-valley", "trend"):
        out[f"occupancy_hilversum_2040/{s}"] = mean_se(final(base[s], "occupancy_hilversum"))
        out[f"space_turned_away_m2_total/{s}"] = mean_se(
            [df["space_turned_away_m2_hilversum"].sum() for df in base[s]]
        )
        out[f"rent_hilversum_2040/{s}"] = mean_se(final(base[s], "rent_hilversum"))
    # studio-valley: public–commercial cooperation (with vs without the driver, paired)
    no_coop = runs("studio-valley", seeds, **{"drivers.public_commercial_cooperation": {2025: 0.0}})
    out["public_commercial_cooperation_share_pp/studio-valley"] = mean_se(
        100
        * (
            final(base["studio-valley"], "hilversum_jobs_share_commercial_broadcaster")
            - final(no_coop, "hilversum_jobs_share_commercial_broadcaster")
        )
    )
    # cloud-commons: Amsterdam + Utrecht share of jobs, 2040 vs 2025
    for s in ("cloud-commons", "trend"):
        shares = [
            (df[["jobs_amsterdam", "jobs_utrecht"]].iloc[-1].sum() / df["jobs_total"].iloc[-1])
            - (df[["jobs_amsterdam", "jobs_utrecht"]].iloc[0].sum() / df["jobs_total"].iloc[0])
            for df in base[s]
        ]
        out[f"amsterdam_utrecht_share_change_pp/{s}"] = mean_se(100 * np.array(shares))
        out[f"abroad_jobs_2040_over_2025/{s}"] = mean_se(ratio(base[s], "jobs_abroad"))
    out["abroad_jobs_2040_over_2025/dispersed-feeds"] = mean_se(
        ratio(base["dispersed-feeds"], "jobs_abroad")
    )
    out["rest_nl_jobs_2040_over_2025/dispersed-feeds"] = mean_se(
        ratio(base["dispersed-feeds"], "jobs_rest_nl")
    )
    return out


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 16
    out = measure(n)
    text = json.dumps(out, indent=1)
    print(text)
    path = Path(ROOT / "results" / "scenario_measures.json")
    path.parent.mkdir(exist_ok=True)
    path.write_text(text + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
