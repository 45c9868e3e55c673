"""One model run written to a folder: outcomes, calibration, manifest, figure."""

from __future__ import annotations

import json
from pathlib import Path

import sim

from .engine import provenance
from .plots import plot_run_shares


def write_run(
    baseline: str | Path,
    scenario: str | None,
    policy: str | None,
    seed: int | None,
    overrides: dict[str, str],
    out: str | Path | None,
    command: list[str] | None = None,
) -> Path:
    """Run the model once and write its outputs under ``out`` (default
    ``results/runs/<scenario>__<policy>__seed<N>``); return the folder."""
    params = sim.load_params(baseline, scenario=scenario, policy=policy, overrides=overrides)
    seed = params.run.seed if seed is None else seed
    if out is None:
        name = f"{params.scenario.name}__{params.policy.name}__seed{seed}"
        out = Path("results") / "runs" / name
    started = provenance.now_iso()
    model = sim.MediaClusterModel(params, seed=seed).run()
    outcomes = model.outcomes()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    outcomes.to_csv(out / "outcomes.csv", index=False)
    outcomes.to_parquet(out / "outcomes.parquet", index=False)
    model.calibration().to_csv(out / "calibration.csv", index=False)
    (out / "summary.json").write_text(json.dumps(model.summary(), indent=2) + "\n")
    manifest = {
        "kind": "run",
        "command": command,
        "scenario": params.scenario.name,
        "policy": params.policy.name,
        "seed": seed,
        "overrides": overrides,
        "params_hash": params.digest(),
        "params": params.model_dump(mode="json"),
        "git_commit": provenance.git_commit(),
        "versions": provenance.package_versions(),
        "host": provenance.host(),
        "started": started,
        "finished": provenance.now_iso(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    title = f"scenario {params.scenario.name}, policy {params.policy.name}, seed {seed}"
    labels = {kind: params.kind_label(kind) for kind in params.kind_names}
    plot_run_shares(outcomes, title, out / "hilversum_share.png", labels)
    return out
