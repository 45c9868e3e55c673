"""Scenario drivers: yearly values from piecewise-linear paths."""

from __future__ import annotations


def path_value(path: dict[int, float], year: float) -> float:
    """Value of a path at ``year``: linear between given years, flat outside them.

    The same arithmetic as ``numpy.interp`` (slope · (year − left) + left
    value) in plain Python: paths have a handful of points and the model
    reads ten of them every year, where building arrays cost more than
    the interpolation.
    """
    years = sorted(path)
    if year <= years[0]:
        return float(path[years[0]])
    if year >= years[-1]:
        return float(path[years[-1]])
    for left, right in zip(years, years[1:], strict=False):
        if left <= year < right:
            slope = (float(path[right]) - float(path[left])) / (float(right) - float(left))
            return slope * (float(year) - float(left)) + float(path[left])
    raise AssertionError("unreachable: year is inside the path")


def drivers_at(drivers: dict[str, dict[int, float]], year: float) -> dict[str, float]:
    """All drivers at one year."""
    return {name: path_value(path, year) for name, path in drivers.items()}
