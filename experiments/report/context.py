"""What every section of the report draws on, read once from the stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .html import esc
from .robustness import Robustness, robustness
from .stores import StoreInfo, sweep_runs

DEFAULT_PARAMS = Path("params")


@dataclass
class SweepResult:
    """One sweep's per-run rows and the robustness table made from them."""

    info: StoreInfo
    runs: pd.DataFrame  # one row per run: scenario, policy, year, share, start_year, cost
    robustness: Robustness

    def band(self, scenario: str, policy: str) -> tuple[float, float, float]:
        """(p05, median, p95) of the final-year share in points."""
        cell = self.runs[(self.runs["scenario"] == scenario) & (self.runs["policy"] == policy)]
        q = 100 * cell["hilversum_jobs_share"].quantile([0.05, 0.5, 0.95])
        return float(q.iloc[0]), float(q.iloc[1]), float(q.iloc[2])


@dataclass
class Context:
    """The stores, the params files the report describes, and derived results."""

    stores: list[StoreInfo]
    command: str
    generated: str
    sweeps: list[SweepResult] = field(default_factory=list)
    studies: list[StoreInfo] = field(default_factory=list)
    params_dir: Path = DEFAULT_PARAMS
    params_note: str = ""

    @classmethod
    def build(cls, stores: list[StoreInfo], command: str, generated: str) -> Context:
        """Read what the sections need from the stores."""
        ctx = cls(stores, command, generated)
        for info in stores:
            if info.kind == "sweep":
                runs = sweep_runs(info)
                table = robustness(runs, info.manifest["scenarios"], info.manifest["policies"])
                ctx.sweeps.append(SweepResult(info, runs, table))
            else:
                ctx.studies.append(info)
        ctx.params_dir, ctx.params_note = _params_source(stores)
        return ctx

    @property
    def scenarios(self) -> list[str]:
        """The scenarios to describe: the first sweep's, else the first study's, else the
        params folder's."""
        for info in [s.info for s in self.sweeps] + self.studies:
            if info.manifest.get("scenarios"):
                return list(info.manifest["scenarios"])
        folder = self.params_dir / "scenarios"
        return sorted(p.stem for p in folder.glob("*.toml"))

    @property
    def policies(self) -> list[str]:
        """The policy packages to describe (the first sweep's, else the params folder's)."""
        if self.sweeps:
            return list(self.sweeps[0].info.manifest["policies"])
        return sorted(p.stem for p in (self.params_dir / "policies").glob("*.toml"))


def _params_source(stores: list[StoreInfo]) -> tuple[Path, str]:
    """The params files to describe: the copy stored with the first store that has one
    (exactly what was run), else the working tree's params/."""
    for info in stores:
        folder = info.inputs_dir()
        if folder is not None:
            return folder, (
                f"the copy of the params files stored with <code>{esc(info.path)}</code> "
                "(exactly the files its runs used)"
            )
    return DEFAULT_PARAMS, "the params files in <code>params/</code> (no store kept a copy)"
