"""The floor-space market: stock that is built, filled, converted — and runs out.

Every place with a finite ``floor_space_m2`` (the Media Park, Amsterdam's
and Utrecht's office markets) has

* a **built stock** (m²), shared by the modelled sector and *other
  tenants*: the rest of the place's office market, fixed at their 2025
  size (occupancy_2025 × stock minus what the sector needs in 2025);
* a **permission** (``permission_m2``), the ceiling the stock and the
  pipeline may not pass; the ``space_permission_m2`` lever raises
  Hilversum's;
* a **pipeline** of projects, each delivered ``development_lag_years``
  after it starts. Private developers start projects when the occupancy
  pressure passes ``development_trigger_occupancy``, a share
  ``development_rate`` of the gap to the stock that would bring it back
  to the trigger; the ``space_expansion_m2_per_year`` lever is public
  development at Hilversum, started before the private projects,
  paid per m² started;
* **conversion**: a share ``conversion_rate`` of the structurally vacant
  stock — vacancy beyond the frictional 1 − trigger — leaves each year (to
  homes and hotels, or demolished); occupied space never does;
* **absorption** by other tenants: in a year when the wider office market
  takes up vacancy (the driver ``other_tenant_absorption``, a share of the
  structurally vacant stock a year; 0 in the 2025–2040 baseline, so other
  tenants stay at their 2025 size), tenants outside the sector let that
  share of what is left after conversion. The 2010–2025 hindcast needs it:
  Hilversum's office vacancy fell from 19% (2014) to 13% (2017) as firms
  overflowed from Amsterdam, and the Media Park was "practically full"
  while broadcasters shed jobs.

Organisations need jobs × their kind's m² per employee, always; the model
(``sim.model``) asks :meth:`SpaceMarket.capacity` how much the sector may
occupy and reports every m² that did not fit (an arrival turned away,
growth held back, a scale-up deferred) with :meth:`SpaceMarket.turn_away`.
That unmet demand counts in the **pressure**, (occupied + turned away) /
stock, which sets the rent (:meth:`rent_factor`) and the developers'
response: scarcity shows in price *and* in demand turned away.

Unconstrained places have infinite stock, no pipeline and no other
tenants; their rent follows its trend.
"""

from __future__ import annotations

import math

import numpy as np

from .params import Params, ParamsError


class SpaceMarket:
    """Stock, permission, pipeline and unmet demand of every place (one array each)."""

    def __init__(self, params: Params, sector_need_2025: np.ndarray):
        """Set up 2025: the built stock, other tenants and projects under way.

        ``sector_need_2025`` is the m² the 2025 organisations need at each
        place (jobs × m² per employee). Other tenants fill the rest of the
        2025 occupancy; a sector that needs more than that is a bad input.
        """
        p = params
        self.names = p.location_names
        locs = [p.locations[n] for n in self.names]
        self.home = self.names.index(p.places.home)
        self.stock = np.array([loc.floor_space_m2 for loc in locs], dtype=float)
        self.constrained = np.isfinite(self.stock)
        self.permission_0 = np.array(
            [loc.permission_m2 if loc.permission_m2 is not None else math.inf for loc in locs]
        )
        self.permission = self.permission_0.copy()
        self.rate = np.array([loc.development_rate for loc in locs])
        self.lag = p.space.development_lag_years
        self.trigger = p.space.development_trigger_occupancy
        self.conversion_rate = p.space.conversion_rate
        occupancy = np.array(
            [loc.occupancy_2025 if loc.occupancy_2025 is not None else 0.0 for loc in locs]
        )
        finite = np.where(self.constrained, self.stock, 0.0)
        self.other = np.where(self.constrained, occupancy * finite - sector_need_2025, 0.0)
        for j in np.flatnonzero(self.constrained & (self.other < -1e-6 * self.stock)):
            raise ParamsError(
                None,
                f"locations.{self.names[j]}.floor_space_m2",
                f"the 2025 organisations there need {sector_need_2025[j]:,.0f} m², more than "
                f"the let part of the stock (occupancy_2025 × floor_space_m2 = "
                f"{occupancy[j] * self.stock[j]:,.0f} m²); raise floor_space_m2 or "
                "occupancy_2025",
            )
        self.other = np.maximum(self.other, 0.0)
        # Projects by year of delivery: {year: m² per place}.
        self.deliveries: dict[int, np.ndarray] = {}
        for j, loc in enumerate(locs):
            for year, m2 in loc.pipeline_m2.items():
                self.deliveries.setdefault(int(year), np.zeros(len(locs)))[j] += m2
        zeros = np.zeros(len(locs))
        self.turned_away = zeros.copy()  # m² of demand that did not fit, this year
        self.public_started = 0.0  # m² of public development started this year (Hilversum)
        self.private_started = zeros.copy()
        self.delivered = zeros.copy()
        self.converted = zeros.copy()
        self.absorbed = zeros.copy()  # m² of vacancy let to other tenants this year

    # --------------------------------------------------------------- state
    def capacity(self) -> np.ndarray:
        """m² the sector may occupy per place: stock minus other tenants (inf if unconstrained)."""
        return self.stock - self.other

    def pipeline(self) -> np.ndarray:
        """m² started and not yet delivered, per place."""
        total = np.zeros(self.stock.size)
        for m2 in self.deliveries.values():
            total += m2
        return total

    def turn_away(self, place: int, m2: float) -> None:
        """Record ``m2`` of demand at ``place`` that did not fit this year."""
        self.turned_away[place] += m2

    def pressure(self, occupied: np.ndarray) -> np.ndarray:
        """(Occupied + other tenants + turned away) / stock; NaN where unconstrained.

        ``occupied`` is the sector's occupied m² per place. Above 1 when
        demand was turned away: how far demand outruns the stock.
        """
        out = np.full(self.stock.size, np.nan)
        c = self.constrained
        out[c] = (occupied[c] + self.other[c] + self.turned_away[c]) / self.stock[c]
        return out

    def rent_factor(
        self, occupied: np.ndarray, target: float, elasticity: float, floor: float, cap: float
    ) -> np.ndarray:
        """Rent / base rent: (pressure / u*)^ε within [floor, cap]; 1 where unconstrained."""
        factor = np.ones(self.stock.size)
        c = self.constrained
        if c.any():
            ratio = np.maximum(self.pressure(occupied)[c] / target, 1e-12)
            factor[c] = np.clip(np.power(ratio, elasticity), floor, cap)
        return factor

    # ---------------------------------------------------------------- year
    def new_year(
        self,
        year: int,
        occupied: np.ndarray,
        public_m2: float,
        extra_permission: float,
        absorption: float = 0.0,
    ) -> None:
        """Advance the market to ``year`` before anyone moves.

        On last year's end state (``occupied`` by the sector, the demand
        turned away): structurally vacant stock is converted and other tenants
        take a share ``absorption`` of what stays vacant; Hilversum's permission is
        its base plus ``extra_permission``; public development starts
        ``public_m2`` at Hilversum and private developers respond to the
        pressure — both within the permission — for delivery in
        ``year + lag``; then this year's projects are delivered.
        """
        c = self.constrained
        let = occupied + self.other
        pressure = self.pressure(occupied)
        finite = np.where(c, self.stock, 0.0)
        # Conversion: only structural vacancy (beyond the frictional 1 − trigger) leaves.
        structural = np.maximum(finite * self.trigger - let, 0.0)
        self.converted = np.where(c, self.conversion_rate * structural, 0.0)
        self.stock = self.stock - self.converted
        if absorption > 0.0:
            left = np.maximum(np.where(c, self.stock, 0.0) * self.trigger - let, 0.0)
            self.absorbed = absorption * left
            self.other = self.other + self.absorbed
        else:
            self.absorbed = np.zeros(self.stock.size)
        self.permission = self.permission_0.copy()
        self.permission[self.home] += extra_permission
        pipe = self.pipeline()
        headroom = np.zeros(self.stock.size)
        headroom[c] = np.maximum(self.permission[c] - self.stock[c] - pipe[c], 0.0)
        public = min(public_m2, headroom[self.home]) if c[self.home] else 0.0
        headroom[self.home] -= public
        pipe[self.home] += public  # private developers see the public project
        wanted = np.zeros(self.stock.size)
        hot = c & (pressure > self.trigger)
        demand = let + self.turned_away
        gap = demand[hot] / self.trigger - self.stock[hot] - pipe[hot]
        wanted[hot] = self.rate[hot] * np.maximum(gap, 0.0)
        self.private_started = np.minimum(wanted, headroom)
        self.public_started = float(public)
        started = self.private_started.copy()
        started[self.home] += public
        if started.any():
            due = year + self.lag
            self.deliveries.setdefault(due, np.zeros(self.stock.size))
            self.deliveries[due] = self.deliveries[due] + started
        self.delivered = self.deliveries.pop(year, np.zeros(self.stock.size))
        self.stock = self.stock + self.delivered
        self.turned_away = np.zeros(self.stock.size)

    # ------------------------------------------------------------- output
    def outcome_parts(self, occupied: np.ndarray) -> tuple[np.ndarray, ...]:
        """Per place: occupancy, demand, stock, pipeline, permission, turned away, vacancy.

        Demand is what wants to be there: the sector's need, other tenants
        and the m² turned away this year. Stock, pipeline, permission,
        occupancy and vacancy are NaN for unconstrained places.
        """
        c = self.constrained
        nan = np.full(self.stock.size, np.nan)
        let = occupied + self.other
        occupancy = np.where(c, let / np.where(c, self.stock, 1.0), np.nan)
        demand = let + self.turned_away
        stock = np.where(c, self.stock, nan)
        pipeline = np.where(c, self.pipeline(), nan)
        permission = np.where(c, self.permission, nan)
        away = self.turned_away.copy()
        return occupancy, demand, stock, pipeline, permission, away, 1 - occupancy
