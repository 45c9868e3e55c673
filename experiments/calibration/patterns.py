"""Observed patterns (``params/history/patterns.toml``): schema, values from runs, distance.

A pattern is one number computed from a run's yearly outcomes — the sum of
some outcome columns in a year (``value``) or its relative change since a
base year (``change``) — with the observed number and a tolerance
``[low, high]``. The distance of a run to history is the root mean square of
the patterns' misses, each divided by its half-tolerance on the side of the
miss, so a pattern at the edge of its tolerance contributes 1 and every
pattern weighs alike whatever its unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import sim

from ..engine.checks import read_tree


class PatternSchema(BaseModel):
    """One ``[[pattern]]`` table."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    label: str = ""
    columns: list[str] = Field(min_length=1)
    statistic: Literal["value", "change"]
    year: int
    base_year: int | None = None
    observed: float
    low: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> PatternSchema:
        for name in ("observed", "low", "high"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be a finite number")
        if not self.low < self.high:
            raise ValueError(f"tolerance low ({self.low}) must be below high ({self.high})")
        if not self.low <= self.observed <= self.high:
            raise ValueError(
                f"observed ({self.observed}) must lie within the tolerance "
                f"[{self.low}, {self.high}]"
            )
        if self.statistic == "change":
            if self.base_year is None:
                raise ValueError("a 'change' pattern needs base_year")
            if self.base_year >= self.year:
                raise ValueError(f"base_year ({self.base_year}) must be before year ({self.year})")
        elif self.base_year is not None:
            raise ValueError("base_year is only used by a 'change' pattern")
        return self


@dataclass(frozen=True)
class Pattern:
    """A validated pattern."""

    target: str
    label: str
    columns: tuple[str, ...]
    statistic: str
    year: int
    base_year: int | None
    observed: float
    low: float
    high: float

    def value(self, runs: pd.DataFrame) -> pd.Series:
        """The pattern's number for every run in a long table (run_id, year, columns)."""
        total = runs[list(self.columns)].sum(axis=1)
        by_year = pd.DataFrame({"run_id": runs["run_id"], "year": runs["year"], "v": total})
        table = by_year.pivot_table(index="run_id", columns="year", values="v", aggfunc="first")
        if self.year not in table.columns:
            return pd.Series(np.nan, index=table.index)
        now = table[self.year]
        if self.statistic == "value":
            return now
        base = table[self.base_year] if self.base_year in table.columns else np.nan
        return now / base - 1.0

    def misses(self, values: np.ndarray) -> np.ndarray:
        """Signed misses in units of the half-tolerance on their side (NaN stays NaN)."""
        values = np.asarray(values, dtype=float)
        up = (values - self.observed) / (self.high - self.observed)
        down = (values - self.observed) / (self.observed - self.low)
        return np.where(values >= self.observed, up, down)

    def within(self, values: np.ndarray) -> np.ndarray:
        """True where a value lies within the tolerance."""
        values = np.asarray(values, dtype=float)
        return (values >= self.low) & (values <= self.high)


def load_patterns(path: str | Path) -> list[Pattern]:
    """Read and validate a patterns file (schema only; columns are checked by
    :func:`check_columns` against the model's outcome names)."""
    path = Path(path)
    _text, tree = read_tree(path)
    unknown = set(tree) - {"pattern"}
    if unknown:
        raise sim.ParamsError(path, sorted(unknown)[0], "unknown key (expected [[pattern]] tables)")
    rows = tree.get("pattern")
    if not isinstance(rows, list) or not rows:
        raise sim.ParamsError(path, "pattern", "needs at least one [[pattern]] table")
    patterns = []
    for i, row in enumerate(rows):
        try:
            raw = PatternSchema.model_validate(row)
        except ValidationError as err:
            key, problem = sim.describe_validation_error(err)
            name = row.get("target") if isinstance(row, dict) else None
            where = f"pattern[{i}]" + (f" ({name})" if name else "")
            raise sim.ParamsError(path, f"{where}.{key}" if key else where, problem) from None
        patterns.append(
            Pattern(
                raw.target,
                raw.label or raw.target,
                tuple(raw.columns),
                raw.statistic,
                raw.year,
                raw.base_year,
                raw.observed,
                raw.low,
                raw.high,
            )
        )
    targets = [p.target for p in patterns]
    for i, target in enumerate(targets):
        if targets.index(target) != i:
            raise sim.ParamsError(path, f"pattern[{i}].target", f"'{target}' is used twice")
    return patterns


def check_columns(
    patterns: list[Pattern], path: str | Path, known: list[str], years: range
) -> None:
    """Every pattern's columns must be model outcomes and its years inside the run."""
    names = set(known) - {"year"}
    for i, p in enumerate(patterns):
        for j, column in enumerate(p.columns):
            if column not in names:
                raise sim.ParamsError(
                    path, f"pattern[{i}] ({p.target}).columns[{j}]", f"unknown outcome '{column}'"
                )
        for key in ("year", "base_year"):
            year = getattr(p, key)
            if year is not None and year not in years:
                raise sim.ParamsError(
                    path,
                    f"pattern[{i}] ({p.target}).{key}",
                    f"{year} is outside the run's years {years.start}–{years.stop - 1}",
                )


def pattern_values(patterns: list[Pattern], runs: pd.DataFrame) -> pd.DataFrame:
    """One row per run (index run_id), one column per pattern target."""
    return pd.DataFrame({p.target: p.value(runs) for p in patterns})


def distances(patterns: list[Pattern], values: pd.DataFrame) -> np.ndarray:
    """RMS of the scaled misses per run; a run with a missing value is infinitely far."""
    misses = np.column_stack([p.misses(values[p.target].to_numpy()) for p in patterns])
    d = np.sqrt(np.mean(misses**2, axis=1))
    return np.where(np.isfinite(d), d, np.inf)


def outcome_columns(patterns: list[Pattern]) -> tuple[str, ...]:
    """The outcome columns the patterns need, each once, in first-use order."""
    return tuple(dict.fromkeys(c for p in patterns for c in p.columns))
