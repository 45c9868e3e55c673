"""Mesa agents: one per organisation, the readable record of each.

The numbers that change every year (location, employees, leased floor
space, age) live in the model's numpy arrays so that a year's work is
vectorised; each agent reads its own row through properties, so
``agent.location`` or ``agent.employees`` is always current.
"""

from __future__ import annotations

import itertools
import weakref
from collections import deque

import mesa


class _IdCounters(weakref.WeakKeyDictionary):
    """Per-model unique-id counters that do not keep a model alive.

    Mesa 3.3 keeps the counters in ``Agent._ids``, a class-level dict keyed
    by the model itself, so every model ever made stays in memory with all
    its agents (about 1 MB per baseline run: a 20,000-run sweep would need
    tens of GB). ``Organisation._ids`` shadows it for our agents with weak
    keys: a finished model is freed as soon as nothing else refers to it.
    """

    def __getitem__(self, model):
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = self[model] = itertools.count(1)
            return counter


class Organisation(mesa.Agent):
    """An organisation that decides where to settle.

    Its kind (``kinds.NAME`` in params) is set per agent, so one class can
    serve several kinds; a kind needs its own class only for its own
    properties (a school's students).
    """

    kind: str = ""
    _ids = _IdCounters()  # read by mesa.Agent.__init__ as self._ids[model]

    def __init__(self, model, row: int, kind: str = ""):
        super().__init__(model)
        self.row = row  # index into the model's organisation arrays
        self.kind = kind

    @property
    def location(self) -> str | None:
        """Name of the current location (None for an entrant not yet placed)."""
        code = int(self.model.org_location[self.row])
        return self.model.location_names[code] if code >= 0 else None

    @property
    def employees(self) -> float:
        return float(self.model.org_employees[self.row])

    @property
    def floor_space(self) -> float:
        """Leased floor space (m²), set when the organisation last settled."""
        return float(self.model.org_space[self.row])

    @property
    def age(self) -> int:
        return int(self.model.org_age[self.row])

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.kind}, {self.location}, "
            f"{self.employees:.0f} employees, age {self.age})"
        )


class Broadcaster(Organisation):
    """A public or commercial broadcaster (its ``kind`` says which)."""


class ProductionCompany(Organisation):
    """A studio or outside-broadcast facility company, a post-production house or a producer."""


class TechFirm(Organisation):
    """Media tech, digital agencies, platforms' local offices."""


class School(Organisation):
    """An MBO, HBO or university media programme."""

    @property
    def students(self) -> float:
        return float(self.model.org_students[self.row])


class StartUp(Organisation):
    """A young firm in media and tech."""


# The classes a kind can name in ``kinds.NAME.agent`` (sim.params.AGENT_CLASSES).
CLASSES = {
    cls.__name__: cls
    for cls in (Organisation, Broadcaster, ProductionCompany, TechFirm, School, StartUp)
}


def agent_class(model, kind: str) -> type[Organisation]:
    """The agent class the params name for ``kind``."""
    return CLASSES[model.params.kinds[kind].agent]


def make_agent(model, row: int, kind: str) -> Organisation:
    """Create the agent of the right class for ``kind``."""
    return agent_class(model, kind)(model, row, kind)


# ------------------------------------------------------------------ batches
# Thousands of organisations enter and exit each year. Mesa registers an
# agent one at a time (a dict insertion, two weak-set insertions and a
# debug-log f-string per agent), which was most of a run's time. The two
# functions below do exactly what ``make_agent`` / ``Agent.remove`` do to
# the model's registries — same classes and attributes, unique ids from
# the same counter as ``Agent.__init__``, membership of ``model.agents`` and
# ``model.agents_by_type`` — for a whole batch at once. They touch Mesa 3.3
# internals (``Model._agents``, ``AgentSet._agents``, a WeakKeyDictionary);
# pyproject pins mesa < 3.4 and tests/test_validation_conservation.py checks
# that batch-made agents equal ``make_agent``'s and that the registries
# match the model's arrays every year.


def create_agents(model, rows: list[int], kind: str) -> list[Organisation]:
    """Create and register the agents of one ``kind`` for ``rows``; return them in row order.

    Equivalent to ``[make_agent(model, r, kind) for r in rows]``, about five
    times faster.
    """
    cls = agent_class(model, kind)
    new = object.__new__
    agents = []
    append = agents.append
    # zip takes a row before an id, so no id is used up past the last row.
    for row, uid in zip(rows, Organisation._ids[model], strict=False):
        agent = new(cls)
        agent.model = model
        agent.unique_id = uid
        agent.pos = None
        agent.row = row
        agent.kind = kind
        append(agent)
    _register(model, cls, agents)
    return agents


def _register(model, cls, agents: list) -> None:
    model._agents.update(dict.fromkeys(agents))
    by_type = model._agents_by_type.get(cls)
    if by_type is None:
        by_type = model._agents_by_type[cls] = mesa.agent.AgentSet([], random=model.random)
    for agent_set in (by_type, model._all_agents):
        weak = agent_set._agents  # keys are weak references with the dict's own callback
        weak.data.update(dict.fromkeys(map(weakref.ref, agents, itertools.repeat(weak._remove))))


def remove_agents(model, agents: list) -> None:
    """Deregister ``agents`` from the model, as ``agent.remove()`` does for each."""
    if not agents:
        return
    deque(map(model._agents.__delitem__, agents), maxlen=0)
    refs = list(map(weakref.ref, agents))
    deque(map(model._all_agents._agents.data.__delitem__, refs), maxlen=0)
    by_type: dict[type, list] = {}
    for agent, ref in zip(agents, refs, strict=True):
        by_type.setdefault(type(agent), []).append(ref)
    for cls, group in by_type.items():
        deque(map(model._agents_by_type[cls]._agents.data.__delitem__, group), maxlen=0)
