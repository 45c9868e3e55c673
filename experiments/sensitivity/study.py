"""Study files (``params/experiments/*.toml`` with ``[factors]``): schema, loading, validation.

A sensitivity study file has the top-level keys of a sweep experiment
file (``name``, ``description``, ``baseline``, ``scenarios``,
``replications``, ``master_seed``, ``[overrides]``), one policy package
the sampled levers are laid over (``policy``, default ``"none"``; a file in
``params/policies/`` or a mix defined in the study file's
``[custom_policies.NAME]``, as in experiment files), the outcomes, the
methods and the factors::

    name = "policy-sensitivity"
    baseline = "../baseline.toml"
    scenarios = "all"
    policy = "none"
    replications = 3
    master_seed = 4040
    outcomes = ["hilversum_jobs_share", "min_hilversum_jobs_share",
                "startups_hilversum", "cost_per_point_kept"]

    [sobol]                 # Saltelli/Sobol' design, S1 and ST with bootstrap CIs
    base_samples = 256      # N (a power of two): N (k + 2) design points per scenario
    [morris]                # elementary effects, mu* and sigma
    trajectories = 20
    [pawn]                  # moment-independent, reuses the Sobol (or Morris) sample
    slices = 10
    [analysis]
    ci_target = 0.05        # wanted half-width of a 95% interval (for the next N)

    [factors.campus_amenity]
    role = "lever"                           # a policy lever (docs/design.md §5), 0 = off
    key = "policy.campus_amenity.value"
    bounds = [0.0, 0.4]
    reason = "0 (none) to a campus as lively as Utrecht's centre (0.45 + 0.4 = 0.85)."

    [factors.agglomeration]
    role = "parameter"                       # an uncertain model parameter
    keys = ["spillover.*.*"]                 # '*' matches any key at that level
    mode = "scale"                           # multiply the params value(s) by the factor
    bounds = [0.5, 1.5]
    reason = "gamma is an assumption; +-50% around it."

Unknown keys are rejected; every problem is one :class:`sim.ParamsError`
naming this file, the key path and what is wrong. :func:`load_study` also
checks the study against the params: names of scenarios, policy and
outcomes, that every factor key exists and is a number, and that the
params are valid with every factor at its lower and at its upper bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

import sim

from ..engine import custom_policies
from ..engine.checks import (
    ALL,
    covered_keys,
    match_keys,
    names_or_all,
    peek_tree,
    read_tree,
    resolve_names,
    uncertain_defaults,
)
from ..sweep.experiment_file import flatten

# Outcomes computed from a run's yearly rows (or with its no-policy reference),
# beyond the yearly model columns (sim.outcome_columns). name -> (yearly?, doc)
DERIVED_OUTCOMES: dict[str, tuple[bool, str]] = {
    "share_kept_pp": (
        True,
        "percentage points of Hilversum's jobs share above the no-policy reference "
        "(same scenario, same parameter values, same seed)",
    ),
    "min_hilversum_jobs_share": (False, "lowest Hilversum jobs share over the run"),
    "cumulative_policy_cost_meur": (False, "policy cost summed over the run, M€"),
    "cost_per_point_kept": (
        False,
        "cumulative policy cost (M€) per percentage point of 2040 Hilversum jobs share "
        "kept above the no-policy reference; the kept share is floored at "
        "analysis.min_kept_pp (a floored ratio: flagged as unsuited to variance "
        "decomposition; the share of design points at the floor is reported separately; "
        "lever_costs.csv gives each lever's cost per point from its paired effect)",
    ),
    "ever_below_2025_share": (
        False,
        "1 if Hilversum's jobs share fell below its 2025 value in any later year, else 0 "
        "(its replication mean is the probability); replaces the censored minimum",
    ),
}
# Outcomes whose distribution over the design is not one a variance decomposition
# reads well (a point mass, a floored ratio): their indices are flagged in warnings.txt.
UNSUITED = {
    "min_hilversum_jobs_share": "censored at the 2025 share (a point mass where the share "
    "never falls): use ever_below_2025_share",
    "cost_per_point_kept": "a ratio floored at analysis.min_kept_pp: the floor, not the "
    "factors, sets its largest values; read lever_costs.csv",
}
DUMMY = "dummy"  # the factor the model ignores, on independent seeds (the noise yardstick)
NEEDS_REFERENCE = {"share_kept_pp", "cost_per_point_kept"}
# Yearly model columns every study stores (the derived outcomes need them).
BASE_COLUMNS = ("hilversum_jobs_share", "policy_cost_meur")
DEFAULT_OUTCOMES = (
    "hilversum_jobs_share",
    "min_hilversum_jobs_share",
    "startups_hilversum",
    "cost_per_point_kept",
)

SALIB_DIST = {
    "uniform": "unif",
    "loguniform": "logunif",
    "triangular": "triang",
    "truncnormal": "truncnorm",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactorSchema(_Strict):
    """One factor: what it sets, its distribution, and why its range."""

    role: Literal["lever", "parameter"]
    key: str | None = None
    keys: list[str] | None = Field(None, min_length=1)
    mode: Literal["set", "scale"] = "set"
    distribution: Literal["uniform", "loguniform", "triangular", "truncnormal"] = "uniform"
    bounds: tuple[float, float]
    peak: float | None = None
    mean: float | None = None
    sd: float | None = None
    label: str | None = None
    reason: str = Field(min_length=10)

    @field_validator("bounds")
    @classmethod
    def _bounds(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
            raise ValueError(f"must be finite with lower < upper, got [{low}, {high}]")
        return value

    @model_validator(mode="after")
    def _check(self) -> FactorSchema:
        if (self.key is None) == (self.keys is None):
            raise ValueError("give exactly one of 'key' (one params key) or 'keys' (a list)")
        low, high = self.bounds
        dist = self.distribution
        extra = {"peak": self.peak, "mean": self.mean, "sd": self.sd}
        wanted = {"triangular": {"peak"}, "truncnormal": {"mean", "sd"}}.get(dist, set())
        for name, value in extra.items():
            if name in wanted and value is None:
                raise ValueError(f"a {dist} distribution needs '{name}'")
            if name not in wanted and value is not None:
                raise ValueError(f"'{name}' is not used by a {dist} distribution")
        if dist == "triangular" and not low <= self.peak <= high:
            raise ValueError(f"peak {self.peak} must lie within the bounds [{low}, {high}]")
        if dist == "truncnormal" and self.sd <= 0:
            raise ValueError("sd must be > 0")
        if dist == "loguniform" and low <= 0:
            raise ValueError("a loguniform distribution needs bounds > 0")
        if self.role == "lever":
            if self.mode != "set":
                raise ValueError("a lever sets its value (mode = 'set'); 0 means off")
            if low < 0:
                raise ValueError("a lever's lower bound must be >= 0 (0 = off)")
        return self


class SobolSchema(_Strict):
    base_samples: int = Field(ge=2)
    second_order: bool = False
    bootstrap: int = Field(1000, ge=10)
    conf_level: float = Field(0.95, gt=0.0, lt=1.0)
    nested_min: int = Field(32, ge=2)  # smallest nested size of the convergence table

    @field_validator("nested_min")
    @classmethod
    def _nested_power(cls, value: int) -> int:
        if value & (value - 1):
            raise ValueError(f"must be a power of two (nested Sobol' sizes), got {value}")
        return value

    @model_validator(mode="after")
    def _power_of_two(self) -> SobolSchema:
        n = self.base_samples
        if n & (n - 1):
            raise ValueError(
                f"base_samples must be a power of two (Sobol' sequences balance only then), got {n}"
            )
        return self


class MorrisSchema(_Strict):
    # r >= 10: with fewer trajectories the mu* intervals of the quick study reached below 0
    # (issue 13); Campolongo et al. (2007) use r = 10-20.
    trajectories: int = Field(ge=10)
    levels: int = Field(4, ge=2)
    bootstrap: int = Field(1000, ge=10)
    conf_level: float = Field(0.95, gt=0.0, lt=1.0)

    @model_validator(mode="after")
    def _even(self) -> MorrisSchema:
        if self.levels % 2:
            raise ValueError(f"levels must be even (Morris 1991), got {self.levels}")
        return self


class PawnSchema(_Strict):
    slices: int = Field(10, ge=2)
    sample: Literal["sobol", "morris"] | None = None
    bootstrap: int = Field(0, ge=0)
    conf_level: float = Field(0.95, gt=0.0, lt=1.0)
    permutations: int = Field(100, ge=20)  # draws of the permutation null (critical value)
    borgonovo: bool = True  # Borgonovo's delta (SALib) on the same points, final year


class LeversSchema(_Strict):
    """The lever ensemble: each lever's paired effect over an uncertainty ensemble."""

    members: int = Field(ge=4)  # uncertainty draws (scrambled Sobol' points), a power of two
    conf_level: float = Field(0.95, gt=0.0, lt=1.0)

    @model_validator(mode="after")
    def _power_of_two(self) -> LeversSchema:
        n = self.members
        if n & (n - 1):
            raise ValueError(
                f"members must be a power of two (Sobol' points balance only then), got {n}"
            )
        return self


class EmulatorSchema(_Strict):
    """A heteroscedastic Gaussian-process emulator of the conditional mean (scikit-learn)."""

    folds: int = Field(5, ge=3, le=20)  # held-out validation and jackknife intervals
    samples: int = Field(2048, ge=64)  # Saltelli N on the emulator (a power of two)
    second_order: bool = True
    max_points: int = Field(1024, ge=32)  # training points at most (GP cost grows as n^3)

    @model_validator(mode="after")
    def _power_of_two(self) -> EmulatorSchema:
        n = self.samples
        if n & (n - 1):
            raise ValueError(f"samples must be a power of two, got {n}")
        return self


class AnalysisSchema(_Strict):
    main_outcome: str = "hilversum_jobs_share"
    yearly: bool = True
    ci_target: float = Field(0.05, gt=0.0, lt=1.0)
    relevance: float = Field(0.05, gt=0.0, lt=1.0)  # kept for old files; verdicts use the dummy
    noise_target: float = Field(0.1, gt=0.0, lt=1.0)
    min_kept_pp: float = Field(0.5, gt=0.0)
    noise_correction: bool = True  # subtract the seed-noise floor (needs replications >= 2)
    max_base_samples: int = Field(8192, ge=2)  # cap of the next-N advice
    max_replications: int = Field(8, ge=2)  # cap of the replications advice


class StudySchema(_Strict):
    """The keys of a sensitivity study file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    baseline: str = "../baseline.toml"
    scenarios: list[str] = Field(min_length=1)
    policy: str = "none"
    replications: int = Field(ge=1)
    master_seed: int = Field(ge=0)
    outcomes: list[str] = Field(default_factory=lambda: list(DEFAULT_OUTCOMES), min_length=1)
    chunk_size: int | None = Field(None, ge=1)
    overrides: dict[str, Any] = {}
    custom_policies: dict[str, dict[str, Any]] = {}
    sobol: SobolSchema | None = None
    morris: MorrisSchema | None = None
    pawn: PawnSchema | None = None
    levers: LeversSchema | None = None
    emulator: EmulatorSchema | None = None
    analysis: AnalysisSchema = AnalysisSchema()
    uncertain: bool = True  # add the params' [uncertain] coefficients as factors
    posterior: str | None = None  # a stored calibration posterior (path relative to the file)
    factors: dict[str, FactorSchema] = Field(min_length=2)

    @field_validator("scenarios", mode="before")
    @classmethod
    def _all(cls, value: Any) -> Any:
        return names_or_all(value)

    @model_validator(mode="after")
    def _methods(self) -> StudySchema:
        if self.sobol is None and self.morris is None:
            raise ValueError("give at least one of [sobol] or [morris]")
        if self.pawn is not None:
            wanted = self.pawn.sample or ("sobol" if self.sobol else "morris")
            if getattr(self, wanted) is None:
                raise ValueError(f"[pawn] sample = '{wanted}' but the study has no [{wanted}]")
        if len(set(self.outcomes)) != len(self.outcomes):
            raise ValueError("outcomes lists a name twice")
        if self.analysis.main_outcome not in self.outcomes:
            raise ValueError(
                f"analysis.main_outcome '{self.analysis.main_outcome}' is not in outcomes"
            )
        if self.emulator is not None and self.sobol is None:
            raise ValueError("[emulator] is fitted on the Sobol' design: the study has no [sobol]")
        return self


@dataclass(frozen=True)
class Factor:
    """A validated factor; ``keys`` are patterns (``*`` = any key at that level)."""

    name: str
    role: str
    keys: tuple[str, ...]
    mode: str
    bounds: tuple[float, float]
    label: str
    reason: str
    distribution: str = "uniform"
    peak: float | None = None  # triangular only
    mean: float | None = None  # truncnormal only
    sd: float | None = None  # truncnormal only
    key_field: str = "key"  # how the file gave the keys: 'key' (one) or 'keys' (a list)
    grouped: bool = False  # the posterior's grouped factor: u picks a particle (.behaviour)

    @property
    def is_lever(self) -> bool:
        """True for a policy lever (set to 0 in the no-policy reference)."""
        return self.role == "lever"

    @property
    def is_dummy(self) -> bool:
        """True for the dummy factor the model ignores (run on independent seeds)."""
        return self.role == "dummy"

    def salib_bounds(self) -> list[float]:
        """Bounds in SALib's format for the distribution."""
        low, high = self.bounds
        if self.distribution == "triangular":
            return [low, high, (self.peak - low) / (high - low)]
        if self.distribution == "truncnormal":
            return [low, high, self.mean, self.sd]
        return [low, high]

    def salib_dist(self) -> str:
        """SALib's name of the distribution."""
        return SALIB_DIST[self.distribution]


@dataclass(frozen=True)
class Methods:
    """Method settings (``None`` = not run)."""

    sobol: SobolSchema | None
    morris: MorrisSchema | None
    pawn: PawnSchema | None
    levers: LeversSchema | None = None
    emulator: EmulatorSchema | None = None

    @property
    def samples(self) -> list[str]:
        """The designs to run, in order: ``sobol``, ``morris``, ``levers``."""
        return [m for m in ("sobol", "morris", "levers") if getattr(self, m) is not None]

    @property
    def pawn_sample(self) -> str | None:
        """The design PAWN reuses."""
        if self.pawn is None:
            return None
        return self.pawn.sample or self.samples[0]


# scenario -> factor name -> [(concrete dotted key, value in the params)]
Targets = dict[str, dict[str, list[tuple[str, float]]]]


@dataclass(frozen=True)
class Study:
    """A validated study; ``targets`` is filled by :func:`load_study` (None without params)."""

    name: str
    description: str
    factors: tuple[Factor, ...]
    methods: Methods
    outcomes: tuple[str, ...]
    scenarios: tuple[str, ...]
    replications: int
    master_seed: int
    analysis: AnalysisSchema
    policy: str = "none"
    overrides: dict[str, Any] = field(default_factory=dict)
    custom_policies: dict[str, str] = field(default_factory=dict)  # name -> policy-file text
    chunk_size: int | None = None
    path: Path | None = None
    text: str = ""
    baseline: Path | None = None
    targets: Targets | None = None
    years: tuple[int, ...] = ()
    uncertain: bool = True
    behaviour: Any = None  # .behaviour.Behaviour when the file names a posterior, else None

    @property
    def factor_names(self) -> list[str]:
        """Factor names in file order (the SALib problem's order)."""
        return [f.name for f in self.factors]

    @property
    def levers(self) -> list[Factor]:
        """The policy-lever factors."""
        return [f for f in self.factors if f.is_lever]

    @property
    def parameters(self) -> list[Factor]:
        """The uncertain model parameters (not levers, not the dummy)."""
        return [f for f in self.factors if f.role == "parameter"]

    @property
    def model_factors(self) -> list[Factor]:
        """The factors that set params keys (every factor but the dummy)."""
        return [f for f in self.factors if not f.is_dummy]

    @property
    def needs_reference(self) -> bool:
        """True if an outcome compares with the no-policy reference."""
        return bool(NEEDS_REFERENCE & set(self.outcomes))


def is_study_file(path: str | Path) -> bool:
    """True for a TOML file with a ``[factors]`` table (a sensitivity study)."""
    tree = peek_tree(path)
    return tree is not None and isinstance(tree.get("factors"), dict)


def parse_study(tree: dict[str, Any], path: str | Path | None = None, text: str = "") -> Study:
    """Validate a study's schema (no params needed); raise ParamsError on the first problem.

    Scenario names stay as given (``"all"`` is resolved by :func:`load_study`).
    """
    where = Path(path) if path else None
    try:
        raw = StudySchema.model_validate(tree)
    except ValidationError as err:
        raise _params_error(where or "study", err) from None
    if DUMMY in raw.factors:
        raise sim.ParamsError(
            where,
            f"factors.{DUMMY}",
            f"'{DUMMY}' is reserved: every study adds a dummy factor the model ignores "
            "(the seed-noise yardstick); rename this factor",
        )
    if raw.analysis.noise_correction and raw.replications < 2:
        raise sim.ParamsError(
            where,
            "replications",
            f"is {raw.replications}, but the seed-noise correction "
            "(analysis.noise_correction = true) needs at least 2 replications; "
            "raise replications or set analysis.noise_correction = false",
        )
    factors = tuple(
        Factor(
            name=name,
            role=spec.role,
            keys=tuple([spec.key] if spec.key is not None else spec.keys),
            mode=spec.mode,
            distribution=spec.distribution,
            bounds=(float(spec.bounds[0]), float(spec.bounds[1])),
            peak=spec.peak,
            mean=spec.mean,
            sd=spec.sd,
            label=spec.label or name.replace("_", " "),
            reason=" ".join(spec.reason.split()),
            key_field="key" if spec.key is not None else "keys",
        )
        for name, spec in raw.factors.items()
    )
    behaviour = None
    if raw.posterior is not None:
        from ..calibration.posterior import load_posterior
        from .behaviour import NAME, behaviour_of, grouped_factor

        if NAME in raw.factors:
            raise sim.ParamsError(
                where,
                f"factors.{NAME}",
                f"'{NAME}' is reserved for the posterior's grouped factor; rename this factor",
            )
        base = where.parent if where else Path()
        posterior = load_posterior(base / raw.posterior, where or "study", "posterior")
        behaviour = behaviour_of(posterior, raw.master_seed)
        factors += (grouped_factor(posterior),)
    factors += (dummy_factor(),)
    scenarios = tuple(raw.scenarios)
    if len(set(scenarios)) != len(scenarios):
        raise sim.ParamsError(where, "scenarios", "lists a name twice")
    return Study(
        name=raw.name,
        description=raw.description,
        factors=factors,
        methods=Methods(raw.sobol, raw.morris, raw.pawn, raw.levers, raw.emulator),
        outcomes=tuple(raw.outcomes),
        scenarios=scenarios,
        replications=raw.replications,
        master_seed=raw.master_seed,
        analysis=raw.analysis,
        policy=raw.policy,
        overrides=flatten(raw.overrides),
        custom_policies=custom_policies.texts(where, raw.custom_policies, None),
        chunk_size=raw.chunk_size,
        path=where,
        text=text,
        baseline=(where.parent / raw.baseline) if where else Path(raw.baseline),
        uncertain=raw.uncertain,
        behaviour=behaviour,
    )


def dummy_factor() -> Factor:
    """The dummy factor every study carries: sampled like the others, ignored by the model,
    and run on its own seeds, so its indices show the seed-noise floor (issue 13)."""
    return Factor(
        name=DUMMY,
        role="dummy",
        keys=(),
        mode="set",
        bounds=(0.0, 1.0),
        label="dummy (no effect; seed noise only)",
        reason="Sets nothing in the model; its design rows run on independent seeds, so any "
        "index it gets is seed noise or estimator error: the yardstick for every verdict.",
        key_field="key",
    )


def load_study(path: str | Path, baseline: str | Path | None = None) -> Study:
    """Read a study file and validate it, also against the params it will run.

    ``baseline`` replaces the file's own baseline path. The returned study
    carries the concrete params keys (and their values) each factor sets
    in each scenario.
    """
    path = Path(path)
    text, tree = read_tree(path)
    if "factors" not in tree:
        raise sim.ParamsError(
            path,
            "factors",
            "not a sensitivity study (no [factors] table); run a sweep experiment with "
            "`mediacluster sweep`",
        )
    study = parse_study(tree, path, text)
    base = Path(baseline) if baseline else study.baseline
    if not base.is_file():
        raise sim.ParamsError(path, "baseline", f"file not found: {base}")
    study = _with(study, baseline=base)
    return check_with_params(study)


def check_with_params(study: Study) -> Study:
    """Check names, outcomes and factor keys against the params; return the study with
    ``scenarios`` resolved, ``targets`` and ``years`` filled in."""
    path, base = study.path, study.baseline
    params_dir = base.parent
    known = sim.available(params_dir, "scenarios")
    if study.scenarios == (ALL,):
        # Shared with the sweep: "all" matching no file is bad input, never an empty study.
        known = resolve_names(path, "scenarios", [ALL], params_dir)
    scenarios = tuple(known) if study.scenarios == (ALL,) else study.scenarios
    for i, name in enumerate(scenarios):
        if name not in known and name != "baseline":
            raise sim.ParamsError(
                path, f"scenarios[{i}]", f"unknown scenario '{name}' (known: {', '.join(known)})"
            )
    custom_policies.check_clashes(path, study.custom_policies, params_dir)
    policies = [*sim.available(params_dir, "policies"), *study.custom_policies]
    if study.policy not in policies:
        raise sim.ParamsError(
            path, "policy", f"unknown policy '{study.policy}' (known: {', '.join(policies)})"
        )
    if study.uncertain:
        study = _with_uncertain(study, _load(study, scenarios[0], {}))
    targets: Targets = {}
    params = None
    for scenario in scenarios:
        params = _load(study, scenario, {})
        tree = params.model_dump(mode="python")
        targets[scenario] = {f.name: _expand(study, f, tree) for f in study.model_factors}
    first = scenarios[0]
    for f in study.model_factors:
        for scenario in scenarios[1:]:
            if [k for k, _ in targets[scenario][f.name]] != [k for k, _ in targets[first][f.name]]:
                raise sim.ParamsError(
                    path,
                    f"factors.{f.name}",
                    f"matches other params keys in '{scenario}' than in '{first}'; "
                    "a factor must set the same keys in every scenario",
                )
    if study.behaviour is not None:
        study = _with_behaviour(study, scenarios, targets)
    columns = set(sim.outcome_columns(params)) - {"year"}
    for i, name in enumerate(study.outcomes):
        if name not in columns and name not in DERIVED_OUTCOMES:
            raise sim.ParamsError(
                path,
                f"outcomes[{i}]",
                f"unknown outcome '{name}' (a yearly model column or one of "
                f"{', '.join(DERIVED_OUTCOMES)})",
            )
    _check_corners(study, targets)
    years = tuple(range(params.run.start_year, params.run.end_year + 1))
    return _with(study, scenarios=scenarios, targets=targets, years=years)


def overrides_at(targets: dict[str, list[tuple[str, float]]], factor: Factor, value: float):
    """The params overrides (dotted key -> value) that put ``factor`` at ``value``."""
    if factor.is_dummy or factor.grouped:
        return {}  # the grouped factor's overrides come from study.behaviour
    if factor.mode == "scale":
        return {key: base * value for key, base in targets[factor.name]}
    return {key: value for key, _ in targets[factor.name]}


def yearly(name: str) -> bool:
    """True if the outcome has a value every year (a model column or a yearly derived one)."""
    return DERIVED_OUTCOMES.get(name, (True, ""))[0]


# --------------------------------------------------------------------------- helpers


def _with(study: Study, **changes) -> Study:
    from dataclasses import replace

    return replace(study, **changes)


def _with_uncertain(study: Study, params: sim.Params) -> Study:
    """The study with a uniform parameter factor for every ``[uncertain]`` entry of the params
    whose key no factor of the file sets already (docs/design.md §3.8)."""
    tree = params.model_dump(mode="python")
    covered = covered_keys(tree, [p for f in study.factors for p in f.keys])
    defaults = uncertain_defaults(params, covered, set(study.factor_names), study.path, "factors")
    added = [
        Factor(
            name=name,
            role="parameter",
            keys=(spec.key,),
            mode="set",
            bounds=(float(spec.bounds[0]), float(spec.bounds[1])),
            label=name.replace("_", " "),
            reason=" ".join(spec.reason.split()) + " (params [uncertain])",
        )
        for name, spec in defaults
    ]
    # before the dummy (the noise yardstick stays the last factor)
    own = [f for f in study.factors if f.role != "dummy"]
    dummies = [f for f in study.factors if f.role == "dummy"]
    return _with(study, factors=tuple(own) + tuple(added) + tuple(dummies))


def _with_behaviour(study: Study, scenarios: tuple[str, ...], targets: Targets) -> Study:
    """Check the posterior against the study (no factor and no [overrides] entry may set
    a key the posterior sets; the params load with its extreme particles) and fill in
    every slotted particle's overrides per scenario."""
    behaviour = study.behaviour
    grouped = next(f for f in study.factors if f.grouped)
    for scenario in scenarios:
        owned = {key for key, _ in targets[scenario][grouped.name]}
        for f in study.model_factors:
            if f.grouped:
                continue
            for key, _ in targets[scenario][f.name]:
                if key in owned:
                    raise sim.ParamsError(
                        study.path,
                        f"factors.{f.name}",
                        f"sets '{key}', which the posterior sets (its grouped factor "
                        f"'{grouped.name}' varies it); remove this factor or the posterior",
                    )
        fixed = sorted(owned & set(study.overrides))
        if fixed:
            raise sim.ParamsError(
                study.path, "posterior", f"[overrides] fixes {fixed[0]}, which the posterior sets"
            )
    behaviour = behaviour.with_overrides({s: _load(study, s, {}) for s in scenarios})
    for scenario in scenarios:
        for row in behaviour.extreme_rows():
            try:
                _load(study, scenario, behaviour.by_scenario[scenario][row])
            except sim.ParamsError as err:
                problem = f"particle {row} ({scenario}): {err.key}: {err.problem}"
                raise sim.ParamsError(study.path, "posterior", problem) from None
    return _with(study, behaviour=behaviour)


def _load(study: Study, scenario: str, extra: dict[str, Any]) -> sim.Params:
    overrides = {**study.overrides, **extra}
    loader = custom_policies.baseline_with(study.baseline, study.custom_policies)
    try:
        return sim.load_params(loader, scenario=scenario, policy=study.policy, overrides=overrides)
    except sim.ParamsError as err:
        if err.file == "--set" and err.key in study.overrides:
            raise sim.ParamsError(study.path, f"overrides.{err.key}", err.problem) from None
        raise custom_policies.real_error(
            err, study.path, loader, study.baseline, study.custom_policies
        ) from None


def _expand(study: Study, factor: Factor, tree: dict) -> list[tuple[str, float]]:
    """Concrete keys (and their params values) matched by the factor's key patterns."""
    found: list[tuple[str, float]] = []
    for i, pattern in enumerate(factor.keys):
        where = f"factors.{factor.name}." + ("key" if factor.key_field == "key" else f"keys[{i}]")
        matches = match_keys(tree, pattern)
        if not matches:
            raise sim.ParamsError(study.path, where, f"no params key matches '{pattern}'")
        for key, value in matches:
            if isinstance(value, bool) or not isinstance(value, float):
                raise sim.ParamsError(
                    study.path, where, f"'{key}' is not a real number ({value!r})"
                )
            if factor.is_lever and not _is_lever_key(key):
                raise sim.ParamsError(
                    study.path,
                    where,
                    f"a lever must set policy.<lever>.value (levers: {', '.join(sim.LEVERS)})",
                )
            found.append((key, value))
    keys = [k for k, _ in found]
    if len(set(keys)) != len(keys):
        raise sim.ParamsError(study.path, f"factors.{factor.name}", "matches a key twice")
    return found


def _is_lever_key(key: str) -> bool:
    parts = key.split(".")
    return (
        len(parts) == 3 and parts[0] == "policy" and parts[1] in sim.LEVERS and parts[2] == "value"
    )


def _check_corners(study: Study, targets: Targets) -> None:
    """Load the params with all factors at their lower, then at their upper bounds."""
    owner = {}
    for f in study.model_factors:
        for scenario in targets:
            for key, _ in targets[scenario][f.name]:
                if key in owner and owner[key] != f.name:
                    raise sim.ParamsError(
                        study.path,
                        f"factors.{f.name}",
                        f"sets '{key}', which factor '{owner[key]}' sets too",
                    )
                owner[key] = f.name
                if key in study.overrides:
                    raise sim.ParamsError(
                        study.path, f"factors.{f.name}", f"sets '{key}', which [overrides] fixes"
                    )
    for scenario, by_factor in targets.items():
        for side, label in ((0, "lower"), (1, "upper")):
            extra = {}
            for f in study.model_factors:
                extra.update(overrides_at(by_factor, f, f.bounds[side]))
            try:
                _load(study, scenario, extra)
            except sim.ParamsError as err:
                name = owner.get(err.key or "")
                key = f"factors.{name}.bounds" if name else "factors"
                problem = f"at the {label} bound ({scenario}): {err.key}: {err.problem}"
                raise sim.ParamsError(study.path, key, problem) from None


def _params_error(path: Any, err: ValidationError) -> sim.ParamsError:
    """The sweep/study file's validation error as one ParamsError."""
    return sim.ParamsError(path, *sim.describe_validation_error(err))
