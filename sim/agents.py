"""Mesa agents: one per organisation, the readable record of each.

The numbers that change every year (location, employees, leased floor
space, age) live in the model's numpy arrays so that a year's work is
vectorised; each agent reads its own row through properties, so
``agent.location`` or ``agent.employees`` is always current.
"""

from __future__ import annotations

import mesa


class Organisation(mesa.Agent):
    """An organisation that decides where to settle."""

    kind: str = ""

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = row  # index into the model's organisation arrays

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
    """A public or commercial broadcaster, or a production/facility company."""

    def __init__(self, model, row: int, public: bool):
        super().__init__(model, row)
        self.public = public
        self.kind = "public_broadcaster" if public else "commercial_broadcaster"


class TechFirm(Organisation):
    """Media tech, digital agencies, platforms' local offices."""

    kind = "tech_firm"


class School(Organisation):
    """An MBO, HBO or university media programme."""

    kind = "school"

    @property
    def students(self) -> float:
        return float(self.model.org_students[self.row])


class StartUp(Organisation):
    """A young firm in media and tech."""

    kind = "startup"


def make_agent(model, row: int, kind: str) -> Organisation:
    """Create the agent of the right class for ``kind``."""
    if kind == "public_broadcaster":
        return Broadcaster(model, row, public=True)
    if kind == "commercial_broadcaster":
        return Broadcaster(model, row, public=False)
    return {"tech_firm": TechFirm, "school": School, "startup": StartUp}[kind](model, row)
