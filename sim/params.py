"""Params: TOML files, overlays and their validation.

A run's params are built in layers, each overriding the one before:
``baseline.toml`` <- ``scenarios/NAME.toml`` <- ``policies/NAME.toml`` <-
``--set KEY=VALUE`` overrides. Tables merge key by key; a driver path
(``drivers.NAME``) is replaced whole, so a scenario never inherits stray
years from the baseline. The merged tree is validated by the pydantic
schema below (unknown keys are rejected). Every problem is raised as one
:class:`ParamsError` naming the file that set the key, the key path and
what is wrong.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# Drivers every model reads (the agglomeration and facility terms). Every
# other driver is named by a kind (``kinds.*.growth_driver`` and the other
# role keys below), so kinds and the drivers that move them are data.
CORE_DRIVERS = ("proximity_importance", "spillover_decay_minutes", "facility_importance")
# Drivers a mechanism reads when present (absent = 0 every year).
OPTIONAL_DRIVERS = ("other_tenant_absorption",)
LEVERS = (
    "space_expansion_m2_per_year",
    "rent_subsidy",
    "talent_programme_students",
    "innovation_fund_meur_per_year",
    "shared_facilities",
    "accessibility_minutes_saved",
    "campus_amenity",
    "cooperation_programme",
    "space_permission_m2",
)
# Which lever reaches whom: levers that act on chosen kinds (``kinds``) and
# the lever that acts on routes from the home place (``places``).
LEVERS_WITH_KINDS = ("rent_subsidy", "innovation_fund_meur_per_year", "cooperation_programme")
LEVERS_WITH_PLACES = ("accessibility_minutes_saved",)
AGENT_CLASSES = (
    "Organisation",
    "Broadcaster",
    "ProductionCompany",
    "TechFirm",
    "School",
    "StartUp",
)
SHARE_TOLERANCE = 1e-6


class ParamsError(Exception):
    """A bad input: one message naming the file, the key path and the problem."""

    def __init__(self, file: str | Path | None, key: str | None, problem: str):
        self.file, self.key, self.problem = (str(file) if file else None), key, problem
        where = ": ".join(part for part in (self.file, key) if part)
        super().__init__(f"{where}: {problem}" if where else problem)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


Unit = Field(ge=0.0, le=1.0)


class RunConfig(Strict):
    start_year: int = Field(ge=1900, le=2200)
    end_year: int = Field(ge=1900, le=2200)
    seed: int = Field(ge=0)
    decision_batch: int = Field(ge=1)
    logit_scale: float = Field(gt=0.0)
    calibrate: bool = True
    tipping_threshold: float = Field(gt=0.0, lt=1.0)

    @model_validator(mode="after")
    def _years(self) -> RunConfig:
        if self.end_year <= self.start_year:
            raise ValueError(
                f"end_year ({self.end_year}) must be after start_year ({self.start_year})"
            )
        return self


class Reference(Strict):
    mass_jobs: float = Field(gt=0.0)
    rent: float = Field(gt=0.0)
    talent: float = Field(gt=0.0)


class Location(Strict):
    floor_space_m2: float = Field(gt=0.0)  # inf = unconstrained
    base_rent: float = Field(gt=0.0)
    rent_trend: float = Field(ge=-0.5, le=0.5)
    talent_pool: float = Field(ge=0.0)
    facility_quality: float = Unit
    amenity: float = Unit
    media_valley: bool
    eg_reference_share: float = Field(gt=0.0, le=1.0)
    occupancy_2025: float | None = Field(None, gt=0.0, le=1.0)
    # The space market of a constrained place (sim/space.py); see [space].
    permission_m2: float | None = Field(None, gt=0.0)  # ceiling of the stock; None/inf = none
    development_rate: float = Field(0.0, ge=0.0, le=1.0)  # share of the gap started per year
    pipeline_m2: dict[int, float] = {}  # m² under construction in 2025, by year of delivery
    internal_minutes: float = Field(0.0, ge=0.0)  # spread of a region: travel within it


class SpaceMarket(Strict):
    """Market-wide rules of the floor-space market (sim/space.py)."""

    development_lag_years: int = Field(ge=0, le=20)
    development_trigger_occupancy: float = Field(gt=0.0, le=1.0)
    conversion_rate: float = Unit


class ScaleUp(Strict):
    """Organisations of a kind past ``min_age`` become ``into`` at a yearly ``rate``."""

    into: str
    min_age: int = Field(ge=0)
    rate: float = Unit


class Kind(Strict):
    """A kind of organisation: its size, 2025 places, preferences and behaviour roles.

    The role keys (``growth_driver`` … ``startup``) say which mechanisms act
    on the kind; a key left out means the mechanism does not act on it, so a
    new kind is a params table (plus, at most, a small agent class).
    """

    label: str = ""  # human name for figures and tables; default: the key
    agent: str = "Organisation"  # the Mesa agent class (sim.agents), one of AGENT_CLASSES
    count: int = Field(ge=0)
    employees_median: float = Field(gt=0.0)
    employees_sigma: float = Field(ge=0.0, le=3.0)
    employees_min: float = Field(gt=0.0)
    space_per_employee_m2: float = Field(gt=0.0)
    students_per_org: float = Field(0.0, ge=0.0)
    shares_2025: dict[str, float]
    asc: dict[str, float] = {}
    rent_weight: float = Field(ge=0.0)
    talent_weight: float = Field(ge=0.0)
    facility_weight: float = Field(ge=0.0)
    amenity_weight: float = Field(ge=0.0)
    moving_cost: float = Field(ge=0.0)
    relocation_hazard: float = Unit
    # behaviour roles (each names a driver in [drivers], a kind or a location)
    growth_driver: str | None = None  # yearly employment growth of each organisation
    entry_driver: str | None = None  # entrants per year = driver × 2025 count (Poisson)
    consolidation_driver: str | None = None  # yearly merger probability of a co-located org
    exit_below_employees: float = Field(0.0, ge=0.0)  # closes when smaller than this
    exit_hazard: float | None = Field(None, ge=0.0, le=1.0)  # yearly; None: never drawn
    exit_spillover_protection: float = Field(0.0, ge=0.0)  # ω: hazard · exp(−ω·own spillover)
    scale_up: ScaleUp | None = None
    pulls: dict[str, str] = {}  # location -> driver added to the utility there
    spillover_drivers: dict[str, str] = {}  # other kind -> driver added to γ[this, other]
    startup: bool = False  # counted in the start-up outcomes (births, failures, scale-ups)


class TravelDriver(Strict):
    """A driver's value (minutes) added to the travel time between two places."""

    between: tuple[str, str]
    driver: str


class Places(Strict):
    home: str  # where the policy levers act; outcome columns are named after it
    travel_drivers: list[TravelDriver] = []  # scenario changes of travel times


class Demography(Strict):
    school_programme_years: float = Field(gt=0.0)
    talent_attrition: float = Unit
    talent_drift: float = Unit
    rent_elasticity: float = Field(ge=0.0)
    target_occupancy: float = Field(gt=0.0, le=1.0)
    rent_floor_factor: float = Field(gt=0.0, le=1.0)
    rent_cap_factor: float = Field(ge=1.0)


class Lever(Strict):
    value: float = Field(0.0, ge=0.0)
    start_year: int = Field(ge=1900, le=2200)
    kinds: list[str] | None = None  # levers in LEVERS_WITH_KINDS: who it reaches (None: all)
    places: list[str] | None = None  # levers in LEVERS_WITH_PLACES: routes from home it shortens


class Policy(Strict):
    name: str
    description: str = ""
    space_expansion_m2_per_year: Lever
    space_permission_m2: Lever
    rent_subsidy: Lever
    talent_programme_students: Lever
    innovation_fund_meur_per_year: Lever
    shared_facilities: Lever
    accessibility_minutes_saved: Lever
    campus_amenity: Lever
    cooperation_programme: Lever

    @model_validator(mode="after")
    def _bounds(self) -> Policy:
        if self.rent_subsidy.value >= 1.0:
            raise ValueError("rent_subsidy.value is a share of rent and must be below 1")
        for name in ("shared_facilities", "campus_amenity"):
            if getattr(self, name).value > 1.0:
                raise ValueError(f"{name}.value adds to a 0-1 index and must be at most 1")
        return self


class PolicyCosts(Strict):
    """Unit costs of the levers (million euro), summed into policy_cost_meur."""

    space_meur_per_m2: float = Field(ge=0.0)
    rent_subsidy_share_paid: float = Unit
    talent_meur_per_student_year: float = Field(ge=0.0)
    facilities_meur_per_point_year: float = Field(ge=0.0)
    accessibility_meur_per_minute_year: float = Field(ge=0.0)
    amenity_meur_per_point_year: float = Field(ge=0.0)
    cooperation_meur_per_point_year: float = Field(ge=0.0)
    discount_rate: float = Field(ge=0.0, le=0.2)  # yearly, for policy_cost_discounted_meur


class PolicyEffects(Strict):
    """How the money-denominated levers act (sim.policy)."""

    innovation_max_utility: float = Field(ge=0.0)  # utility of a saturated grant
    innovation_grant_scale_meur: float = Field(gt=0.0)  # grant at 1 − 1/e of the maximum
    innovation_grant_cap_meur: float = Field(gt=0.0)  # largest yearly grant per firm
    incubation_support_max: float = Unit  # share of the exit hazard a saturated grant removes
    cooperation_gamma_per_point: float = Field(ge=0.0)  # Δγ per point of the programme
    incubation_kinds: list[str] = []  # kinds whose exit hazard the fund's incubation lowers


class Uncertain(Strict):
    """A coefficient without a firm source: the range studies vary it over, and why."""

    key: str  # dotted params key path of a number
    bounds: tuple[float, float]
    reason: str = Field(min_length=10)


class Scenario(Strict):
    name: str
    description: str = ""


class Params(Strict):
    """The whole validated parameter tree of one model run."""

    scenario: Scenario
    run: RunConfig
    reference: Reference
    places: Places
    locations: dict[str, Location]
    travel_minutes: dict[str, dict[str, float]]
    kinds: dict[str, Kind]
    spillover: dict[str, dict[str, float]]
    demography: Demography
    space: SpaceMarket
    drivers: dict[str, dict[int, float]]
    policy: Policy
    policy_costs: PolicyCosts
    policy_effects: PolicyEffects
    uncertain: dict[str, Uncertain] = {}

    @property
    def location_names(self) -> list[str]:
        return list(self.locations)

    @property
    def kind_names(self) -> list[str]:
        """The kinds in params order (the model's kind index)."""
        return list(self.kinds)

    @property
    def home(self) -> str:
        return self.places.home

    def kind_label(self, kind: str) -> str:
        """Human name of a kind (its ``label``, else the key with spaces)."""
        return self.kinds[kind].label or kind.replace("_", " ")

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the params: equal params, equal hash."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _cross_checks(p: Params) -> list[tuple[str, str]]:
    """Checks across sections; returns (key path, problem) pairs."""
    problems: list[tuple[str, str]] = []
    locs = set(p.locations)
    if p.places.home not in locs:
        problems.append(("places.home", f"unknown location '{p.places.home}' (policies act on it)"))
    for name, row in p.travel_minutes.items():
        if name not in locs:
            problems.append((f"travel_minutes.{name}", f"unknown location '{name}'"))
            continue
        for other, minutes in row.items():
            if other not in locs:
                problems.append((f"travel_minutes.{name}.{other}", f"unknown location '{other}'"))
            elif minutes < 0:
                problems.append((f"travel_minutes.{name}.{other}", "must be >= 0"))
    for a in locs:
        for b in locs:
            if a != b and _minutes(p.travel_minutes, a, b) is None:
                problems.append((f"travel_minutes.{a}.{b}", "missing travel time"))
    for name, loc in p.locations.items():
        if math.isfinite(loc.floor_space_m2) and loc.occupancy_2025 is None:
            problems.append(
                (f"locations.{name}.occupancy_2025", "required where floor_space_m2 is finite")
            )
    problems += _space_checks(p)
    for lever in LEVERS:
        start = getattr(p.policy, lever).start_year
        if start <= p.run.start_year:
            problems.append(
                (
                    f"policy.{lever}.start_year",
                    f"must be after run.start_year ({p.run.start_year}): the first year is the "
                    "observed, calibrated state without policy",
                )
            )
    if not p.kinds:
        problems.append(("kinds", "at least one kind is needed"))
    problems += _kind_role_checks(p)
    for kind, spec in p.kinds.items():
        key = f"kinds.{kind}.shares_2025"
        unknown = set(spec.shares_2025) - locs
        if unknown:
            problems.append((key, f"unknown locations: {', '.join(sorted(unknown))}"))
        absent = locs - set(spec.shares_2025)
        if absent:
            problems.append((key, f"no share given for: {', '.join(sorted(absent))}"))
        if any(not (0.0 < s <= 1.0) for s in spec.shares_2025.values()):
            problems.append((key, "every share must be in (0, 1]; use a small value, not 0"))
        total = sum(spec.shares_2025.values())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append((key, f"shares sum to {total:.6g}, must sum to 1"))
        for loc in set(spec.asc) - locs:
            problems.append((f"kinds.{kind}.asc.{loc}", f"unknown location '{loc}'"))
        if spec.employees_min > spec.employees_median:
            problems.append((f"kinds.{kind}.employees_min", "must not exceed employees_median"))
    for name, path in p.drivers.items():
        if not path:
            problems.append((f"drivers.{name}", "a path needs at least one year"))
    absent_drivers = [d for d in CORE_DRIVERS if d not in p.drivers]
    if absent_drivers:
        problems.append(("drivers", f"missing drivers: {', '.join(absent_drivers)}"))
    used = set(CORE_DRIVERS) | set(OPTIONAL_DRIVERS) | set(_driver_uses(p))
    for name in p.drivers:
        if name not in used:
            problems.append(
                (
                    f"drivers.{name}",
                    "no kind or mechanism uses this driver (is its kind missing? kinds name "
                    "drivers in growth_driver, entry_driver, consolidation_driver, pulls, "
                    "spillover_drivers; routes in places.travel_drivers)",
                )
            )
    decay = p.drivers.get("spillover_decay_minutes", {})
    if any(v <= 0 for v in decay.values()):
        problems.append(("drivers.spillover_decay_minutes", "must be > 0 minutes"))
    absorption = p.drivers.get("other_tenant_absorption", {})
    if any(not (0.0 <= v <= 1.0) for v in absorption.values()):
        problems.append(("drivers.other_tenant_absorption", "must be a share in [0, 1] per year"))
    problems += _uncertain_checks(p)
    total_ref = sum(loc.eg_reference_share for loc in p.locations.values())
    if abs(total_ref - 1.0) > SHARE_TOLERANCE:
        problems.append(
            ("locations.*.eg_reference_share", f"shares sum to {total_ref:.6g}, must sum to 1")
        )
    return problems


def value_at(p: Params, key: str) -> Any:
    """The params value at a dotted key path (KeyError if there is none)."""
    node: Any = p.model_dump(mode="python")
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


def _uncertain_checks(p: Params) -> list[tuple[str, str]]:
    """Every [uncertain] entry names a number and has proper bounds."""
    problems: list[tuple[str, str]] = []
    for name, spec in p.uncertain.items():
        where = f"uncertain.{name}"
        low, high = spec.bounds
        if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
            problems.append(
                (f"{where}.bounds", f"must be finite with lower < upper, got {low}, {high}")
            )
            continue
        try:
            value = value_at(p, spec.key)
        except KeyError:
            problems.append((f"{where}.key", f"no params key '{spec.key}'"))
            continue
        # (a value outside the bounds is allowed: a study may set it there)
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append((f"{where}.key", f"'{spec.key}' is not a number"))
    return problems


def _space_checks(p: Params) -> list[tuple[str, str]]:
    """The space market's inputs: permissions, pipelines and development where they apply."""
    problems: list[tuple[str, str]] = []
    lag = p.space.development_lag_years
    for name, loc in p.locations.items():
        key = f"locations.{name}"
        if not math.isfinite(loc.floor_space_m2):
            # permission_m2 and development_rate are moot there (so that
            # floor_space_m2 = inf alone switches a place's capacity off)
            if loc.pipeline_m2:
                problems.append(
                    (
                        f"{key}.pipeline_m2",
                        "a pipeline for an unconstrained place (floor_space_m2 = inf)",
                    )
                )
            continue
        if loc.permission_m2 is not None and loc.permission_m2 < loc.floor_space_m2:
            problems.append(
                (
                    f"{key}.permission_m2",
                    f"permission ({loc.permission_m2:,.0f} m²) is below the built stock "
                    f"floor_space_m2 ({loc.floor_space_m2:,.0f} m²)",
                )
            )
        first, last = p.run.start_year + 1, p.run.start_year + max(lag, 1)
        for year, m2 in loc.pipeline_m2.items():
            if not first <= year <= last:
                problems.append(
                    (
                        f"{key}.pipeline_m2.{year}",
                        f"a 2025 project is delivered within the lag: years {first}-{last}",
                    )
                )
            elif m2 < 0:
                problems.append((f"{key}.pipeline_m2.{year}", "must be >= 0 m²"))
        ceiling = loc.permission_m2 if loc.permission_m2 is not None else math.inf
        if loc.floor_space_m2 + sum(loc.pipeline_m2.values()) > ceiling:
            problems.append((f"{key}.pipeline_m2", "stock plus pipeline exceeds permission_m2"))
    return problems


def _driver_uses(p: Params) -> dict[str, str]:
    """Driver name -> the first key path that names it."""
    uses: dict[str, str] = {}
    for kind, spec in p.kinds.items():
        for role in ("growth_driver", "entry_driver", "consolidation_driver"):
            name = getattr(spec, role)
            if name is not None:
                uses.setdefault(name, f"kinds.{kind}.{role}")
        for table in ("pulls", "spillover_drivers"):
            for key, name in getattr(spec, table).items():
                uses.setdefault(name, f"kinds.{kind}.{table}.{key}")
    for i, route in enumerate(p.places.travel_drivers):
        uses.setdefault(route.driver, f"places.travel_drivers[{i}].driver")
    return uses


def _kind_role_checks(p: Params) -> list[tuple[str, str]]:
    """Names in the kinds' roles, the spillover matrix and the levers must exist."""
    problems: list[tuple[str, str]] = []
    kinds, locs = set(p.kinds), set(p.locations)
    for name, key in _driver_uses(p).items():
        if name not in p.drivers:
            problems.append((key, f"unknown driver '{name}' (not in [drivers])"))
    for kind, spec in p.kinds.items():
        if spec.agent not in AGENT_CLASSES:
            known = ", ".join(AGENT_CLASSES)
            problems.append(
                (f"kinds.{kind}.agent", f"unknown agent class '{spec.agent}' ({known})")
            )
        if spec.scale_up is not None and spec.scale_up.into not in kinds:
            problems.append((f"kinds.{kind}.scale_up.into", f"unknown kind '{spec.scale_up.into}'"))
        for loc in set(spec.pulls) - locs:
            problems.append((f"kinds.{kind}.pulls.{loc}", f"unknown location '{loc}'"))
        for other in set(spec.spillover_drivers) - kinds:
            problems.append((f"kinds.{kind}.spillover_drivers.{other}", f"unknown kind '{other}'"))
    for kind, row in p.spillover.items():
        if kind not in kinds:
            problems.append((f"spillover.{kind}", f"unknown kind '{kind}'"))
            continue
        for other in set(row) - kinds:
            problems.append((f"spillover.{kind}.{other}", f"unknown kind '{other}'"))
    for lever in LEVERS:
        spec = getattr(p.policy, lever)
        if spec.kinds is not None:
            if lever not in LEVERS_WITH_KINDS:
                problems.append((f"policy.{lever}.kinds", "this lever does not act on kinds"))
            for kind in spec.kinds:
                if kind not in kinds:
                    problems.append((f"policy.{lever}.kinds", f"unknown kind '{kind}'"))
        if spec.places is not None:
            if lever not in LEVERS_WITH_PLACES:
                problems.append((f"policy.{lever}.places", "this lever does not act on places"))
            for loc in spec.places:
                if loc not in locs or loc == p.places.home:
                    problems.append(
                        (f"policy.{lever}.places", f"'{loc}' is not a location other than home")
                    )
    for i, route in enumerate(p.places.travel_drivers):
        for loc in route.between:
            if loc not in locs:
                problems.append(
                    (f"places.travel_drivers[{i}].between", f"unknown location '{loc}'")
                )
        if route.between[0] == route.between[1]:
            problems.append((f"places.travel_drivers[{i}].between", "needs two different places"))
    for kind in p.policy_effects.incubation_kinds:
        if kind not in kinds:
            problems.append(("policy_effects.incubation_kinds", f"unknown kind '{kind}'"))
    return problems


def _minutes(table: dict[str, dict[str, float]], a: str, b: str) -> float | None:
    if a == b:
        return 0.0  # the diagonal of travel_matrix is each place's internal_minutes
    if b in table.get(a, {}):
        return table[a][b]
    return table.get(b, {}).get(a)


def travel_matrix(p: Params) -> list[list[float]]:
    """Symmetric travel minutes between locations in ``p.locations`` order.

    The diagonal is each place's ``internal_minutes``: a region spread over
    a country (``rest_nl``, ``abroad``) is not one point, so its own jobs are
    reached at a distance and agglomeration inside it is weaker than in a town.
    """
    names = p.location_names
    return [
        [
            p.locations[a].internal_minutes if a == b else _minutes(p.travel_minutes, a, b)
            for b in names
        ]
        for a in names
    ]


# --------------------------------------------------------------------------- loading


# Parsed params files by their text. A sweep loads the same few files for
# every run, and parsing TOML was ~85% of load_params (about 10 ms a run);
# keyed by content, an edited file is never served stale.
_PARSED: dict[bytes, dict[str, Any]] = {}
_PARSED_MAX = 64


def read_text(path: str | Path) -> str:
    """A params file's text (UTF-8), turning I/O errors into ParamsError."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParamsError(path, None, "file not found") from None
    except UnicodeDecodeError as err:
        raise ParamsError(path, None, not_utf8(err)) from None
    except OSError as err:
        raise ParamsError(path, None, f"cannot read: {err.strerror}") from None


def not_utf8(err: UnicodeDecodeError) -> str:
    """The problem of a file that is not UTF-8 text, in words (which byte, where)."""
    return (
        f"not UTF-8 text (byte {err.object[err.start]:#04x} at offset {err.start}); "
        "save the file as UTF-8"
    )


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file, turning I/O and syntax errors into ParamsError.

    Returns a fresh tree on each call (callers merge into it).
    """
    text = read_text(path)
    if text not in _PARSED:
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ParamsError(path, None, f"invalid TOML: {err}") from None
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[text] = parsed
    return copy.deepcopy(_PARSED[text])


def _merge(base: dict, top: dict, source: str, origin: dict, prefix: str = "") -> None:
    """Overlay ``top`` onto ``base`` in place, recording which file set each key."""
    for key, value in top.items():
        path = f"{prefix}{key}"
        is_driver_path = prefix == "drivers."
        if isinstance(value, dict) and isinstance(base.get(key), dict) and not is_driver_path:
            origin.setdefault(path, source)
            _merge(base[key], value, source, origin, path + ".")
        else:
            base[key] = copy.deepcopy(value)
            _mark(origin, path, value, source)


def _mark(origin: dict, path: str, value: Any, source: str) -> None:
    origin[path] = source
    if isinstance(value, dict):
        for key, sub in value.items():
            _mark(origin, f"{path}.{key}", sub, source)


def available(params_dir: str | Path, folder: str) -> list[str]:
    """Names of the scenario or policy files in ``params_dir/folder``."""
    return sorted(f.stem for f in (Path(params_dir) / folder).glob("*.toml"))


def _overlay_file(params_dir: Path, folder: str, name: str) -> Path:
    path = params_dir / folder / f"{name}.toml"
    # A name, never a path: "../policies/all-in" would load another role's file.
    if not path.is_file() or Path(name).name != name or name.startswith("."):
        known = ", ".join(available(params_dir, folder)) or "none"
        label = {"scenarios": "scenario", "policies": "policy"}[folder]
        raise ParamsError(params_dir / folder, label, f"unknown {label} '{name}' (known: {known})")
    return path


def parse_value(text: str) -> Any:
    """Parse an override value as a TOML value; bare words are strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _apply_override(tree: dict, key: str, value: Any, origin: dict) -> None:
    parts = key.split(".")
    node = tree
    for depth, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node:
            known = ", ".join(sorted(node)) if isinstance(node, dict) else "none"
            where = ".".join(parts[: depth + 1])
            raise ParamsError("--set", key, f"unknown key '{where}' (known here: {known})")
        node = node[part]
    leaf = parts[-1]
    if not isinstance(node, dict):
        raise ParamsError("--set", key, f"'{'.'.join(parts[:-1])}' is a value, not a table")
    # A new leaf is allowed (an optional key, a year on a driver path); the
    # schema then rejects it if it is unknown.
    node[leaf] = value
    origin[key] = "--set"


def _layer_rank(source: str) -> int:
    """Overlay order: baseline < scenario < policy < --set."""
    if source == "--set":
        return 3
    parent = Path(source).parent.name
    return {"scenarios": 1, "policies": 2}.get(parent, 0)


def _source_of(loc: tuple, origin: dict, default: str) -> str:
    """The file that set a key path: the latest layer that set it or anything under it."""
    path = ".".join(str(p) for p in loc)
    below = [src for key, src in origin.items() if key == path or key.startswith(path + ".")]
    if below:
        return max(below, key=_layer_rank)
    parts = path.split(".")
    for n in range(len(parts) - 1, 0, -1):
        hit = origin.get(".".join(parts[:n]))
        if hit:
            return hit
    return default


def describe_validation_error(err: ValidationError) -> tuple[str | None, str]:
    """(key path, problem) of a pydantic error's first problem, in words a user reads."""
    first = err.errors()[0]
    loc = first["loc"]
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or None
    problem = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        problem = "unknown key"
    elif first["type"] == "missing":
        problem = "required key is missing"
    elif first["type"] == "literal_error":
        problem = f"unknown name '{loc[-1]}'; {first['msg'].lower()}"
    more = len(err.errors()) - 1
    if more:
        problem += f" (and {more} more problem{'s' if more > 1 else ''})"
    return key, problem


def validate(tree: dict, origin: dict | None = None, default_source: str = "params") -> Params:
    """Validate a merged params tree; raise ParamsError on the first problem."""
    origin = origin or {}
    try:
        params = Params.model_validate(tree)
    except ValidationError as err:
        key, problem = describe_validation_error(err)
        loc = tuple(err.errors()[0]["loc"])
        raise ParamsError(_source_of(loc, origin, default_source), key, problem) from None
    problems = _cross_checks(params)
    if problems:
        key, problem = problems[0]
        src = _source_of(tuple(key.split(".")), origin, default_source)
        raise ParamsError(src, key, problem)
    return params


def load_params(
    baseline: str | Path = "params/baseline.toml",
    scenario: str | None = None,
    policy: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Params:
    """Load baseline <- scenario <- policy <- overrides and validate the result.

    ``scenario`` and ``policy`` are names of files in ``scenarios/`` and
    ``policies/`` beside the baseline. ``overrides`` maps dotted key paths
    (``"run.end_year"``) to values; string values are parsed as TOML.
    """
    baseline = Path(baseline)
    tree = read_toml(baseline)
    origin: dict[str, str] = {}
    _mark(origin, "", {}, str(baseline))
    for key, value in tree.items():
        _mark(origin, key, value, str(baseline))
    params_dir = baseline.parent
    if scenario and scenario != "baseline":
        path = _overlay_file(params_dir, "scenarios", scenario)
        _merge(tree, read_toml(path), str(path), origin)
    if policy:
        path = _overlay_file(params_dir, "policies", policy)
        _merge(tree, read_toml(path), str(path), origin)
    for key, value in (overrides or {}).items():
        _apply_override(tree, key, parse_value(value) if isinstance(value, str) else value, origin)
    return validate(tree, origin, str(baseline))


def check_file(path: str | Path) -> str:
    """Validate one params file of any role; return a one-line description.

    A baseline is validated on its own; a scenario or policy file is
    validated as an overlay on the baseline two folders up.
    """
    path = Path(path)
    tree = read_toml(path)
    role = path.parent.name
    if role in ("scenarios", "policies"):
        baseline = path.parent.parent / "baseline.toml"
        key = "scenario" if role == "scenarios" else "policy"
        kwargs = {key: path.stem}
        load_params(baseline, **kwargs)
        return f"{path}: valid {key} '{path.stem}'"
    if "run" in tree and "locations" in tree:
        load_params(path)
        return f"{path}: valid baseline"
    raise ParamsError(path, None, "not a params file (expected a baseline, scenario or policy)")


def is_unconstrained(space: float) -> bool:
    return math.isinf(space)
