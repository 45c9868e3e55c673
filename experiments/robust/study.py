"""Robust study files (``params/experiments/robust*.toml`` with ``[uncertainties]``).

A robust study names the futures (ranged uncertainties sampled by Latin
hypercube, plus the storylines as labelled futures), the policies to judge
on them (packages and named lever mixes), the metrics, the search over lever
mixes and the scenario discovery::

    name = "robust"
    baseline = "../baseline.toml"
    base_scenario = "trend"        # sampled futures lay their values over this storyline
    storylines = "all"             # the storylines, as labelled futures
    packages = "all"               # policy packages (params/policies/), "none" always included
    outcomes = ["hilversum_jobs_share"]   # the first is the main outcome
    replications = 1
    master_seed = 2040
    uncertain = true               # default: add the params' [uncertain] coefficients
    posterior = "../../results/hindcast/posterior.parquet"   # optional, see below

    [ensemble]
    futures = 40                   # Latin hypercube futures of the evaluation ensemble

    [metrics]
    # target = 0.30                # default: the run's own 2025 value
    discount_rate = 0.0225         # source in the shipped file
    budgets_meur = [0, 100, 200]

    [mixes.fund-and-space]
    innovation_fund_meur_per_year = 20.0
    space_expansion_m2_per_year = 6000.0
    reason = "..."

    [search]
    population = 12
    generations = 5
    futures = 16
    [search.levers.innovation_fund_meur_per_year]
    bounds = [0.0, 20.0]
    reason = "..."

    [discovery]
    policies = ["none"]

    [uncertainties.proximity_2040]
    key = "drivers.proximity_importance.2040"
    bounds = [0.4, 1.4]
    reason = "..."

With ``uncertain = true`` (the default) every ``[uncertain]`` entry of the
params (coefficients without a firm source, with their ranges and reasons;
docs/design.md §3.8) whose key no uncertainty of the file, no override and
not the posterior sets becomes an uncertainty too, after the file's own;
``uncertain = false`` leaves them out.

With ``posterior`` (a stored calibration posterior, path relative to this
file) every future also carries a particle drawn from it by weight, seeded by
the master seed and the future's index: the behavioural parameters it sets
come from the posterior, not from ranges. An uncertainty (or an override)
may not set a key the posterior sets.

Unknown keys are rejected; every problem is one :class:`sim.ParamsError`
naming this file, the key path and what is wrong. :func:`load_study` also
checks the study against the params: names, that every uncertainty key
exists and is a number in every storyline, that params stay valid with all
uncertainties at their lower and at their upper bounds, that every mix and
the search's upper lever bounds give valid params.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

import sim

from ..engine.checks import (
    ALL,
    covered_keys,
    match_keys,
    names_or_all,
    peek_tree,
    read_tree,
    uncertain_defaults,
)
from ..sweep.experiment_file import flatten

NONE_POLICY = "none"
MAIN_DEFAULT = "hilversum_jobs_share"
# Werkgroep discontovoet (2020), adopted by the Dutch cabinet from 1 January 2021:
# standard discount rate 2.25% for social cost-benefit analysis (MKBA),
# https://www.rwseconomie.nl/discontovoet
DUTCH_DISCOUNT_RATE = 0.0225
MIX_TEXT_KEYS = ("reason", "label")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _finite_bounds(value: tuple[float, float]) -> tuple[float, float]:
    low, high = value
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise ValueError(f"must be finite with lower < upper, got [{low}, {high}]")
    return value


class UncertaintySchema(_Strict):
    """One ranged uncertainty: what it sets, its range and why."""

    key: str | None = None
    keys: list[str] | None = Field(None, min_length=1)
    mode: Literal["set", "scale"] = "set"
    bounds: tuple[float, float]
    label: str | None = None
    reason: str = Field(min_length=10)

    _bounds = field_validator("bounds")(_finite_bounds)

    @model_validator(mode="after")
    def _one_key_field(self) -> UncertaintySchema:
        if (self.key is None) == (self.keys is None):
            raise ValueError("give exactly one of 'key' (one params key) or 'keys' (a list)")
        return self


class EnsembleSchema(_Strict):
    futures: int = Field(ge=2, le=100_000)


class MetricsSchema(_Strict):
    target: float | None = Field(None, ge=0.0, le=1.0)
    discount_rate: float = Field(DUTCH_DISCOUNT_RATE, ge=0.0, lt=1.0)
    percentile: float = Field(10.0, gt=0.0, lt=100.0)
    budgets_meur: list[Annotated[float, Field(ge=0.0)]] = Field(default_factory=list)
    budget_cost: Literal["cost_meur", "cost_discounted_meur"] = "cost_meur"


class SearchLeverSchema(_Strict):
    bounds: tuple[float, float]
    reason: str = Field(min_length=10)

    _bounds = field_validator("bounds")(_finite_bounds)

    @field_validator("bounds")
    @classmethod
    def _non_negative(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] < 0:
            raise ValueError("a lever's lower bound must be >= 0 (0 = off)")
        return value


class SearchSchema(_Strict):
    population: int = Field(ge=4)
    generations: int = Field(ge=1)
    futures: int = Field(ge=2, le=100_000)
    max_pareto: int = Field(10, ge=1)
    levers: dict[str, SearchLeverSchema] = Field(min_length=1)


class DiscoverySchema(_Strict):
    policies: list[str] = Field(default_factory=lambda: [NONE_POLICY], min_length=1)
    peel_alpha: float = Field(0.05, gt=0.0, lt=0.5)
    paste_alpha: float = Field(0.05, gt=0.0, lt=0.5)
    min_mass: float = Field(0.05, gt=0.0, lt=1.0)
    min_coverage: float = Field(0.5, gt=0.0, le=1.0)
    max_boxes: int = Field(2, ge=1, le=10)
    max_qp: float = Field(0.05, gt=0.0, le=1.0)
    cart_depth: int = Field(3, ge=1, le=10)


class RobustSchema(_Strict):
    """The keys of a robust study file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    baseline: str = "../baseline.toml"
    base_scenario: str = "trend"
    storylines: list[str] = Field(default_factory=lambda: [ALL])
    packages: list[str] = Field(default_factory=lambda: [ALL])
    outcomes: list[str] = Field(default_factory=lambda: [MAIN_DEFAULT], min_length=1)
    replications: int = Field(1, ge=1)
    master_seed: int = Field(ge=0)
    chunk_size: int | None = Field(None, ge=1)
    uncertain: bool = True  # add the params' [uncertain] coefficients as uncertainties
    posterior: str | None = None  # a stored calibration posterior, relative to this file
    overrides: dict[str, Any] = {}
    mix_rent_subsidy_kinds: list[str] | None = None  # checked against the params kinds on load
    ensemble: EnsembleSchema
    metrics: MetricsSchema = MetricsSchema()
    mixes: dict[str, dict[str, Any]] = {}
    search: SearchSchema | None = None
    discovery: DiscoverySchema = DiscoverySchema()
    uncertainties: dict[str, UncertaintySchema] = Field(min_length=1)

    @field_validator("storylines", "packages", mode="before")
    @classmethod
    def _all(cls, value: Any) -> Any:
        return names_or_all(value)


@dataclass(frozen=True)
class Uncertainty:
    """A validated uncertainty; ``keys`` are patterns (``*`` = any key at that level)."""

    name: str
    keys: tuple[str, ...]
    mode: str
    bounds: tuple[float, float]
    label: str
    reason: str
    key_field: str = "key"
    from_params: bool = False  # added from the params' [uncertain] table


@dataclass(frozen=True)
class Mix:
    """A policy: a package file (``package`` set) or lever values laid over ``none``."""

    name: str
    levers: dict[str, float]
    package: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Search:
    """The search settings; ``levers`` maps lever name -> (low, high) in file order."""

    population: int
    generations: int
    futures: int
    max_pareto: int
    levers: dict[str, tuple[float, float]]
    reasons: dict[str, str]


# scenario -> uncertainty name -> [(concrete dotted key, value in the params)]
Targets = dict[str, dict[str, list[tuple[str, float]]]]


@dataclass(frozen=True)
class RobustStudy:
    """A validated robust study; ``targets`` is filled by :func:`load_study`."""

    name: str
    description: str
    base_scenario: str
    storylines: tuple[str, ...]
    policies: tuple[Mix, ...]
    outcomes: tuple[str, ...]
    replications: int
    master_seed: int
    futures: int
    metrics: MetricsSchema
    search: Search | None
    discovery: DiscoverySchema
    uncertainties: tuple[Uncertainty, ...]
    overrides: dict[str, Any] = field(default_factory=dict)
    mix_rent_subsidy_kinds: tuple[str, ...] | None = None
    chunk_size: int | None = None
    path: Path | None = None
    text: str = ""
    baseline: Path | None = None
    targets: Targets | None = None
    years: tuple[int, ...] = ()
    uncertain: bool = True
    posterior_file: Path | None = None
    posterior: Any = None  # experiments.calibration.posterior.Posterior, loaded by load_study
    # scenario -> its params under "none" with the overrides: what the posterior's
    # scale parameters multiply (filled by load_study when there is a posterior)
    posterior_params: dict[str, sim.Params] | None = None

    @property
    def main_outcome(self) -> str:
        """The outcome the frontier, the search and the discovery use."""
        return self.outcomes[0]

    @property
    def uncertainty_names(self) -> list[str]:
        """Uncertainty names in file order (the Latin hypercube's columns)."""
        return [u.name for u in self.uncertainties]

    @property
    def posterior_names(self) -> list[str]:
        """The posterior parameters each future carries (none without a posterior)."""
        return list(self.posterior.names) if self.posterior is not None else []

    def dimensions(self) -> list[tuple[str, str, float, float]]:
        """What scenario discovery may restrict: ``(name, label, low, high)`` for every
        uncertainty, then every posterior parameter (its prior bounds as stored with
        the posterior, else the range of its particles)."""
        dims = [(u.name, u.label, *u.bounds) for u in self.uncertainties]
        for name in self.posterior_names:
            spec = self.posterior.parameters[name]
            column = self.posterior.frame[name]
            low, high = spec.get("bounds") or (column.min(), column.max())
            label = f"{name.replace('_', ' ')} (posterior)"
            dims.append((name, label, float(low), float(high)))
        return dims

    @property
    def scenarios(self) -> tuple[str, ...]:
        """Every scenario file a run uses: the base scenario and the storylines."""
        return tuple(dict.fromkeys([self.base_scenario, *self.storylines]))

    @property
    def packages(self) -> list[str]:
        """Policy package files the study runs."""
        return [m.package for m in self.policies if m.package]

    def policy(self, name: str) -> Mix:
        """The policy called ``name``."""
        for mix in self.policies:
            if mix.name == name:
                return mix
        raise KeyError(name)


def is_robust_file(path: str | Path) -> bool:
    """True for a TOML file with an ``[uncertainties]`` table (a robust study)."""
    tree = peek_tree(path)
    return tree is not None and isinstance(tree.get("uncertainties"), dict)


def parse_study(
    tree: dict[str, Any], path: str | Path | None = None, text: str = ""
) -> RobustStudy:
    """Validate a study's schema (no params needed); raise ParamsError on the first problem.

    Packages and storylines stay as given (``"all"`` is resolved by :func:`load_study`).
    """
    where = Path(path) if path else None
    try:
        raw = RobustSchema.model_validate(tree)
    except ValidationError as err:
        raise sim.ParamsError(where or "study", *sim.describe_validation_error(err)) from None
    uncertainties = tuple(
        Uncertainty(
            name=name,
            keys=tuple([spec.key] if spec.key is not None else spec.keys),
            mode=spec.mode,
            bounds=(float(spec.bounds[0]), float(spec.bounds[1])),
            label=spec.label or name.replace("_", " "),
            reason=" ".join(spec.reason.split()),
            key_field="key" if spec.key is not None else "keys",
        )
        for name, spec in raw.uncertainties.items()
    )
    for key in ("storylines", "packages", "outcomes"):
        names = getattr(raw, key)
        if len(set(names)) != len(names):
            raise sim.ParamsError(where, key, "lists a name twice")
    mixes = [_mix(where, name, spec) for name, spec in raw.mixes.items()]
    search = None
    if raw.search is not None:
        for lever in raw.search.levers:
            if lever not in sim.LEVERS:
                raise sim.ParamsError(where, f"search.levers.{lever}", _unknown_lever(lever))
        search = Search(
            population=raw.search.population,
            generations=raw.search.generations,
            futures=raw.search.futures,
            max_pareto=raw.search.max_pareto,
            levers={
                k: (float(v.bounds[0]), float(v.bounds[1])) for k, v in raw.search.levers.items()
            },
            reasons={k: " ".join(v.reason.split()) for k, v in raw.search.levers.items()},
        )
    packages = [Mix(p, {}, package=p) for p in raw.packages]
    return RobustStudy(
        name=raw.name,
        description=raw.description,
        base_scenario=raw.base_scenario,
        storylines=tuple(raw.storylines),
        policies=tuple([*packages, *mixes]),
        outcomes=tuple(raw.outcomes),
        replications=raw.replications,
        master_seed=raw.master_seed,
        futures=raw.ensemble.futures,
        metrics=raw.metrics,
        search=search,
        discovery=raw.discovery,
        uncertainties=uncertainties,
        overrides=flatten(raw.overrides),
        mix_rent_subsidy_kinds=(
            tuple(raw.mix_rent_subsidy_kinds) if raw.mix_rent_subsidy_kinds is not None else None
        ),
        chunk_size=raw.chunk_size,
        path=where,
        text=text,
        baseline=(where.parent / raw.baseline) if where else Path(raw.baseline),
        uncertain=raw.uncertain,
        posterior_file=(
            None
            if raw.posterior is None
            else (where.parent / raw.posterior if where else Path(raw.posterior))
        ),
    )


def _unknown_lever(name: str) -> str:
    return f"unknown lever '{name}' (levers: {', '.join(sim.LEVERS)})"


def _mix(where: Path | None, name: str, spec: dict[str, Any]) -> Mix:
    """A named mix: lever names -> values (>= 0), plus an optional reason and label."""
    levers: dict[str, float] = {}
    for key, value in spec.items():
        if key in MIX_TEXT_KEYS:
            if not isinstance(value, str):
                raise sim.ParamsError(where, f"mixes.{name}.{key}", "must be text")
            continue
        if key not in sim.LEVERS:
            raise sim.ParamsError(where, f"mixes.{name}.{key}", _unknown_lever(key))
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise sim.ParamsError(where, f"mixes.{name}.{key}", f"must be a number, got {value!r}")
        if value < 0:
            raise sim.ParamsError(where, f"mixes.{name}.{key}", "must be >= 0 (0 = off)")
        levers[key] = float(value)
    if not levers:
        raise sim.ParamsError(where, f"mixes.{name}", "sets no lever")
    return Mix(name, levers, None, " ".join(str(spec.get("reason", "")).split()))


def load_study(path: str | Path, baseline: str | Path | None = None) -> RobustStudy:
    """Read a robust study file and validate it, also against the params it will run."""
    path = Path(path)
    text, tree = read_tree(path)
    if "uncertainties" not in tree:
        raise sim.ParamsError(path, "uncertainties", "not a robust study (no [uncertainties])")
    study = parse_study(tree, path, text)
    base = Path(baseline) if baseline else study.baseline
    if not base.is_file():
        raise sim.ParamsError(path, "baseline", f"file not found: {base}")
    return check_with_params(replace(study, baseline=base))


def check_with_params(study: RobustStudy) -> RobustStudy:
    """Check names, keys and ranges against the params; return the study with storylines
    and packages resolved and ``targets`` and ``years`` filled in."""
    path, params_dir = study.path, study.baseline.parent
    known = sim.available(params_dir, "scenarios")
    if study.base_scenario not in known and study.base_scenario != "baseline":
        raise sim.ParamsError(
            path,
            "base_scenario",
            f"unknown scenario '{study.base_scenario}' (known: {', '.join(known)})",
        )
    storylines = tuple(known) if study.storylines == (ALL,) else study.storylines
    for i, name in enumerate(storylines):
        if name not in known:
            raise sim.ParamsError(
                path, f"storylines[{i}]", f"unknown scenario '{name}' (known: {', '.join(known)})"
            )
    policies = sim.available(params_dir, "policies")
    packages = [m.package for m in study.policies if m.package]
    names = policies if packages == [ALL] else packages
    for i, name in enumerate(names):
        if name not in policies:
            raise sim.ParamsError(
                path, f"packages[{i}]", f"unknown policy '{name}' (known: {', '.join(policies)})"
            )
    if NONE_POLICY not in names:
        names = [NONE_POLICY, *names]  # the reference is always judged too
    mixes = [m for m in study.policies if not m.package]
    for mix in mixes:
        if mix.name in names:
            raise sim.ParamsError(path, f"mixes.{mix.name}", "has the name of a policy package")
    study = replace(
        study,
        storylines=storylines,
        policies=tuple([*(Mix(n, {}, package=n) for n in names), *mixes]),
    )
    all_names = [m.name for m in study.policies]
    for i, name in enumerate(study.discovery.policies):
        if name not in all_names:
            raise sim.ParamsError(
                path,
                f"discovery.policies[{i}]",
                f"unknown policy '{name}' (the study's: {', '.join(all_names)})",
            )
    posterior_keys: dict[str, str] = {}
    if study.posterior_file is not None:
        study = _with_posterior(study)
        posterior_keys = _posterior_keys(study, study.posterior_params[study.base_scenario])
    if study.uncertain:
        base_params = _load(study, study.base_scenario, NONE_POLICY, {})
        study = _with_uncertain(study, base_params, set(posterior_keys))
    targets: Targets = {}
    params = None
    for scenario in study.scenarios:
        params = _load(study, scenario, NONE_POLICY, {})
        tree = params.model_dump(mode="python")
        targets[scenario] = {u.name: _expand(study, u, tree) for u in study.uncertainties}
    first = study.scenarios[0]
    for u in study.uncertainties:
        for scenario in study.scenarios[1:]:
            if [k for k, _ in targets[scenario][u.name]] != [k for k, _ in targets[first][u.name]]:
                raise sim.ParamsError(
                    path,
                    f"uncertainties.{u.name}",
                    f"matches other params keys in '{scenario}' than in '{first}'; "
                    "an uncertainty must set the same keys in every storyline",
                )
    _check_posterior_clashes(study, targets, posterior_keys)
    columns = set(sim.outcome_columns(params)) - {"year"}
    for i, name in enumerate(study.outcomes):
        if name not in columns:
            raise sim.ParamsError(path, f"outcomes[{i}]", f"unknown outcome '{name}'")
    _check_corners(study, targets)
    _check_policies(study)
    years = tuple(range(params.run.start_year, params.run.end_year + 1))
    return replace(study, targets=targets, years=years)


def _with_posterior(study: RobustStudy) -> RobustStudy:
    """The study with its posterior loaded, and each scenario's params the posterior's
    scale parameters multiply."""
    from ..calibration.posterior import load_posterior

    post = load_posterior(study.posterior_file, study.path, "posterior")
    params = {s: _load(study, s, NONE_POLICY, {}) for s in study.scenarios}
    return replace(study, posterior=post, posterior_params=params)


def _posterior_keys(study: RobustStudy, params: sim.Params) -> dict[str, str]:
    """Concrete params key -> the posterior parameter that sets it."""
    owner = study.posterior.keys_set(params)
    if not owner:
        raise sim.ParamsError(
            study.path, "posterior", f"{study.posterior_file} sets no key of these params"
        )
    return owner


def _with_uncertain(
    study: RobustStudy, params: sim.Params, posterior_keys: set[str]
) -> RobustStudy:
    """The study with an uncertainty for every ``[uncertain]`` entry of the params whose
    key no uncertainty of the file, no override and not the posterior sets already
    (uniform over the entry's bounds, after the file's own; docs/design.md §3.8)."""
    tree = params.model_dump(mode="python")
    covered = covered_keys(tree, [p for u in study.uncertainties for p in u.keys])
    covered |= posterior_keys | set(study.overrides)
    defaults = uncertain_defaults(
        params, covered, set(study.uncertainty_names), study.path, "uncertainties"
    )
    added = [
        Uncertainty(
            name=name,
            keys=(spec.key,),
            mode="set",
            bounds=(float(spec.bounds[0]), float(spec.bounds[1])),
            label=name.replace("_", " "),
            reason=" ".join(spec.reason.split()) + " (params [uncertain])",
            from_params=True,
        )
        for name, spec in defaults
    ]
    return replace(study, uncertainties=study.uncertainties + tuple(added))


def _check_posterior_clashes(
    study: RobustStudy, targets: Targets, posterior_keys: dict[str, str]
) -> None:
    """No uncertainty and no override may set a key the posterior sets, and no uncertainty
    may have a posterior parameter's name (both are columns of the futures table)."""
    if study.posterior is None:
        return
    for u in study.uncertainties:
        for key, _ in targets[study.base_scenario][u.name]:
            if key in posterior_keys:
                raise sim.ParamsError(
                    study.path,
                    f"uncertainties.{u.name}",
                    f"sets '{key}', which the posterior sets (its '{posterior_keys[key]}'); "
                    "drop the uncertainty or the posterior",
                )
    for u in study.uncertainties:
        if u.name in study.posterior.names:
            raise sim.ParamsError(
                study.path, f"uncertainties.{u.name}", "has the name of a posterior parameter"
            )
    for key in study.overrides:
        if key in posterior_keys:
            problem = f"[overrides] fixes {key}, which the posterior sets"
            raise sim.ParamsError(study.path, "posterior", problem)


def overrides_at(
    targets: dict[str, list[tuple[str, float]]], u: Uncertainty, value: float
) -> dict[str, float]:
    """The params overrides (dotted key -> value) that put uncertainty ``u`` at ``value``."""
    if u.mode == "scale":
        return {key: base * value for key, base in targets[u.name]}
    return {key: value for key, _ in targets[u.name]}


def nominal(targets: dict[str, list[tuple[str, float]]], u: Uncertainty) -> float:
    """The uncertainty's value in a scenario's own params (1 for a scale, else the first key's)."""
    return 1.0 if u.mode == "scale" else float(targets[u.name][0][1])


def lever_key(lever: str) -> str:
    """The dotted params key of a lever's value."""
    return f"policy.{lever}.value"


# --------------------------------------------------------------------------- helpers


def _load(study: RobustStudy, scenario: str, policy: str, extra: dict[str, Any]) -> sim.Params:
    overrides = {**study.overrides, **extra}
    try:
        return sim.load_params(
            study.baseline, scenario=scenario, policy=policy, overrides=overrides
        )
    except sim.ParamsError as err:
        if err.file == "--set" and err.key in study.overrides:
            raise sim.ParamsError(study.path, f"overrides.{err.key}", err.problem) from None
        raise


def _expand(study: RobustStudy, u: Uncertainty, tree: dict) -> list[tuple[str, float]]:
    """Concrete keys (and their params values) matched by the uncertainty's key patterns."""
    found: list[tuple[str, float]] = []
    for i, pattern in enumerate(u.keys):
        where = f"uncertainties.{u.name}." + ("key" if u.key_field == "key" else f"keys[{i}]")
        matches = match_keys(tree, pattern)
        if not matches:
            raise sim.ParamsError(study.path, where, f"no params key matches '{pattern}'")
        for key, value in matches:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise sim.ParamsError(study.path, where, f"'{key}' is not a number ({value!r})")
            if key.startswith("policy."):
                raise sim.ParamsError(
                    study.path, where, "policy levers are decisions, not uncertainties"
                )
            found.append((key, float(value)))
    keys = [k for k, _ in found]
    if len(set(keys)) != len(keys):
        raise sim.ParamsError(study.path, f"uncertainties.{u.name}", "matches a key twice")
    return found


def _check_corners(study: RobustStudy, targets: Targets) -> None:
    """Load the params with every uncertainty at its lower, then at its upper bound."""
    owner: dict[str, str] = {}
    for u in study.uncertainties:
        for key, _ in targets[study.scenarios[0]][u.name]:
            if key in owner:
                raise sim.ParamsError(
                    study.path,
                    f"uncertainties.{u.name}",
                    f"sets '{key}', which '{owner[key]}' sets too",
                )
            if key in study.overrides:
                raise sim.ParamsError(
                    study.path, f"uncertainties.{u.name}", f"sets '{key}', which [overrides] fixes"
                )
            owner[key] = u.name
    by_factor = targets[study.base_scenario]
    for side, label in ((0, "lower"), (1, "upper")):
        extra: dict[str, float] = {}
        for u in study.uncertainties:
            extra.update(overrides_at(by_factor, u, u.bounds[side]))
        try:
            _load(study, study.base_scenario, NONE_POLICY, extra)
        except sim.ParamsError as err:
            name = owner.get(err.key or "")
            key = f"uncertainties.{name}.bounds" if name else "uncertainties"
            problem = f"at the {label} bound: {err.key}: {err.problem}"
            if name and next(u for u in study.uncertainties if u.name == name).from_params:
                # a default from the params: blame its [uncertain] entry
                problem += " (or set uncertain = false in the study)"
                raise sim.ParamsError(study.baseline, f"uncertain.{name}.bounds", problem) from None
            raise sim.ParamsError(study.path, key, problem) from None


def _check_policies(study: RobustStudy) -> None:
    """Every mix, and the search's levers at their upper bounds, must give valid params;
    a problem is pinned on the first lever that is invalid on its own."""
    checks = [(f"mixes.{m.name}", m.levers, "") for m in study.policies if not m.package]
    if study.search is not None:
        upper = {k: hi for k, (_, hi) in study.search.levers.items()}
        checks.append(("search.levers", upper, ".bounds"))
    for where, levers, suffix in checks:
        try:
            _load(study, study.base_scenario, NONE_POLICY, _lever_overrides(levers))
            continue
        except sim.ParamsError as err:
            problem, key = err.problem, where
        for lever, value in levers.items():
            try:
                _load(study, study.base_scenario, NONE_POLICY, _lever_overrides({lever: value}))
            except sim.ParamsError as err:
                problem, key = err.problem, f"{where}.{lever}{suffix}"
                break
        raise sim.ParamsError(study.path, key, problem)


def _lever_overrides(levers: dict[str, float]) -> dict[str, float]:
    return {lever_key(k): v for k, v in levers.items()}


def describe_robust(study: RobustStudy) -> str:
    """One line: the study's size (for ``mediacluster check``)."""
    n_f = study.futures + len(study.storylines)
    runs = len(study.policies) * n_f * study.replications
    defaults = sum(u.from_params for u in study.uncertainties)
    text = (
        f"{study.path}: valid robust study '{study.name}': {len(study.uncertainties)} "
        f"uncertainties ({defaults} from the params' [uncertain])"
    )
    if study.posterior is not None:
        text += (
            f", posterior {study.posterior_file} ({len(study.posterior.frame)} particles, "
            f"{len(study.posterior_names)} parameters)"
        )
    text += (
        f"; {study.futures} sampled futures + {len(study.storylines)} storylines; "
        f"{len(study.policies)} policies × {n_f} futures × {study.replications} replications "
        f"= {runs} runs"
    )
    s = study.search
    if s is not None:
        search = s.population * s.generations * s.futures * study.replications
        oos = s.max_pareto * n_f * study.replications
        text += (
            f"; search over {len(s.levers)} levers: {s.generations} generations × "
            f"{s.population} mixes × {s.futures} futures = {search} runs, then at most "
            f"{oos} out of sample"
        )
    return text
