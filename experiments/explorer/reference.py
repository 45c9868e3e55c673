"""The stored sweep's paths of Hilversum's jobs share, for the explorer to draw.

Per scenario × policy × year: the median and the 5–95% band over the
replications (:func:`experiments.sweep.summary.yearly_band`, the same numbers as
the sweep's fan charts).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

import sim

from ..engine.store import Store
from ..sweep.summary import yearly_band

OUTCOME = "hilversum_jobs_share"
# The store `make run` writes (params/experiments/scenarios.toml); another
# store can be named with the environment variable MEDIACLUSTER_SWEEP.
DEFAULT_SWEEP = Path("results/scenarios")


def sweep_path() -> Path:
    """The sweep store the explorer compares with."""
    return Path(os.environ.get("MEDIACLUSTER_SWEEP", DEFAULT_SWEEP))


class SweepReference:
    """Median and 5–95% band of one outcome per scenario, policy and year.

    ``problem`` says why there is nothing to compare with (no store, not a
    sweep, no finished runs), for the explorer to show instead of a path.
    """

    def __init__(self, path: str | Path, outcome: str = OUTCOME):
        self.store = Store(path)
        self.outcome = outcome
        self.bands: pd.DataFrame | None = None
        self.problem: str | None = None
        try:
            self._load()
        except (OSError, ValueError, sim.ParamsError) as err:
            self.problem = f"cannot read the sweep at {self.store.path}: {err}"

    def _load(self) -> None:
        path = self.store.path
        if not path.exists():
            self.problem = f"no sweep store at {path} (run `make run` first)"
        elif not self.store.exists():
            self.problem = f"{path} is not a results store (no manifest.json)"
        elif self.store.read_manifest().get("kind") != "sweep":
            self.problem = f"{path} is not a scenario × policy sweep"
        elif not self.store.parts("runs"):
            self.problem = f"{path} holds no finished runs yet"
        elif self.outcome not in self.store.outcome_columns():
            self.problem = f"{path} did not keep the outcome {self.outcome}"
        else:
            self.bands = yearly_band(self.store, self.outcome)

    @property
    def available(self) -> bool:
        """True if there are paths to compare with."""
        return self.bands is not None and len(self.bands) > 0

    def path(self, scenario: str, policy: str) -> tuple[str, pd.DataFrame] | None:
        """(policy used, band table by year) for the scenario and policy, else for the
        scenario without policy (``none``); None if the sweep has neither."""
        if not self.available:
            return None
        for pol in dict.fromkeys((policy, "none")):
            rows = self.bands[(self.bands["scenario"] == scenario) & (self.bands["policy"] == pol)]
            if len(rows):
                return pol, rows.sort_values("year").reset_index(drop=True)
        return None

    def final_bands(self, scenario: str) -> pd.DataFrame | None:
        """Per policy package: the final year's median and 5–95% band in ``scenario``."""
        if not self.available:
            return None
        rows = self.bands[self.bands["scenario"] == scenario]
        if not len(rows):
            return None
        last = rows[rows["year"] == rows["year"].max()]
        return last[["policy", "year", "runs", "p05", "median", "p95"]].reset_index(drop=True)
