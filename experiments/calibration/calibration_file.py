"""Calibration files (``params/history/calibration.toml``): schema, loading, checks.

A calibration file names the baseline, the history overlay (the start state
and the historical drivers), the observed patterns, the parameters to
calibrate with their priors, and the ABC-SMC settings::

    name = "hindcast"
    baseline = "../baseline.toml"    # paths relative to this file
    history = "2010.toml"
    patterns = "patterns.toml"
    policy = "none"
    master_seed = 2010
    particles = 300
    populations = 6
    quantile = 0.5
    min_acceptance = 0.03
    predictive = 200

    [parameters.logit_scale]
    key = "run.logit_scale"          # or keys = ["kinds.*.moving_cost"] with mode = "scale"
    bounds = [0.5, 2.0]              # prior: uniform (distribution = "loguniform" also works)
    reason = "why this prior"
    # transfer = false: a nuisance parameter of history (a driver's strength), fitted
    # but not passed to the studies that draw parameter sets from the posterior

    [overrides]                      # optional, for every run (e.g. a smaller population)
    "kinds.tech_firm.count" = 100

The history overlay is shipped to the workers as the scenario
``history-<stem>`` of the params bundle, so every run loads
baseline <- history <- policy <- overrides exactly like a sweep's runs.
Every problem is one :class:`sim.ParamsError` naming the file and the key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

import sim

from ..engine.checks import match_keys, read_tree
from ..engine.inputs import BASELINE, ParamsBundle
from ..sweep.experiment_file import flatten
from .patterns import Pattern, check_columns, load_patterns
from .smc import Prior


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParameterSchema(_Strict):
    """One calibrated parameter: what it sets, its prior, and why."""

    key: str | None = None
    keys: list[str] | None = Field(None, min_length=1)
    mode: Literal["set", "scale"] = "set"
    distribution: Literal["uniform", "loguniform"] = "uniform"
    bounds: tuple[float, float]
    label: str | None = None
    transfer: bool = True  # false: a nuisance parameter of history, not passed to other studies
    reason: str = Field(min_length=10)

    @field_validator("bounds")
    @classmethod
    def _bounds(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError(f"must be finite, got [{low}, {high}]")
        if low >= high:
            raise ValueError(f"lower bound must be below upper bound, got [{low}, {high}]")
        return value

    @model_validator(mode="after")
    def _check(self) -> ParameterSchema:
        if (self.key is None) == (self.keys is None):
            raise ValueError("give exactly one of 'key' (one params key) or 'keys' (a list)")
        if self.distribution == "loguniform" and self.bounds[0] <= 0:
            raise ValueError("a loguniform prior needs bounds > 0")
        return self


class CalibrationSchema(_Strict):
    """The keys of a calibration file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    baseline: str = "../baseline.toml"
    history: str
    patterns: str
    policy: str = "none"
    master_seed: int = Field(ge=0)
    particles: int = Field(ge=10)
    populations: int = Field(ge=1, le=50)
    quantile: float = Field(gt=0.0, lt=1.0)
    min_acceptance: float = Field(0.02, gt=0.0, lt=1.0)
    predictive: int = Field(100, ge=10)
    chunk_size: int | None = Field(None, ge=1)
    parameters: dict[str, ParameterSchema] = Field(min_length=1)
    overrides: dict[str, Any] = {}


@dataclass(frozen=True)
class Parameter:
    """A calibrated parameter with its concrete params keys and their base values."""

    name: str
    label: str
    mode: str
    low: float
    high: float
    log: bool
    reason: str
    keys: tuple[str, ...]  # the key patterns as written (may hold *)
    transfer: bool  # passed to studies that draw from the posterior
    targets: tuple[tuple[str, float], ...]  # (dotted key, base value) pairs

    def overrides(self, value: float) -> dict[str, float]:
        """The params overrides that put this parameter at ``value``."""
        if self.mode == "scale":
            return {key: float(base * value) for key, base in self.targets}
        return {key: float(value) for key, _ in self.targets}


@dataclass(frozen=True)
class Calibration:
    """A validated calibration file with its inputs read."""

    path: Path
    text: str
    name: str
    description: str
    baseline: Path
    history: Path
    patterns_path: Path
    scenario: str  # the name the history overlay runs under
    policy: str
    master_seed: int
    particles: int
    populations: int
    quantile: float
    min_acceptance: float
    predictive: int
    chunk_size: int | None
    parameters: tuple[Parameter, ...]
    patterns: tuple[Pattern, ...]
    overrides: dict[str, Any]
    bundle: ParamsBundle
    years: tuple[int, int]

    @property
    def prior(self) -> Prior:
        ps = self.parameters
        return Prior(
            tuple(p.name for p in ps),
            np.array([p.low for p in ps]),
            np.array([p.high for p in ps]),
            np.array([p.log for p in ps]),
        )

    def overrides_at(self, theta: np.ndarray) -> dict[str, float]:
        """All params overrides of one parameter vector."""
        out: dict[str, float] = {}
        for p, value in zip(self.parameters, theta, strict=True):
            out.update(p.overrides(float(value)))
        return out

    def input_files(self) -> dict[str, str]:
        """The files a calibration store keeps (name -> text)."""
        files = {f"params/{k}": v for k, v in self.bundle.files.items()}
        files["calibration.toml"] = self.text
        files["patterns.toml"] = read_tree(self.patterns_path)[0]
        return files


def is_calibration_file(path: str | Path) -> bool:
    """True for a file with the keys only calibration files have."""
    try:
        _text, tree = read_tree(Path(path))
    except sim.ParamsError:
        return False
    return {"history", "patterns", "parameters"} <= set(tree)


def load_calibration(path: str | Path) -> Calibration:
    """Read and validate a calibration file, its history overlay and its patterns.

    Loads the params at every parameter's lower and upper bound, so that a
    calibration never starts from a prior the model rejects.
    """
    path = Path(path)
    text, tree = read_tree(path)
    try:
        raw = CalibrationSchema.model_validate(tree)
    except ValidationError as err:
        raise sim.ParamsError(path, *sim.describe_validation_error(err)) from None
    baseline = _file(path, "baseline", raw.baseline)
    history = _file(path, "history", raw.history)
    patterns_path = _file(path, "patterns", raw.patterns)
    policies = sim.available(baseline.parent, "policies")
    if raw.policy not in policies:
        problem = f"unknown policy '{raw.policy}' (known: {', '.join(policies)})"
        raise sim.ParamsError(path, "policy", problem)
    scenario = f"history-{history.stem}"
    bundle = ParamsBundle(
        {
            BASELINE: sim.read_text(baseline),
            f"scenarios/{scenario}.toml": sim.read_text(history),
            f"policies/{raw.policy}.toml": sim.read_text(
                baseline.parent / "policies" / f"{raw.policy}.toml"
            ),
        }
    )
    names = {BASELINE: baseline, f"scenarios/{scenario}.toml": history}
    overrides = flatten(raw.overrides)
    params = _load(bundle, names, path, scenario, raw.policy, overrides)
    tree_now = params.model_dump(mode="python")
    parameters = []
    owner: dict[str, str] = {}
    for name, spec in raw.parameters.items():
        targets = _expand(path, name, spec, tree_now)
        for key, _ in targets:
            if key in owner:
                problem = f"sets '{key}', which parameter '{owner[key]}' sets too"
                raise sim.ParamsError(path, f"parameters.{name}", problem)
            if key in overrides:
                raise sim.ParamsError(
                    path, f"parameters.{name}", f"sets '{key}', which [overrides] fixes"
                )
            owner[key] = name
        parameters.append(
            Parameter(
                name,
                spec.label or name.replace("_", " "),
                spec.mode,
                spec.bounds[0],
                spec.bounds[1],
                spec.distribution == "loguniform",
                spec.reason,
                tuple([spec.key] if spec.key else spec.keys),
                spec.transfer,
                tuple(targets),
            )
        )
    patterns = load_patterns(patterns_path)
    years = range(params.run.start_year, params.run.end_year + 1)
    check_columns(patterns, patterns_path, sim.outcome_columns(params), years)
    cal = Calibration(
        path=path,
        text=text,
        name=raw.name,
        description=raw.description,
        baseline=baseline,
        history=history,
        patterns_path=patterns_path,
        scenario=scenario,
        policy=raw.policy,
        master_seed=raw.master_seed,
        particles=raw.particles,
        populations=raw.populations,
        quantile=raw.quantile,
        min_acceptance=raw.min_acceptance,
        predictive=raw.predictive,
        chunk_size=raw.chunk_size,
        parameters=tuple(parameters),
        patterns=tuple(patterns),
        overrides=overrides,
        bundle=bundle,
        years=(params.run.start_year, params.run.end_year),
    )
    for side, label in ((0, "lower"), (1, "upper")):
        corner = np.array([(p.low, p.high)[side] for p in parameters])
        try:
            _load(
                bundle, names, path, scenario, raw.policy, {**overrides, **cal.overrides_at(corner)}
            )
        except sim.ParamsError as err:
            name = owner.get(err.key or "")
            key = f"parameters.{name}.bounds" if name else "parameters"
            raise sim.ParamsError(
                path, key, f"at the {label} bounds: {err.key}: {err.problem}"
            ) from None
    return cal


def _file(path: Path, key: str, name: str) -> Path:
    target = path.parent / name
    if not target.is_file():
        raise sim.ParamsError(path, key, f"file not found: {target}")
    return target


def _load(
    bundle: ParamsBundle,
    names: dict[str, Path],
    path: Path,
    scenario: str,
    policy: str,
    overrides: dict[str, Any],
) -> sim.Params:
    """Params of the bundle; an error names the real file (not the bundle's copy)."""
    try:
        return bundle.load(scenario, policy, overrides)
    except sim.ParamsError as err:
        if err.file == "--set":
            raise sim.ParamsError(path, f"overrides.{err.key}", err.problem) from None
        folder = str(bundle.baseline_path().parent) + "/"
        file = err.file or ""
        if file.startswith(folder):
            relative = file.removeprefix(folder)
            file = str(names.get(relative, Path(relative)))
        raise sim.ParamsError(file, err.key, err.problem) from None


def _expand(path: Path, name: str, spec: ParameterSchema, tree: dict) -> list[tuple[str, float]]:
    """Concrete keys and their current values matched by the parameter's key patterns."""
    patterns = [spec.key] if spec.key else spec.keys
    found = []
    for i, pattern in enumerate(patterns):
        where = f"parameters.{name}." + ("key" if spec.key else f"keys[{i}]")
        matches = match_keys(tree, pattern)
        if not matches:
            raise sim.ParamsError(path, where, f"no params key matches '{pattern}'")
        for key, value in matches:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise sim.ParamsError(path, where, f"'{key}' is not a number ({value!r})")
            found.append((key, float(value)))
    return found


def check_history_file(path: str | Path) -> str | None:
    """Validate a file of ``params/history/`` that is not a calibration file: a patterns
    file, or a history overlay (loaded on ``../baseline.toml`` with policy ``none``).
    Returns a one-line description, or None if the file is neither."""
    path = Path(path)
    _text, tree = read_tree(path)
    if "pattern" in tree:
        patterns = load_patterns(path)
        return f"{path}: valid patterns file: {len(patterns)} patterns"
    if "scenario" not in tree:
        return None
    baseline = path.parent.parent / "baseline.toml"
    scenario = f"history-{path.stem}"
    bundle = ParamsBundle(
        {
            BASELINE: sim.read_text(baseline),
            f"scenarios/{scenario}.toml": sim.read_text(path),
            "policies/none.toml": sim.read_text(baseline.parent / "policies" / "none.toml"),
        }
    )
    names = {BASELINE: baseline, f"scenarios/{scenario}.toml": path}
    params = _load(bundle, names, path, scenario, "none", {})
    return (
        f"{path}: valid history overlay {params.run.start_year}–{params.run.end_year} on {baseline}"
    )
