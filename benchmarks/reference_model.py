"""A per-agent, pure-Python Mesa implementation of the model's yearly rule — a benchmark reference.

This is how the model would look written the usual Mesa way: every
organisation is an agent that evaluates each location's utility itself
(Python floats and ``math``), draws its own Gumbel shocks from the
model's ``random.Random``, and moves; demography loops over the agents.
It implements the same rule as :mod:`sim.model` (docs/design.md §3) — the
utility of §3.2 with agglomeration recomputed for every decision, moving
costs, floor-space capacity with re-choice, growth into vacant space, consolidation,
exits, start-up failure and scale-up, Poisson entry, rent and talent —
with decisions taken one at a time (``decision_batch = 1``). Policy
levers are not implemented (the reference runs the baseline and
scenarios without a policy).

It is used only by ``benchmarks/bench.py`` (speed ratio) and by
``tests/test_validation_reference.py`` (which checks that it agrees with
the model in distribution, so that the ratio compares like with like).
The model never imports it. The floor-space market of each place (stock,
other tenants, pipeline, conversion: per-place bookkeeping, not agent
work) is the model's own ``sim.space.SpaceMarket``.
"""

from __future__ import annotations

import math
import statistics

import mesa
import numpy as np

import sim
from sim import choice
from sim.drivers import drivers_at
from sim.params import travel_matrix
from sim.space import SpaceMarket

_NORMAL = statistics.NormalDist()


class RefOrganisation(mesa.Agent):
    """One organisation; it decides where to settle by itself."""

    def __init__(self, model, kind: int, employees: float, location: int, space: float, age=0):
        super().__init__(model)
        self.kind = kind
        self.employees = employees
        self.location = location  # -1: an entrant not yet placed
        self.space = space
        self.age = age

    def decide(self) -> bool:
        """Choose a place (utility + μ·Gumbel; capacity, re-choice); False if none has room."""
        m = self.model
        row = m.utility_row(self.kind)
        shocks = [m.gumbel() for _ in row]
        kappa = m.kappa[self.kind]
        need = self.employees * m.space_per_employee[self.kind]
        excluded: set[int] = set()
        while True:
            best, best_value = -1, -math.inf
            for loc, value in enumerate(row):
                if loc in excluded:
                    continue
                total = value + m.mu * shocks[loc]
                if self.location >= 0 and loc != self.location:
                    total -= kappa
                if total > best_value:
                    best, best_value = loc, total
            if best < 0:
                return False
            if best == self.location:
                return True
            if m.constrained[best] and need > m.space[best] - m.occupied[best]:
                excluded.add(best)  # full: choose again among the others
                m.turned_away += 1
                m.market.turn_away(best, need)
                continue
            m.move(self, best, need)
            return True


class ReferenceModel(mesa.Model):
    """The yearly rule of :class:`sim.MediaClusterModel`, one agent at a time in pure Python."""

    def __init__(self, params: sim.Params, seed: int):
        super().__init__(rng=seed)
        if any(getattr(params.policy, lever).value for lever in sim.LEVERS):
            raise NotImplementedError("the reference model runs without policy levers")
        self.p = params
        self.year = params.run.start_year
        self.mu = params.run.logit_scale
        self.locs = params.location_names
        self.n_loc = len(self.locs)
        self.home = self.locs.index(params.home)
        self.kind_names = params.kind_names
        self.n_kinds = len(self.kind_names)
        locs = [params.locations[n] for n in self.locs]
        kinds = [params.kinds[k] for k in self.kind_names]
        self.specs = kinds
        self.space = [loc.floor_space_m2 for loc in locs]
        self.constrained = [math.isfinite(s) for s in self.space]
        self.rent_0 = [loc.base_rent for loc in locs]
        self.rent_trend = [loc.rent_trend for loc in locs]
        self.talent = [loc.talent_pool for loc in locs]
        self.travel = travel_matrix(params)
        self.kappa = [k.moving_cost for k in kinds]
        self.rho = [k.relocation_hazard for k in kinds]
        self.space_per_employee = [k.space_per_employee_m2 for k in kinds]
        names = self.kind_names
        self.gamma_0 = [[params.spillover.get(a, {}).get(b, 0.0) for b in names] for a in names]
        self.count_2025 = [k.count for k in kinds]
        self.turned_away = 0
        self._year_inputs()
        self._place_2025()
        self.rent = self._rent()
        grads = self._graduates()
        d = params.demography.talent_attrition
        self.talent_inflow = [d * h - g for h, g in zip(self.talent, grads, strict=True)]
        jobs = self._jobs_by_location()
        self.talent_per_job = [h / max(j, 1.0) for h, j in zip(self.talent, jobs, strict=True)]
        self.asc = self._calibrate()
        self._static_utility()
        self.datacollector = mesa.DataCollector(
            model_reporters={"year": "year", "orgs": "orgs_table", "jobs": "jobs_table"}
        )
        self._collect()

    # ---------------------------------------------------------------- setup
    def _year_inputs(self) -> None:
        self.drivers = drivers_at(self.p.drivers, self.year)
        decay = self.drivers["spillover_decay_minutes"]
        self.decay = [[math.exp(-t / decay) for t in row] for row in self.travel]
        self.pull = [[0.0] * self.n_loc for _ in range(self.n_kinds)]
        self.gamma = [list(row) for row in self.gamma_0]
        for k, spec in enumerate(self.specs):
            for loc, driver in spec.pulls.items():
                self.pull[k][self.locs.index(loc)] += self.drivers[driver]
            for other, driver in spec.spillover_drivers.items():
                self.gamma[k][self.kind_names.index(other)] += self.drivers[driver]

    def _size(self, kind: int) -> float:
        spec = self.specs[kind]
        return max(
            spec.employees_min,
            self.random.lognormvariate(math.log(spec.employees_median), spec.employees_sigma),
        )

    def _quantile_size(self, kind: int, i: int, n: int) -> float:
        """The i-th of n evenly spaced quantiles of the kind's size distribution (the model's 2025).

        As in the model, every seed starts from the same 2025 organisations
        (the data say how many are where, not which one is how big); the
        2025 sector must fit in the let part of each stock (sim.space).
        """
        spec = self.specs[kind]
        z = _NORMAL.inv_cdf((i + 0.5) / n)
        return max(spec.employees_min, spec.employees_median * math.exp(spec.employees_sigma * z))

    def _place_2025(self) -> None:
        self.occupied = [0.0] * self.n_loc
        self.jobs = [[0.0] * self.n_loc for _ in range(self.n_kinds)]
        for k, count in enumerate(self.count_2025):
            shares = [self.specs[k].shares_2025[n] for n in self.locs]
            exact = [count * s for s in shares]
            per_loc = [math.floor(x) for x in exact]
            order = sorted(range(self.n_loc), key=lambda i: -(exact[i] - per_loc[i]))
            for i in order[: count - sum(per_loc)]:
                per_loc[i] += 1
            sizes = [self._quantile_size(k, i, n) for n in per_loc for i in range(n)]
            places = [loc for loc, n in enumerate(per_loc) for _ in range(n)]
            for size, loc in zip(sizes, places, strict=True):
                self._new(k, size, loc)
        self.market = SpaceMarket(self.p, np.array(self.occupied))
        self.space = self.market.capacity().tolist()

    def _new(self, kind: int, employees: float, loc: int, age: int = 0) -> RefOrganisation:
        space = employees * self.space_per_employee[kind] if loc >= 0 else 0.0
        agent = RefOrganisation(self, kind, employees, loc, space, age)
        if loc >= 0:
            self.jobs[kind][loc] += employees
            self.occupied[loc] += space
        return agent

    def _drop(self, agent: RefOrganisation) -> None:
        if agent.location >= 0:
            self.jobs[agent.kind][agent.location] -= agent.employees
            self.occupied[agent.location] -= agent.space
        agent.remove()

    def _calibrate(self) -> list[list[float]]:
        """The model's share inversion (a one-off numpy call; not part of the yearly work)."""
        kinds = self.specs
        self.asc = [[0.0] * self.n_loc for _ in range(self.n_kinds)]
        self._static_utility()
        v = np.array([self.utility_row(k) for k in range(self.n_kinds)])
        target = np.array([[k.shares_2025[n] for n in self.locs] for k in kinds])
        entrants = np.zeros(self.n_kinds)
        for k, spec in enumerate(kinds):
            if spec.entry_driver:
                entrants[k] = self.drivers[spec.entry_driver] * self.count_2025[k]
        movers = np.array(self.rho) * np.array(self.count_2025)
        start = np.array([[k.asc.get(n, 0.0) for n in self.locs] for k in kinds])
        if not self.p.run.calibrate:
            return start.tolist()
        asc, _, _ = choice.calibrate_asc(
            v, target, entrants, movers, np.array(self.kappa), self.mu, start
        )
        return asc.tolist()

    # --------------------------------------------------------------- utility
    def _static_utility(self) -> None:
        """ASC, rent, talent, facilities, amenity and pulls: fixed within a year."""
        ref = self.p.reference
        f = self.drivers["facility_importance"]
        self.static = []
        for k, spec in enumerate(self.specs):
            row = []
            for loc, name in enumerate(self.locs):
                place = self.p.locations[name]
                row.append(
                    self.asc[k][loc]
                    - spec.rent_weight * math.log(self.rent[loc] / ref.rent)
                    + spec.talent_weight * math.log1p(self.talent[loc] / ref.talent)
                    + spec.facility_weight * f * place.facility_quality
                    + spec.amenity_weight * place.amenity
                    + self.pull[k][loc]
                )
            self.static.append(row)

    def local_mass(self) -> list[list[float]]:
        """ln(1 + M[k', ℓ] / M_ref) from the jobs as they are now."""
        ref = self.p.reference.mass_jobs
        out = []
        for jobs_row in self.jobs:
            out.append(
                [
                    math.log1p(sum(j * d for j, d in zip(jobs_row, decay_row, strict=True)) / ref)
                    for decay_row in self.decay
                ]
            )
        return out

    def utility_row(self, kind: int) -> list[float]:
        """V[kind, ℓ] for every location, from the current state."""
        log_mass = self.local_mass()
        prox = self.drivers["proximity_importance"]
        gamma = self.gamma[kind]
        return [
            self.static[kind][loc] + prox * sum(g * log_mass[k2][loc] for k2, g in enumerate(gamma))
            for loc in range(self.n_loc)
        ]

    def gumbel(self) -> float:
        return -math.log(-math.log(1.0 - self.random.random()))

    def move(self, agent: RefOrganisation, loc: int, need: float) -> None:
        if agent.location >= 0:
            self.jobs[agent.kind][agent.location] -= agent.employees
            self.occupied[agent.location] -= agent.space
        agent.location, agent.space = loc, need
        self.jobs[agent.kind][loc] += agent.employees
        self.occupied[loc] += need

    # -------------------------------------------------------------- the year
    def step(self) -> None:
        self.year += 1
        self._year_inputs()
        self.market.new_year(self.year, np.array(self.occupied), 0.0, 0.0)
        self.space = self.market.capacity().tolist()
        self._static_utility()
        hazard = self._exit_hazards()
        squeezed = self._grow()
        self._consolidate()
        for agent in list(self.agents):
            spec = self.specs[agent.kind]
            if agent.employees < spec.exit_below_employees or (
                spec.exit_hazard is not None
                and self.random.random() < hazard[agent.kind][agent.location]
            ):
                self._drop(agent)
        for agent in list(self.agents):
            up = self.specs[agent.kind].scale_up
            if up and agent.age >= up.min_age and self.random.random() < up.rate:
                into = self.kind_names.index(up.into)
                loc = agent.location
                extra = agent.employees * (
                    self.space_per_employee[into] - self.space_per_employee[agent.kind]
                )
                if self.constrained[loc] and extra > self.space[loc] - self.occupied[loc]:
                    self.market.turn_away(loc, extra)  # no room to grow: deferred
                    continue
                self._new(into, agent.employees, loc, agent.age)
                self._drop(agent)
        deciders = [
            a for a in self.agents if self.random.random() < self.rho[a.kind] or a in squeezed
        ]
        for kind, spec in enumerate(self.specs):
            if not spec.entry_driver:
                continue
            for _ in range(self._poisson(self.drivers[spec.entry_driver] * self.count_2025[kind])):
                deciders.append(self._new(kind, self._size(kind), -1))
        self.decisions(deciders)
        self.rent = self._rent()
        self._update_talent()
        self._collect()

    def _grow(self) -> set:
        """Age and growth; growth at a full place shares the room pro rata (the model's rule).

        Returns the organisations whose growth was held back (they reconsider).
        """
        growth = [self.drivers[s.growth_driver] if s.growth_driver else 0.0 for s in self.specs]
        growing = [0.0] * self.n_loc
        room = [s - o for s, o in zip(self.space, self.occupied, strict=True)]
        for agent in self.agents:
            delta = agent.employees * growth[agent.kind] * self.space_per_employee[agent.kind]
            if delta > 0:
                growing[agent.location] += delta
            else:
                room[agent.location] -= delta
        factor = [1.0] * self.n_loc
        for loc in range(self.n_loc):
            if self.constrained[loc] and growing[loc] > room[loc] + 1e-9:
                factor[loc] = max(room[loc], 0.0) / growing[loc]
                self.market.turn_away(loc, growing[loc] - max(room[loc], 0.0))
        squeezed = set()
        for agent in list(self.agents):
            agent.age += 1
            rate = growth[agent.kind]
            if rate:
                if rate > 0 and factor[agent.location] < 1.0:
                    rate *= factor[agent.location]
                    squeezed.add(agent)
                added = agent.employees * rate
                agent.employees += added
                self.jobs[agent.kind][agent.location] += added
                space = added * self.space_per_employee[agent.kind]
                agent.space += space
                self.occupied[agent.location] += space
        return squeezed

    def decisions(self, deciders: list[RefOrganisation]) -> None:
        """The year's deciders, shuffled, decide one at a time on the current state."""
        self.random.shuffle(deciders)
        for agent in deciders:
            if not agent.decide():
                agent.remove()  # no location has room

    def run(self) -> ReferenceModel:
        while self.year < self.p.run.end_year:
            self.step()
        return self

    def _exit_hazards(self) -> list[list[float]]:
        """Yearly exit hazard per kind and location: h0 · exp(−ω · the kind's local spillover)."""
        log_mass = self.local_mass()
        prox = self.drivers["proximity_importance"]
        out = []
        for k, spec in enumerate(self.specs):
            h0, omega = spec.exit_hazard or 0.0, spec.exit_spillover_protection
            out.append(
                [
                    h0
                    * math.exp(
                        -omega
                        * prox
                        * sum(g * log_mass[k2][loc] for k2, g in enumerate(self.gamma[k]))
                    )
                    for loc in range(self.n_loc)
                ]
            )
        return out

    def _consolidate(self) -> None:
        for k, spec in enumerate(self.specs):
            if spec.consolidation_driver and self.drivers[spec.consolidation_driver] > 0:
                self._merge_kind(k, self.drivers[spec.consolidation_driver])

    def _merge_kind(self, kind: int, c: float) -> None:
        by_location: dict[int, list[RefOrganisation]] = {}
        for agent in self.agents:
            if agent.kind == kind:
                by_location.setdefault(agent.location, []).append(agent)
        for here in by_location.values():
            absorbed = [self.random.random() < c for _ in here]
            if all(absorbed):
                absorbed[0] = False
            survivors = [a for a, gone in zip(here, absorbed, strict=True) if not gone]
            for agent, gone in zip(here, absorbed, strict=True):
                if gone:
                    into = self.random.choice(survivors)
                    into.employees += agent.employees
                    into.space += agent.space  # the survivor takes the space with the jobs
                    self.jobs[kind][agent.location] += agent.employees
                    self.occupied[agent.location] += agent.space
                    self._drop(agent)

    def _poisson(self, lam: float) -> int:
        """Poisson draw by counting exponential inter-arrival times within one unit."""
        n, t = 0, self.random.expovariate(lam) if lam > 0 else math.inf
        while t <= 1.0:
            n += 1
            t += self.random.expovariate(lam)
        return n

    def _rent(self) -> list[float]:
        demo = self.p.demography
        years = self.year - self.p.run.start_year
        rent = [r * (1.0 + t) ** years for r, t in zip(self.rent_0, self.rent_trend, strict=True)]
        factor = self.market.rent_factor(
            np.array(self.occupied),
            demo.target_occupancy,
            demo.rent_elasticity,
            demo.rent_floor_factor,
            demo.rent_cap_factor,
        )
        for loc in range(self.n_loc):
            if self.constrained[loc]:
                rent[loc] = self.rent_0[loc] * float(factor[loc])
        return rent

    def _graduates(self) -> list[float]:
        years = self.p.demography.school_programme_years
        grads = [0.0] * self.n_loc
        for agent in self.agents:
            students = self.specs[agent.kind].students_per_org
            if students > 0:
                grads[agent.location] += students / years
        return grads

    def _jobs_by_location(self) -> list[float]:
        return [sum(self.jobs[k][loc] for k in range(self.n_kinds)) for loc in range(self.n_loc)]

    def _update_talent(self) -> None:
        demo = self.p.demography
        jobs = self._jobs_by_location()
        weight = [t * j for t, j in zip(self.talent_per_job, jobs, strict=True)]
        total, wsum = sum(self.talent), sum(weight)
        grads = self._graduates()
        new = []
        for loc in range(self.n_loc):
            target = total * weight[loc] / wsum if wsum > 0 else self.talent[loc]
            new.append(
                max(
                    0.0,
                    (1 - demo.talent_attrition) * self.talent[loc]
                    + grads[loc]
                    + self.talent_inflow[loc]
                    + demo.talent_drift * (target - self.talent[loc]),
                )
            )
        self.talent = new

    def _collect(self) -> None:
        self.orgs_table = [[0] * self.n_loc for _ in range(self.n_kinds)]
        for agent in self.agents:
            self.orgs_table[agent.kind][agent.location] += 1
        self.jobs_table = [list(row) for row in self.jobs]
        self.datacollector.collect(self)

    def hilversum_orgs_share(self) -> list[float]:
        """Share of each kind's organisations in Hilversum now."""
        return [row[self.home] / max(sum(row), 1) for row in self.orgs_table]
