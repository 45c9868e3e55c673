"""The explorer's model: the Media Valley model with levers a user can move mid-run.

A lever moved in the explorer acts on Hilversum from the next simulated
year on (or from the package's start year, if that is later and the
lever has not been moved). Floor space started by the expansion lever
stays in the pipeline and is built when the lever is later turned down:
the space market (``sim.space``) keeps its own ledger of projects. With no
lever moved the explorer's runs equal :class:`sim.MediaClusterModel` runs with
the same params and seed (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sim

DEFAULT_BASELINE = Path("params/baseline.toml")
DEFAULT_SCENARIO = "trend"
DEFAULT_PACKAGE = "none"
DEFAULT_SEED = 1


@dataclass(frozen=True)
class LeverSlider:
    """How one policy lever is shown: label, unit and slider range."""

    name: str
    label: str
    unit: str
    max: float
    step: float


# Slider ranges: the bounds of the levers in the sensitivity studies
# (params/experiments/policy-sensitivity*.toml, where each range is argued),
# so the explorer lets a user try what the study analyses and no more.
LEVER_SLIDERS = (
    LeverSlider("space_expansion_m2_per_year", "Extra floor space", "m²/yr", 12000.0, 500.0),
    LeverSlider("rent_subsidy", "Rent subsidy", "share of rent", 0.3, 0.05),
    LeverSlider("talent_programme_students", "Talent programme", "students", 3000.0, 250.0),
    LeverSlider("innovation_fund_meur_per_year", "Innovation fund", "M€/yr", 20.0, 1.0),
    LeverSlider("shared_facilities", "Shared studios", "+ facility index", 0.1, 0.01),
    LeverSlider("accessibility_minutes_saved", "Faster rail/road", "minutes saved", 15.0, 1.0),
    LeverSlider("campus_amenity", "Campus amenity", "+ amenity index", 0.35, 0.05),
    LeverSlider("cooperation_programme", "Cooperation programme", "points (Δγ)", 0.2, 0.01),
    LeverSlider("space_permission_m2", "Extra permission", "m²", 170000.0, 10000.0),
)


class ExplorerModel(sim.MediaClusterModel):
    """A model built from a scenario and a policy package name, with movable levers.

    All arguments are keywords with defaults, as Mesa's SolaraViz needs to
    rebuild the model on Reset.
    """

    def __init__(
        self,
        scenario: str = DEFAULT_SCENARIO,
        package: str = DEFAULT_PACKAGE,
        seed: int = DEFAULT_SEED,
        baseline: str | Path = DEFAULT_BASELINE,
    ):
        params = sim.load_params(
            baseline, scenario=None if scenario == "baseline" else scenario, policy=package
        ).model_copy(deep=True)  # its levers are moved in place: never share them
        super().__init__(params, seed=int(seed))
        self.scenario_name = scenario
        self.package_name = package
        self.moved: set[str] = set()

    def set_lever(self, name: str, value: float) -> None:
        """Set a lever's value; it acts from the next simulated year on."""
        if name not in sim.LEVERS:
            raise ValueError(f"unknown lever {name!r}")
        lever = getattr(self.params.policy, name)
        value = float(value)
        if value == lever.value:
            return
        lever.value = value
        lever.start_year = min(lever.start_year, self.year + 1)
        self.moved.add(name)

    def lever_value(self, name: str) -> float:
        """The lever's set value (whether or not it has started)."""
        return float(getattr(self.params.policy, name).value)

    def lever_start(self, name: str) -> int:
        """The first year the lever acts."""
        return int(getattr(self.params.policy, name).start_year)

    def cumulative_cost_meur(self) -> float:
        """Policy cost so far (million euro), 2025 up to the current year."""
        return float(self.outcomes()["policy_cost_meur"].sum())
