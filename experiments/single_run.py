"""One model run written to a folder: outcomes, calibration, manifest, figure."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import sim

from .engine import provenance
from .engine.store import TOOL, Store
from .plots import plot_run_shares


def write_run(
    baseline: str | Path,
    scenario: str | None,
    policy: str | None,
    seed: int | None,
    overrides: dict[str, str],
    out: str | Path | None,
    command: list[str] | None = None,
    overwrite: bool = False,
) -> Path:
    """Run the model once and write its outputs under ``out`` (default
    ``results/runs/<scenario>__<policy>__seed<N>``); return the folder.

    ``out`` must be new, empty, or (with ``overwrite``) hold an earlier run;
    a results store or any other folder with files is refused
    (:func:`check_run_folder`), before the model runs.
    """
    params = sim.load_params(baseline, scenario=scenario, policy=policy, overrides=overrides)
    seed = params.run.seed if seed is None else seed
    if out is None:
        name = f"{params.scenario.name}__{params.policy.name}__seed{seed}"
        out = Path("results") / "runs" / name
    out = Path(out)
    check_run_folder(out, overwrite)
    started = provenance.now_iso()
    model = sim.MediaClusterModel(params, seed=seed).run()
    outcomes = model.outcomes()
    outcomes.to_csv(out / "outcomes.csv", index=False)
    outcomes.to_parquet(out / "outcomes.parquet", index=False)
    model.calibration().to_csv(out / "calibration.csv", index=False)
    (out / "summary.json").write_text(json.dumps(model.summary(), indent=2) + "\n")
    manifest = {
        "tool": TOOL,
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
    # Written last: a folder is known as a run's only once it is complete.
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    title = f"scenario {params.scenario.name}, policy {params.policy.name}, seed {seed}"
    labels = {kind: params.kind_label(kind) for kind in params.kind_names}
    plot_run_shares(outcomes, title, out / "hilversum_share.png", labels)
    return out


RUN_FILES = (
    "outcomes.csv",
    "outcomes.parquet",
    "calibration.csv",
    "summary.json",
    "manifest.json",
    "hilversum_share.png",
)


def check_run_folder(out: Path, overwrite: bool) -> None:
    """Raise ParamsError unless a single run may write into ``out``.

    Refused: a file; a results store (a sweep's or study's: a run would
    replace its manifest); a folder with files that is not an earlier run;
    an earlier run unless ``overwrite``; a place where nothing can be written.
    """
    store = Store(out)
    if out.exists() and not out.is_dir():
        raise sim.ParamsError(out, None, "is a file, not a folder (choose another --out)")
    if store.exists():
        raise sim.ParamsError(
            out, None, "is a results store; a single run never writes there (choose another --out)"
        )
    names = {p.name for p in out.iterdir()} if out.is_dir() else set()
    if names:
        if not is_run_folder(out):
            raise sim.ParamsError(
                out, None, "exists and is not empty; choose an empty or new --out"
            )
        if not overwrite:
            raise sim.ParamsError(
                out, None, "holds an earlier run; add --overwrite to replace it, or another --out"
            )
    store.check_writable()


def is_run_folder(out: Path) -> bool:
    """True if ``out/manifest.json`` is a single run's manifest of this tool."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(manifest, dict)
        and manifest.get("kind") == "run"
        and (manifest.get("tool") == TOOL or "params_hash" in manifest)
    )


def headline(outcomes: pd.DataFrame, scenario: str, policy: str, seed: int) -> str:
    """One line a reader wants first: Hilversum's jobs share in the first and last year and
    what the policy cost."""
    first, last = outcomes.iloc[0], outcomes.iloc[-1]
    years = len(outcomes)
    cost = float(outcomes["policy_cost_meur"].sum())
    return (
        f"Hilversum's share of the sector's jobs: {100 * first['hilversum_jobs_share']:.1f}% "
        f"in {int(first['year'])} → {100 * last['hilversum_jobs_share']:.1f}% in "
        f"{int(last['year'])} (scenario {scenario}, policy {policy}, seed {seed}); policy cost "
        f"{int(first['year'])}–{int(last['year'])}: {cost:,.1f} M€ "
        f"({cost / years:,.1f} M€ a year, undiscounted)"
    )
