"""The Media Valley model: organisations choosing where to settle, 2025–2040.

One Mesa agent per organisation (``sim.agents``); the yearly work runs on
numpy arrays indexed by each agent's ``row``. A year (``step``):

1. scenario drivers and policy levers for the year; the floor-space
   market (``sim.space``): conversion, development starts, deliveries;
2. demography: ageing and growth (into vacant space where it fits),
   consolidation of public broadcasters, exits, start-up failures and
   scale-ups, entries of tech firms and start-ups;
3. decisions: entrants and reconsidering incumbents, shuffled, decide in
   batches of ``decision_batch`` on the state at the batch start, subject
   to floor-space capacity;
4. rent from the pressure on floor space, talent from graduates and drift
   toward jobs;
5. outcomes recorded by a Mesa ``DataCollector``.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

import mesa
import numpy as np
import pandas as pd
from scipy import special

from . import choice, policy
from .agents import create_agents, remove_agents
from .drivers import drivers_at
from .outcomes import FLOWS, OutcomeRecorder, run_summary
from .params import Params, ParamsError, travel_matrix
from .space import SpaceMarket


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector inside the block (restored after, also on error).

    Building and running a model creates and drops thousands of agents,
    which are freed by reference counting. Each burst of allocations
    triggers the cyclic collector, whose full passes scan every live object
    of the process (a few hundred thousand with pandas and scipy loaded):
    that was a tenth to a third of a run (more with more agents) and found
    nothing to free. Cycles —
    a finished model with its agents — are collected as usual afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class MediaClusterModel(mesa.Model):
    """Agent-based model of where media organisations settle (docs/design.md §3)."""

    def __init__(self, params: Params, seed: int | None = None):
        seed = params.run.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        self.params = params
        self.seed = seed
        self.mu = params.run.logit_scale
        self.year = params.run.start_year
        with collector_paused():
            self._static_arrays()
            self._allocate(sum(k.count for k in params.kinds.values()))
            self._year_inputs()
            self._place_2025()
            self.rent = self._rent_now()
            self.talent = self.talent_0.copy()
            self._talent_balance()
            self._calibrate()
            self.flows = self._zero_flows()
            self.recorder = OutcomeRecorder(self)
            self.datacollector = mesa.DataCollector(model_reporters=self.recorder.reporters())
            self.recorder.update()
            self.datacollector.collect(self)

    # ------------------------------------------------------------------ setup
    def _static_arrays(self) -> None:
        p = self.params
        self.location_names = p.location_names
        self.kind_names = p.kind_names
        self.home = self.location_names.index(p.home)
        self._kind_roles()
        locs = [p.locations[n] for n in self.location_names]
        self.space_0 = np.array([loc.floor_space_m2 for loc in locs])
        self.constrained = np.isfinite(self.space_0)
        self._constrained_locs = np.flatnonzero(self.constrained).tolist()
        self.rent_0 = np.array([loc.base_rent for loc in locs])
        self.rent_trend = np.array([loc.rent_trend for loc in locs])
        self.talent_0 = np.array([loc.talent_pool for loc in locs])
        self.facility_0 = np.array([loc.facility_quality for loc in locs])
        self.amenity_0 = np.array([loc.amenity for loc in locs])
        self.media_valley = np.array([loc.media_valley for loc in locs])
        self.eg_reference = np.array([loc.eg_reference_share for loc in locs])
        self.occupancy_2025 = np.array(
            [loc.occupancy_2025 if loc.occupancy_2025 is not None else np.nan for loc in locs]
        )
        self.travel_0 = np.array(travel_matrix(p), dtype=float)
        kinds = [p.kinds[k] for k in self.kind_names]
        self.alpha = np.array([k.rent_weight for k in kinds])
        self.beta = np.array([k.talent_weight for k in kinds])
        self.phi = np.array([k.facility_weight for k in kinds])
        self.eta = np.array([k.amenity_weight for k in kinds])
        self.kappa = np.array([k.moving_cost for k in kinds])
        self.rho = np.array([k.relocation_hazard for k in kinds])
        self.space_per_employee = np.array([k.space_per_employee_m2 for k in kinds])
        self.shares_observed = np.array(
            [[k.shares_2025[n] for n in self.location_names] for k in kinds]
        )
        names = self.kind_names
        self.gamma_0 = np.array(
            [[p.spillover.get(a, {}).get(b, 0.0) for b in names] for a in names]
        )
        self.count_2025 = np.array([k.count for k in kinds])

    def _kind_roles(self) -> None:
        """Which mechanisms act on which kind (the role keys of ``kinds.*``), as indices."""
        p = self.params
        names = self.kind_names
        index = {name: k for k, name in enumerate(names)}
        specs = [p.kinds[name] for name in names]
        # (kind, driver) pairs, in kind order (the order of random draws)
        self.growth_roles = [(k, s.growth_driver) for k, s in enumerate(specs) if s.growth_driver]
        self.entry_roles = [(k, s.entry_driver) for k, s in enumerate(specs) if s.entry_driver]
        self.consolidation_roles = [
            (k, s.consolidation_driver) for k, s in enumerate(specs) if s.consolidation_driver
        ]
        self.exit_below = np.array([s.exit_below_employees for s in specs])
        self.exit_roles = [
            (k, s.exit_hazard, s.exit_spillover_protection)
            for k, s in enumerate(specs)
            if s.exit_hazard is not None
        ]
        self.scale_up_roles = [
            (k, index[s.scale_up.into], s.scale_up.min_age, s.scale_up.rate)
            for k, s in enumerate(specs)
            if s.scale_up is not None
        ]
        self.is_startup = np.array([s.startup for s in specs])
        self.teaches = np.array([s.students_per_org > 0 for s in specs])
        self.pull_roles = [
            (k, self.location_names.index(loc), driver)
            for k, s in enumerate(specs)
            for loc, driver in s.pulls.items()
        ]
        self.spillover_roles = [
            (k, index[other], driver)
            for k, s in enumerate(specs)
            for other, driver in s.spillover_drivers.items()
        ]
        self.travel_roles = [
            (self.location_names.index(a), self.location_names.index(b), driver)
            for (a, b), driver in ((r.between, r.driver) for r in p.places.travel_drivers)
        ]
        self.incubated = np.zeros(len(names), dtype=bool)
        self.incubated[[index[k] for k in p.policy_effects.incubation_kinds]] = True

    def lever_kinds(self, name: str) -> list[int]:
        """Indices of the kinds a lever reaches (its ``kinds``; all when not given)."""
        who = getattr(self.params.policy, name).kinds
        return (
            list(range(len(self.kind_names)))
            if who is None
            else [self.kind_names.index(k) for k in who]
        )

    def _allocate(self, n: int) -> None:
        cap = max(64, 2 * n)
        self.n_rows = 0
        self.org_kind = np.zeros(cap, dtype=np.int8)
        self.org_location = np.full(cap, -1, dtype=np.int16)
        self.org_employees = np.zeros(cap)
        self.org_space = np.zeros(cap)
        self.org_age = np.zeros(cap, dtype=np.int32)
        self.org_students = np.zeros(cap)
        self.org_alive = np.zeros(cap, dtype=bool)
        self._squeezed = np.zeros(0, dtype=np.int64)  # rows whose growth a full place held back
        # The Mesa agent of each row. A list, not a numpy object array: the
        # garbage collector cannot see through object arrays, so the cycle
        # model -> agents -> model would never be freed.
        self.org_agent: list = [None] * cap

    def _grow_arrays(self, needed: int) -> None:
        cap = self.org_kind.size
        if self.n_rows + needed <= cap:
            return
        new_cap = max(2 * cap, self.n_rows + needed)
        for name in (
            "org_kind",
            "org_location",
            "org_employees",
            "org_space",
            "org_age",
            "org_students",
            "org_alive",
        ):
            old = getattr(self, name)
            fresh = np.zeros(new_cap, dtype=old.dtype)
            if name == "org_location":
                fresh[:] = -1
            fresh[:cap] = old
            setattr(self, name, fresh)
        self.org_agent.extend([None] * (new_cap - cap))

    def _draw_employees(self, kind: int, n: int) -> np.ndarray:
        spec = self.params.kinds[self.kind_names[kind]]
        sizes = spec.employees_median * np.exp(spec.employees_sigma * self.rng.standard_normal(n))
        return np.maximum(sizes, spec.employees_min)

    def _quantile_employees(self, kind: int, n: int) -> np.ndarray:
        """Sizes at the n evenly spaced quantiles of the kind's lognormal, at least the minimum.

        Used for the 2025 organisations at each location: the data give how
        many organisations are where, not which one is how big, so every
        seed starts from the same 2025 state and seeds drive only the
        dynamics (random sizes made Hilversum's 2025 jobs share vary by
        ±2.8 points between seeds).
        """
        spec = self.params.kinds[self.kind_names[kind]]
        z = special.ndtri((np.arange(n) + 0.5) / n)
        return np.maximum(
            spec.employees_median * np.exp(spec.employees_sigma * z), spec.employees_min
        )

    def _add_orgs(
        self, kind: int, employees: np.ndarray, location: np.ndarray, age: np.ndarray | int = 0
    ) -> np.ndarray:
        """Create organisations (rows and Mesa agents); return their rows."""
        n = employees.size
        self._grow_arrays(n)
        rows = np.arange(self.n_rows, self.n_rows + n)
        self.n_rows += n
        self.org_kind[rows] = kind
        self.org_location[rows] = location
        self.org_employees[rows] = employees
        self.org_space[rows] = np.where(location >= 0, employees * self.space_per_employee[kind], 0)
        self.org_age[rows] = age
        self.org_students[rows] = self.params.kinds[self.kind_names[kind]].students_per_org
        self.org_alive[rows] = True
        self.org_agent[self.n_rows - n : self.n_rows] = create_agents(
            self, rows.tolist(), self.kind_names[kind]
        )
        return rows

    def _remove_orgs(self, rows: np.ndarray) -> None:
        listed = rows.tolist()
        remove_agents(self, [self.org_agent[r] for r in listed])
        for r in listed:
            self.org_agent[r] = None
        self.org_alive[rows] = False
        self.org_location[rows] = -1
        self.org_space[rows] = 0.0

    def _place_2025(self) -> None:
        """Place the 2025 organisations by the observed shares (largest remainder)."""
        for k, count in enumerate(self.count_2025):
            exact = count * self.shares_observed[k]
            per_loc = np.floor(exact).astype(int)
            short = count - per_loc.sum()
            per_loc[np.argsort(-(exact - per_loc), kind="stable")[:short]] += 1
            location = np.repeat(np.arange(len(self.location_names)), per_loc)
            employees = np.concatenate([self._quantile_employees(k, n) for n in per_loc])
            self._add_orgs(k, employees, location.astype(np.int16))
        self._refresh_tables()
        # Floor space: other tenants fill each constrained place up to its
        # observed 2025 occupancy (e.g. Media Park 95% let).
        self.space = SpaceMarket(self.params, self.occupied)
        self.space_now = self.space.capacity()

    def _calibrate(self) -> None:
        """Constants reproducing the 2025 choice shares (docs/design.md §3.4)."""
        p = self.params
        start = np.array(
            [[p.kinds[k].asc.get(n, 0.0) for n in self.location_names] for k in self.kind_names]
        )
        self.asc = np.zeros_like(start)
        v_without = self._utility()
        entrants = np.zeros(len(self.kind_names))
        for k, driver in self.entry_roles:
            entrants[k] = self.drivers[driver] * self.count_2025[k]
        movers = self.rho * self.count_2025
        if p.run.calibrate:
            self.asc, shares, self.calibration_iterations = choice.calibrate_asc(
                v_without, self.shares_observed, entrants, movers, self.kappa, self.mu, start
            )
        else:
            self.asc, self.calibration_iterations = start, 0
            shares = np.array(
                [
                    choice.decider_shares(
                        v_without[k] + start[k],
                        self.shares_observed[k],
                        entrants[k],
                        movers[k],
                        self.kappa[k],
                        self.mu,
                    )
                    for k in range(len(self.kind_names))
                ]
            )
        self.calibration_shares = shares

    def _talent_balance(self) -> None:
        """Non-school talent inflow per location, set so that 2025 is in balance."""
        d = self.params.demography.talent_attrition
        self.talent_inflow = d * self.talent_0 - self._graduates()
        jobs = np.maximum(self.jobs.sum(axis=0), 1.0)
        self.talent_per_job = self.talent_0 / jobs

    # ------------------------------------------------------------ year inputs
    def lever(self, name: str) -> float:
        """Value of a policy lever this year (0 before its start year)."""
        lev = getattr(self.params.policy, name)
        return lev.value if self.year >= lev.start_year else 0.0

    def _year_inputs(self) -> None:
        """Drivers and policy levers for ``self.year``."""
        p = self.params
        self.drivers = drivers_at(p.drivers, self.year)
        # scenario: travel-time drivers on routes, pulls and spillover drivers
        self.travel = self.travel_0.copy()
        for a, b, driver in self.travel_roles:
            added = self.drivers[driver]
            self.travel[a, b] = self.travel[b, a] = max(1.0, self.travel_0[a, b] + added)
        self.pull = np.zeros((len(self.kind_names), len(self.location_names)))
        for k, loc, driver in self.pull_roles:
            self.pull[k, loc] += self.drivers[driver]
        self.gamma = self.gamma_0.copy()
        for k, other, driver in self.spillover_roles:
            self.gamma[k, other] += self.drivers[driver]
        # policy: what each lever delivers this year (sim.policy)
        policy.apply_levers(self)

    # -------------------------------------------------------------- state
    def _refresh_tables(self) -> None:
        """Jobs, counts and occupied space per kind and location, from the arrays."""
        n = self.n_rows
        placed = self.org_alive[:n] & (self.org_location[:n] >= 0)
        kind = self.org_kind[:n][placed].astype(np.int64)
        loc = self.org_location[:n][placed].astype(np.int64)
        size = len(self.kind_names) * len(self.location_names)
        cell = kind * len(self.location_names) + loc
        shape = (len(self.kind_names), len(self.location_names))
        self.jobs = np.bincount(cell, self.org_employees[:n][placed], size).reshape(shape)
        self.orgs = np.bincount(cell, minlength=size).reshape(shape)
        self.occupied = np.bincount(loc, self.org_space[:n][placed], len(self.location_names))

    def _utility_inputs(self) -> choice.UtilityInputs:
        ref = self.params.reference
        return choice.UtilityInputs(
            jobs=self.jobs,
            travel=self.travel,
            rent=self.rent if hasattr(self, "rent") else self._rent_now(),
            subsidy=self.subsidy,
            talent=self.talent if hasattr(self, "talent") else self.talent_0,
            facility=self.facility,
            amenity=self.amenity,
            pull=self.pull,
            asc=self.asc if hasattr(self, "asc") else np.zeros_like(self.subsidy),
            gamma=self.gamma,
            cooperation=self._cooperation_term(),
            alpha=self.alpha,
            beta=self.beta,
            phi=self.phi,
            eta=self.eta,
            proximity=self.drivers["proximity_importance"],
            decay_minutes=self.drivers["spillover_decay_minutes"],
            facility_importance=self.drivers["facility_importance"],
            mass_ref=ref.mass_jobs,
            rent_ref=ref.rent,
            talent_ref=ref.talent,
        )

    def _cooperation_term(self) -> np.ndarray:
        """The cooperation programme's term for the jobs as they are now (:mod:`sim.policy`)."""
        strength = self.lever("cooperation_programme")
        if not strength:
            return np.zeros_like(self.subsidy)
        decay = np.exp(-self.travel[:, self.home] / self.drivers["spillover_decay_minutes"])
        return policy.cooperation_term(
            self.jobs[:, self.home],
            decay,
            self.lever_kinds("cooperation_programme"),
            strength * self.params.policy_effects.cooperation_gamma_per_point,
            self.drivers["proximity_importance"],
            self.params.reference.mass_jobs,
        )

    def _utility(self) -> np.ndarray:
        return choice.utility_table(self._utility_inputs())

    def entrant_probabilities(self) -> np.ndarray:
        """P[k, ℓ]: logit probability that an entrant of kind k picks ℓ now."""
        return choice.softmax(self._utility() / self.mu, axis=1)

    def _rent_now(self) -> np.ndarray:
        """Rent per place: R⁰·(pressure/u*)^ε where constrained (sim.space), R⁰·trend elsewhere."""
        demo = self.params.demography
        years = self.year - self.params.run.start_year
        rent = self.rent_0 * (1.0 + self.rent_trend) ** years
        c = self.constrained
        if c.any() and hasattr(self, "space"):
            factor = self.space.rent_factor(
                self.occupied,
                demo.target_occupancy,
                demo.rent_elasticity,
                demo.rent_floor_factor,
                demo.rent_cap_factor,
            )
            rent[c] = self.rent_0[c] * factor[c]
        return rent

    def _graduates(self) -> np.ndarray:
        n = self.n_rows
        schools = (
            self.org_alive[:n] & self.teaches[self.org_kind[:n]] & (self.org_location[:n] >= 0)
        )
        years = self.params.demography.school_programme_years
        grads = np.bincount(
            self.org_location[:n][schools].astype(np.int64),
            self.org_students[:n][schools] / years,
            len(self.location_names),
        )
        grads[self.home] += self.lever("talent_programme_students") / years
        return grads

    # ------------------------------------------------------------- the year
    def step(self) -> None:
        """Advance one year."""
        self.year += 1
        self.flows = self._zero_flows()
        self._year_inputs()
        self.space.new_year(
            self.year,
            self.occupied,
            self.lever("space_expansion_m2_per_year"),
            self.lever("space_permission_m2"),
            self.drivers.get("other_tenant_absorption", 0.0),
        )
        self.space_now = self.space.capacity()
        self._grow()
        self._consolidate()
        self._exit_and_fail()
        self._scale_up()
        entrants = self._enter()
        self._refresh_tables()
        self._decide(entrants)
        self._refresh_tables()
        self.rent = self._rent_now()
        self._update_talent()
        self.recorder.update()
        self.datacollector.collect(self)
        if self.year >= self.params.run.end_year:
            self.running = False

    def run(self) -> MediaClusterModel:
        """Run to ``run.end_year``; returns the model for chaining."""
        with collector_paused():
            while self.running and self.year < self.params.run.end_year:
                self.step()
        return self

    def _zero_flows(self) -> dict[str, float]:
        return dict.fromkeys(FLOWS, 0.0)

    def _alive_rows(self, *kinds: int) -> np.ndarray:
        n = self.n_rows
        mask = self.org_alive[:n]
        if kinds:
            wanted = np.zeros(len(self.kind_names), dtype=bool)
            wanted[list(kinds)] = True
            mask = mask & wanted[self.org_kind[:n]]
        return np.flatnonzero(mask)

    def _grow(self) -> None:
        rows = self._alive_rows()
        self.org_age[rows] += 1
        by_kind = np.zeros(len(self.kind_names))
        for k, driver in self.growth_roles:
            by_kind[k] = self.drivers[driver]
        kind = self.org_kind[rows]
        before = self.org_employees[rows]
        after = before * (1.0 + by_kind[kind])
        self._squeezed = np.zeros(0, dtype=np.int64)
        if self._constrained_locs and (by_kind > 0).any():
            after = self._fit_growth(rows, before, after)
        self.org_employees[rows] = after
        self.org_space[rows] = after * self.space_per_employee[kind]
        if (by_kind != 0).any():  # keep the occupied table current for the scale-ups' check
            n_loc = len(self.location_names)
            delta = (after - before) * self.space_per_employee[kind]
            self.occupied = self.occupied + np.bincount(self.org_location[rows], delta, n_loc)
        self.flows["jobs_growth"] += float((after - before).sum())

    def _fit_growth(self, rows: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """Growth in place takes vacant space; where it does not all fit, it is held back.

        At a constrained place the space freed by shrinking firms and the
        vacancy are shared pro rata among the growing firms; the m² held back
        count as turned away (sim.space), and the held-back firms reconsider
        where to be this year (``self._squeezed``), as a firm that has
        outgrown its building looks around.
        """
        loc = self.org_location[rows].astype(np.int64)
        delta = (after - before) * self.space_per_employee[self.org_kind[rows]]
        n_loc = len(self.location_names)
        growing = np.bincount(loc, np.maximum(delta, 0.0), n_loc)
        room = self.space_now - self.occupied + np.bincount(loc, np.maximum(-delta, 0.0), n_loc)
        over = self.constrained & (growing > room + 1e-9)
        if not over.any():
            return after
        factor = np.ones(n_loc)
        factor[over] = np.maximum(room[over], 0.0) / growing[over]
        for j in np.flatnonzero(over):
            self.space.turn_away(j, float(growing[j] - max(room[j], 0.0)))
        held = (delta > 0) & over[loc]
        self._squeezed = rows[held]
        return np.where(held, before + (after - before) * factor[loc], after)

    def _consolidate(self) -> None:
        """Co-located organisations of a consolidating kind merge at rate c(t); jobs are kept."""
        for k, driver in self.consolidation_roles:
            c = self.drivers[driver]
            if c > 0:
                self._merge_kind(k, c)

    def _merge_kind(self, kind: int, c: float) -> None:
        rows = self._alive_rows(kind)
        for loc in np.unique(self.org_location[rows]):
            here = rows[self.org_location[rows] == loc]
            absorbed = self.rng.random(here.size) < c
            if absorbed.all():
                absorbed[0] = False
            if not absorbed.any():
                continue
            survivors = here[~absorbed]
            gone = here[absorbed]
            into = survivors[self.rng.integers(survivors.size, size=gone.size)]
            np.add.at(self.org_employees, into, self.org_employees[gone])
            # The survivor takes the absorbed organisation's space with its jobs.
            self.org_space[into] = self.org_employees[into] * self.space_per_employee[kind]
            self.flows["mergers"] += gone.size
            self._remove_orgs(gone)

    def _exit_and_fail(self) -> None:
        """Closures below a minimum size, then exits at each kind's hazard (kind order)."""
        alive = self._alive_rows()
        kind = self.org_kind[alive]
        gone = [alive[self.org_employees[alive] < self.exit_below[kind]]]
        for k, hazard, protection in self.exit_roles:
            rows = alive[kind == k]
            if protection or self.incubated[k]:
                hazard = self._exit_hazard(k, hazard, protection)[self.org_location[rows]]
            out = rows[self.rng.random(rows.size) < hazard]
            if self.is_startup[k]:
                self.flows["startup_failures_home"] += int(
                    (self.org_location[out] == self.home).sum()
                )
            gone.append(out)
        gone = np.concatenate(gone)
        self.flows["exits"] += gone.size
        self.flows["jobs_exited"] += float(self.org_employees[gone].sum())
        self._remove_orgs(gone)

    def local_spillover(self, kind: int) -> np.ndarray:
        """A kind's agglomeration term per location: π · Σ_k' γ[kind, k'] ln(1 + M/M_ref)."""
        return (
            self.drivers["proximity_importance"]
            * choice.agglomeration(self._utility_inputs())[kind]
        )

    def _exit_hazard(self, kind: int, hazard: float, protection: float) -> np.ndarray:
        """Per location: h0 · exp(−ω · local spillover) · (1 − incubation support)."""
        incubation = self.incubation if self.incubated[kind] else 0.0
        return hazard * np.exp(-protection * self.local_spillover(kind)) * (1.0 - incubation)

    def _scale_up(self) -> None:
        """Organisations past the minimum age become their ``scale_up.into`` kind at a rate."""
        for kind, into, min_age, rate in self.scale_up_roles:
            rows = self._alive_rows(kind)
            eligible = rows[self.org_age[rows] >= min_age]
            grown = eligible[self.rng.random(eligible.size) < rate]
            grown = self._fit_scale_ups(grown, kind, into)
            if grown.size == 0:
                continue
            self._add_orgs(
                into,
                self.org_employees[grown].copy(),
                self.org_location[grown].copy(),
                self.org_age[grown].copy(),
            )
            self.flows["scaleups"] += grown.size
            if self.is_startup[kind]:
                at_home = int((self.org_location[grown] == self.home).sum())
                self.flows["startup_scaleups_home"] += at_home
            self._remove_orgs(grown)

    def _fit_scale_ups(self, grown: np.ndarray, kind: int, into: int) -> np.ndarray:
        """Scale-ups whose need as their new kind (its m² per employee) fits where they are.

        A scale-up at a full place is deferred (its extra m² counted as
        turned away); it may scale up in a later year.
        """
        extra = self.org_employees[grown] * (
            self.space_per_employee[into] - self.space_per_employee[kind]
        )
        if grown.size == 0 or not self._constrained_locs or (extra <= 0).all():
            return grown
        loc = self.org_location[grown]
        want = np.bincount(loc, np.maximum(extra, 0.0), len(self.location_names))
        # ``occupied`` is current up to this year's exits, which only free space:
        # if everything fits in that smaller room, it fits.
        if (want <= self.space_now - self.occupied).all():
            return grown
        n = self.n_rows
        placed = self.org_alive[:n] & (self.org_location[:n] >= 0)
        occupied = np.bincount(
            self.org_location[:n][placed].astype(np.int64),
            self.org_space[:n][placed],
            len(self.location_names),
        )
        keep = np.ones(grown.size, dtype=bool)
        for j in self._constrained_locs:
            here = np.flatnonzero((loc == j) & (extra > 0))
            if here.size:
                fits, _ = choice.first_fit(extra[here], self.space_now[j] - occupied[j])
                keep[here[~fits]] = False
                self.space.turn_away(j, float(extra[here[~fits]].sum()))
        return grown[keep]

    def _enter(self) -> np.ndarray:
        """Entrants of the kinds with an entry driver (Poisson), not yet placed."""
        rows = []
        for kind, driver in self.entry_roles:
            n = int(self.rng.poisson(self.drivers[driver] * self.count_2025[kind]))
            if n:
                employees = self._draw_employees(kind, n)
                rows.append(self._add_orgs(kind, employees, np.full(n, -1, dtype=np.int16)))
        return np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)

    # ------------------------------------------------------------- decisions
    def _decide(self, entrants: np.ndarray) -> None:
        """Entrants and reconsidering incumbents choose, in shuffled batches.

        A decider's utility is the yearly fixed part (ASC, rent, talent,
        facilities, amenity, pulls), minus its moving cost, plus its
        Gumbel shocks — all computed once for the year's deciders — plus the
        agglomeration and cooperation terms, which depend on where the jobs
        are and so are recomputed (a kinds × locations table) at the start
        of every batch.
        """
        # Incumbents: alive and placed (this year's entrants are not placed yet).
        n = self.n_rows
        incumbents = np.flatnonzero(self.org_alive[:n] & (self.org_location[:n] >= 0))
        reconsider = self.rng.random(incumbents.size) < self.rho[self.org_kind[incumbents]]
        if self._squeezed.size:  # growth held back by a full place: they look around
            reconsider |= np.isin(incumbents, self._squeezed)
        deciders = np.concatenate([entrants, incumbents[reconsider]])
        deciders = deciders[self.rng.permutation(deciders.size)]
        n_loc = len(self.location_names)
        kind = self.org_kind[deciders].astype(np.int64)
        current = self.org_location[deciders].astype(np.int64)
        # One draw for the year gives the same numbers as one draw per batch
        # in turn: nothing else draws from the generator in between.
        gumbel = self.rng.gumbel(size=(deciders.size, n_loc))
        leaving = (current[:, None] >= 0) & (np.arange(n_loc) != current[:, None])
        fixed = choice.static_utility(self._utility_inputs())[kind]
        fixed -= self.kappa[kind][:, None] * leaving
        fixed += self.mu * gumbel
        need = self.org_employees[deciders] * self.space_per_employee[kind]
        emp, space = self.org_employees[deciders], self.org_space[deciders]
        # Flat indices into the jobs table of each decider's kind row, and of
        # the cell it leaves (entrants: a dummy cell with zero weight).
        cell_kind = kind * n_loc
        origin = np.maximum(current, 0)
        cell_from = cell_kind + origin
        incumbent = current >= 0
        decay = np.exp(-self.travel / self.drivers["spillover_decay_minutes"]).T
        weights = self.drivers["proximity_importance"] * self.gamma
        cooperating = self.lever("cooperation_programme") > 0
        final = np.full(deciders.size, -1)
        batch = self.params.run.decision_batch
        for start in range(0, deciders.size, batch):
            part = slice(start, start + batch)
            table = self._interaction_table(decay, weights, cooperating)
            picked = self._decide_batch(fixed[part] + table[kind[part]], current[part], need[part])
            self._move_in_tables(
                picked,
                current[part],
                incumbent[part],
                cell_kind[part],
                cell_from[part],
                origin[part],
                (need[part], emp[part], space[part]),
            )
            final[part] = picked
        moving = (final >= 0) & (final != current)
        self.org_location[deciders[moving]] = final[moving]
        self.org_space[deciders[moving]] = need[moving]
        self.flows["relocations"] += int((moving & (current >= 0)).sum())
        unplaced = deciders[final < 0]
        self.flows["entries_rejected"] += unplaced.size
        self._remove_orgs(unplaced)
        placed = entrants[self.org_alive[entrants]]
        self.flows["entries"] += placed.size
        self.flows["jobs_entered"] += float(self.org_employees[placed].sum())
        births = placed[self.is_startup[self.org_kind[placed]]]
        self.flows["startup_births_home"] += int((self.org_location[births] == self.home).sum())

    def _interaction_table(
        self, decay: np.ndarray, weights: np.ndarray, cooperating: bool
    ) -> np.ndarray:
        """π·Σ_k' γ[k,k'] ln(1 + M[k',ℓ]/M_ref) (+ cooperation) for the jobs as they are now.

        ``decay`` is exp(−τ/λ)ᵀ and ``weights`` π·γ for the year; the terms
        are those of :func:`sim.choice.utility_table`.
        """
        table = weights @ np.log1p((self.jobs @ decay) / self.params.reference.mass_jobs)
        if cooperating:
            table += self._cooperation_term()
        return table

    def _decide_batch(self, total: np.ndarray, current: np.ndarray, need: np.ndarray) -> np.ndarray:
        """One batch picks the best location of ``total`` (utility + μ·shocks); capacity applies.

        An arrival at a full location is turned away and chooses again
        among the rest (its ``total`` there set to −∞); arrivals are
        accepted in batch order while they fit. Returns the final location
        per decider (−1 when no location has room).
        """
        picked = total.argmax(axis=1)
        if self._constrained_locs and self._someone_may_not_fit(picked, current, need):
            room = self.space_now - self.occupied
            pending = np.arange(picked.size)
            while pending.size:
                turned_away = []
                for loc in self._constrained_locs:
                    arriving = pending[(picked[pending] == loc) & (current[pending] != loc)]
                    if arriving.size:
                        fits, room[loc] = choice.first_fit(need[arriving], room[loc])
                        turned_away.append(arriving[~fits])
                        self.space.turn_away(loc, float(need[arriving[~fits]].sum()))
                pending = np.sort(np.concatenate(turned_away)) if turned_away else pending[:0]
                if pending.size:
                    self.flows["arrivals_turned_away"] += pending.size
                    total[pending, picked[pending]] = -np.inf
                    options = total[pending]
                    picked[pending] = np.where(
                        np.isneginf(options).all(axis=1), -1, options.argmax(axis=1)
                    )
        return picked

    def _someone_may_not_fit(self, picked, current, need) -> bool:
        """True unless every arrival at a constrained place fits (then all are accepted).

        Unconstrained places have infinite room, so only constrained ones can fail.
        """
        demand = np.bincount(picked, need * (picked != current), self.space_now.size)
        return bool((demand > self.space_now - self.occupied).any())

    def _move_in_tables(
        self, final, current, incumbent, cell_kind, cell_from, origin, sizes
    ) -> None:
        """Update the jobs and occupied-space tables for one batch's moves.

        A mover (final place differs from the current one) takes its jobs
        and its new lease to ``final`` and frees its current lease; ``sizes``
        is (new lease, employees, current lease) per decider. ``cell_kind``
        and ``cell_from`` are flat indices of its kind's row and of the cell
        it leaves. Written as weighted bincounts over the whole batch (weight
        0 for those who stay) to keep the numpy calls per batch few. An
        entrant with no room anywhere (final −1) does not move. The org
        arrays are updated once, after all batches (in ``_decide``).
        """
        need, emp, space = sizes
        moving = final != current
        leaving = moving & incumbent
        arrived = np.maximum(final, 0)
        size = self.jobs.size
        jobs = np.bincount(cell_kind + arrived, emp * moving, size)
        jobs -= np.bincount(cell_from, emp * leaving, size)
        self.jobs += jobs.reshape(self.jobs.shape)
        occupied = np.bincount(arrived, need * moving, self.space_now.size)
        occupied -= np.bincount(origin, space * leaving, self.space_now.size)
        self.occupied += occupied

    # --------------------------------------------------------- rent and talent
    def _update_talent(self) -> None:
        demo = self.params.demography
        jobs = self.jobs.sum(axis=0)
        weight = self.talent_per_job * jobs
        total = self.talent.sum()
        target = total * weight / weight.sum() if weight.sum() > 0 else self.talent
        self.talent = np.maximum(
            0.0,
            (1.0 - demo.talent_attrition) * self.talent
            + self._graduates()
            + self.talent_inflow
            + demo.talent_drift * (target - self.talent),
        )

    # ----------------------------------------------------------------- output
    def policy_cost_meur(self) -> float:
        """This year's cost of the active policy levers (million euro, on what they deliver)."""
        return policy.yearly_cost(self)

    def policy_cost_discounted_meur(self) -> float:
        """This year's policy cost discounted to the first year (``policy_costs.discount_rate``)."""
        factor = policy.discount_factor(
            self.year, self.params.run.start_year, self.params.policy_costs.discount_rate
        )
        return self.policy_cost_meur() * factor

    def outcomes(self) -> pd.DataFrame:
        """Yearly outcomes (docs/design.md §6): one row per year, tidy columns."""
        return self.recorder.frame(self.datacollector.model_vars)

    def summary(self) -> dict[str, float]:
        """Per-run outcomes: final-year values, minimum share, tipping year."""
        return run_summary(self.outcomes(), self.params.run.tipping_threshold, self.params.home)

    def calibration(self) -> pd.DataFrame:
        """Calibrated constants and the 2025 shares they reproduce."""
        records = []
        for k, kind in enumerate(self.kind_names):
            for j, loc in enumerate(self.location_names):
                records.append(
                    {
                        "kind": kind,
                        "location": loc,
                        "asc": self.asc[k, j],
                        "share_observed": self.shares_observed[k, j],
                        "share_model": self.calibration_shares[k, j],
                    }
                )
        return pd.DataFrame.from_records(records)


def run_model(params: Params, seed: int | None = None) -> MediaClusterModel:
    """Build and run one model; the convenience used by runners."""
    if params.run.start_year >= params.run.end_year:
        raise ParamsError(None, "run.end_year", "must be after run.start_year")
    return MediaClusterModel(params, seed=seed).run()
