"""Scenario drivers: yearly values from piecewise-linear paths."""

from __future__ import annotations

import numpy as np


def path_value(path: dict[int, float], year: float) -> float:
    """Value of a path at ``year``: linear between given years, flat outside them."""
    years = np.array(sorted(path), dtype=float)
    values = np.array([path[int(y)] for y in years], dtype=float)
    return float(np.interp(year, years, values))


def drivers_at(drivers: dict[str, dict[int, float]], year: float) -> dict[str, float]:
    """All drivers at one year."""
    return {name: path_value(path, year) for name, path in drivers.items()}
