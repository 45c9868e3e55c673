"""A lever mix set in the explorer: as a policy file, validated, saved, and run for comparison.

The file has the format of ``params/policies/*.toml`` (a storyline header,
a ``[policy]`` table, one inline table per lever that is on, each with a
comment) and is validated by the same schema as every policy file: it is
loaded as a policy overlay on the baseline and the scenario
(:func:`validate`). A saved file can be used by name in an experiment file
once it is in ``params/policies/`` (the default folder), or pasted into
one as ``[custom_policies.NAME]``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

import sim

from ..engine import custom_policies
from ..engine.design import seed_of
from ..engine.inputs import ParamsBundle

# Where "Save" writes policy files; MEDIACLUSTER_POLICY_DIR names another
# folder (the browser tests use a temporary one).
DEFAULT_POLICY_DIR = Path("params/policies")
COMPARE_RUNS = 40  # runs of a mix for its band: the 5% and 95% points lie between
# the 2nd and 3rd outermost runs; 40 full runs take about 2-4 s on one core.
COMPARE_MASTER_SEED = 2040


def policy_dir() -> Path:
    """The folder the explorer saves policy files to."""
    return Path(os.environ.get("MEDIACLUSTER_POLICY_DIR", DEFAULT_POLICY_DIR))


def lever_body(policy: sim.Policy) -> dict[str, dict[str, Any]]:
    """The levers that are on (value > 0), as policy-file inline tables."""
    body: dict[str, dict[str, Any]] = {}
    for name in sim.LEVERS:
        lever = getattr(policy, name)
        if lever.value > 0:
            table: dict[str, Any] = {"value": float(lever.value), "start_year": lever.start_year}
            if lever.kinds is not None:
                table["kinds"] = list(lever.kinds)
            body[name] = table
    return body


def policy_file_text(name: str, description: str, body: dict[str, dict], context: str) -> str:
    """The text of a policy file for the mix; ``context`` says where it was made."""
    description = " ".join(description.split()) or "A lever mix set in the explorer."
    lines = [
        f"# {name} — {description}",
        "#",
        f"# Saved from the Media Valley 2040 explorer ({context}). The lever",
        "# values are choices, not sources: argue them before the mix is used.",
        "[policy]",
        f"name = {custom_policies.toml_value(name)}",
        f"description = {custom_policies.toml_value(description)}",
    ]
    for lever, table in body.items():
        lines.append(
            f"{lever} = {custom_policies.toml_value(table)}  # chosen in the explorer ({context})"
        )
    return "\n".join(lines) + "\n"


def validate(
    name: str, text: str, baseline: Path, scenario: str | None, new: bool = True
) -> sim.Params:
    """Load the mix as a policy file on the baseline and scenario; ParamsError if invalid.

    ``new``: the name must not be a package beside the baseline already.
    """
    if not custom_policies.NAME_PATTERN.match(name) or len(name) > 100:
        raise sim.ParamsError(None, "name", "use letters, digits, '-', '_' and '.' only")
    if new and (baseline.parent / "policies" / f"{name}.toml").exists():
        raise sim.ParamsError(None, "name", f"a package called '{name}' exists; choose another")
    loader = custom_policies.baseline_with(baseline, {name: text})
    try:
        return sim.load_params(loader, scenario=scenario, policy=name)
    except sim.ParamsError as err:
        raise sim.ParamsError(None, err.key, err.problem) from None


def save(name: str, text: str, folder: Path | None = None) -> Path:
    """Write the policy file ``NAME.toml`` into ``folder``; never over an existing file."""
    folder = folder or policy_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise sim.ParamsError(path, None, "exists already; choose another name") from None
    return path


def run_mix(
    name: str,
    text: str,
    baseline: Path,
    scenario: str,
    runs: int = COMPARE_RUNS,
    master_seed: int = COMPARE_MASTER_SEED,
) -> dict[str, float]:
    """Final-year Hilversum jobs share of ``runs`` runs of the mix (median, p05, p95)
    and the median cost over the run (``cost_meur``, M€, undiscounted).

    Seeds are spawned from ``master_seed`` as in a sweep, so the same mix
    gives the same band every time.
    """
    scenarios = [] if scenario == "baseline" else [scenario]
    bundle = ParamsBundle.from_baseline(baseline, scenarios, [name], {name: text})
    params = bundle.load(scenario, name, {})
    shares, costs = [], []
    for sequence in np.random.SeedSequence(master_seed).spawn(runs):
        model = sim.MediaClusterModel(params, seed=seed_of(sequence)).run()
        shares.append(model.recorder.row["hilversum_jobs_share"])
        costs.append(float(model.outcomes()["policy_cost_meur"].sum()))
    p05, median, p95 = np.quantile(shares, [0.05, 0.5, 0.95])
    return {
        "median": float(median),
        "p05": float(p05),
        "p95": float(p95),
        "runs": runs,
        "cost_meur": float(np.median(costs)),
        "year": params.run.end_year,
    }
