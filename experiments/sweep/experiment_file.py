"""Experiment files (``params/experiments/*.toml``): schema, loading, validation.

An experiment file names the baseline, the scenarios and policy packages
to cross, the replications per combination, the master seed, optionally
the outcomes to keep and params overrides applied to every run::

    name = "scenarios"                 # results go to results/<name>/
    description = "..."
    baseline = "../baseline.toml"      # relative to this file
    scenarios = ["trend", "studio-valley"]   # or "all"
    policies = ["none", "campus-plus"]       # or "all"
    replications = 40
    master_seed = 2040
    outcomes = ["hilversum_jobs_share", "jobs_hilversum"]   # optional; default all
    chunk_size = 10                    # optional runs per task; default measured
    posterior = "../../results/hindcast/posterior.parquet"   # optional, see below

    [overrides]                        # optional, for every run
    run.end_year = 2035

    [custom_policies.my-mix]           # optional: a named policy mix of your own,
    description = "..."                # listed in `policies` like a shipped package
    campus_amenity = { value = 0.2, start_year = 2027 }

Policy names are files in ``params/policies/`` (beside the baseline) or
mixes defined in ``[custom_policies]`` (:mod:`experiments.engine.custom_policies`):
a mix is validated like a policy file and changes only its own runs, whereas
``[overrides]`` change every run, the ``none`` reference included
(:func:`check_warnings` says so).

With ``posterior`` (a stored calibration posterior, path relative to this
file) replication k of every scenario × policy runs with the k-th parameter
set drawn from the posterior by weight (the same draws for every scenario
and policy, so comparisons stay paired): parameter uncertainty enters the
sweep as an ensemble, and the manifest records the posterior's hash.

Unknown keys are rejected. Every problem is raised as one
:class:`sim.ParamsError` naming this file, the key and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

import sim

from ..engine import custom_policies
from ..engine.checks import check_baseline, names_or_all, peek_tree, read_tree, resolve_names


class ExperimentSchema(BaseModel):
    """The keys of a sweep experiment file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    baseline: str = "../baseline.toml"
    scenarios: list[str] = Field(min_length=1)
    policies: list[str] = Field(min_length=1)
    replications: int = Field(ge=1)
    master_seed: int = Field(ge=0)
    outcomes: list[str] | None = Field(None, min_length=1)
    chunk_size: int | None = Field(None, ge=1)
    posterior: str | None = None
    overrides: dict[str, Any] = {}
    custom_policies: dict[str, dict[str, Any]] = {}

    @field_validator("scenarios", "policies", mode="before")
    @classmethod
    def _all(cls, value: Any) -> Any:
        return names_or_all(value)


@dataclass(frozen=True)
class Experiment:
    """A validated experiment: names resolved, overrides flattened to dotted keys."""

    path: Path
    text: str
    name: str
    description: str
    baseline: Path
    scenarios: list[str]
    policies: list[str]
    replications: int
    master_seed: int
    outcomes: tuple[str, ...] | None
    chunk_size: int | None
    overrides: dict[str, Any]
    custom_policies: dict[str, str] = field(default_factory=dict)  # name -> policy-file text
    posterior: Any = None  # experiments.calibration.posterior.Posterior or None

    @property
    def n_runs(self) -> int:
        """Runs in the sweep."""
        return len(self.scenarios) * len(self.policies) * self.replications


def is_experiment_file(path: str | Path) -> bool:
    """True for a file in an ``experiments`` folder or one with a key only experiments have."""
    path = Path(path)
    if path.parent.name == "experiments":
        return True
    tree = peek_tree(path)
    return tree is not None and bool({"master_seed", "replications"} & set(tree))


def load_experiment(path: str | Path, baseline: str | Path | None = None) -> Experiment:
    """Read and validate an experiment file.

    ``baseline`` replaces the file's own baseline path (``reproduce`` uses
    the copy kept in the store). Checks the names of scenarios, policies
    and outcomes and loads the params of every scenario × policy with the
    overrides, so that a sweep never starts from a file that cannot run.
    """
    path = Path(path)
    text, tree = read_tree(path)
    try:
        raw = ExperimentSchema.model_validate(tree)
    except ValidationError as err:
        raise _params_error(path, err) from None

    base = Path(baseline) if baseline else (path.parent / raw.baseline)
    if not base.is_file():
        raise sim.ParamsError(path, "baseline", f"file not found: {base}")
    check_baseline(path, base)
    params_dir = base.parent
    custom = custom_policies.texts(path, raw.custom_policies, params_dir)
    scenarios = resolve_names(path, "scenarios", raw.scenarios, params_dir, extra=("baseline",))
    policies = resolve_names(path, "policies", raw.policies, params_dir, custom=tuple(custom))
    overrides = flatten(raw.overrides)
    loader = custom_policies.baseline_with(base, custom)
    for name in custom:  # each mix on its own first: errors name the mix, not a run
        _load(path, loader, None, name, {}, base, custom)
    params = None
    for scenario in scenarios:
        for policy in policies:
            params = _load(path, loader, scenario, policy, overrides, base, custom)
    if raw.outcomes:
        known = sim.outcome_columns(params)
        for i, name in enumerate(raw.outcomes):
            if name not in known or name == "year":
                raise sim.ParamsError(path, f"outcomes[{i}]", f"unknown outcome '{name}'")
        if len(set(raw.outcomes)) != len(raw.outcomes):
            raise sim.ParamsError(path, "outcomes", "lists an outcome twice")
    posterior = None
    if raw.posterior is not None:
        from ..calibration.posterior import load_posterior

        posterior = load_posterior(path.parent / raw.posterior, path, "posterior")
        owned = set(overrides)
        for scenario in scenarios:
            fixed = _load(path, loader, scenario, policies[0], overrides, base, custom)
            clash = owned & set(posterior.keys_set(fixed))
            if clash:
                problem = f"[overrides] fixes {sorted(clash)[0]}, which the posterior sets"
                raise sim.ParamsError(path, "posterior", problem)
    return Experiment(
        path=path,
        text=text,
        name=raw.name,
        description=raw.description,
        baseline=base,
        scenarios=scenarios,
        policies=policies,
        replications=raw.replications,
        master_seed=raw.master_seed,
        outcomes=tuple(raw.outcomes) if raw.outcomes else None,
        chunk_size=raw.chunk_size,
        overrides=overrides,
        custom_policies=custom,
        posterior=posterior,
    )


def check_warnings(exp: Experiment) -> list[str]:
    """Things that are valid but probably not meant: overrides that change the policy."""
    warning = custom_policies.override_warning(exp.path, exp.overrides)
    unused = [name for name in exp.custom_policies if name not in exp.policies]
    return ([warning] if warning else []) + [
        f"warning: {exp.path}: [{custom_policies.TABLE}.{name}] is defined but not "
        "listed in `policies`, so no run uses it"
        for name in unused
    ]


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables to dotted keys: ``{"run": {"end_year": 1}}`` -> ``{"run.end_year": 1}``."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def _load(
    path: Path,
    loader: Path,
    scenario: str | None,
    policy: str,
    overrides: dict,
    base: Path,
    custom: dict[str, str],
) -> sim.Params:
    """Params of one scenario × policy, loaded from ``loader`` (the baseline, or its
    copy with the custom policies); errors name the real file and key."""
    try:
        return _load_real(path, loader, scenario, policy, overrides)
    except sim.ParamsError as err:
        raise custom_policies.real_error(err, path, loader, base, custom) from None


def _load_real(
    path: Path, base: Path, scenario: str | None, policy: str, overrides: dict
) -> sim.Params:
    try:
        return sim.load_params(base, scenario=scenario, policy=policy, overrides=overrides)
    except sim.ParamsError as err:
        if err.file == "--set":  # an override: blame this file's [overrides] table
            raise sim.ParamsError(path, f"overrides.{err.key}", err.problem) from None
        if overrides:
            # A cross-key check (say end_year before start_year) names the key it
            # checks; if the params are fine without the overrides, they caused it.
            sim.load_params(base, scenario=scenario, policy=policy)
            where = f"{scenario} × {policy}: {err.key}" if err.key else f"{scenario} × {policy}"
            raise sim.ParamsError(path, "overrides", f"{where}: {err.problem}") from None
        raise


def _params_error(path: Path, err: ValidationError) -> sim.ParamsError:
    """The sweep/study file's validation error as one ParamsError."""
    return sim.ParamsError(path, *sim.describe_validation_error(err))
