"""What every section of the report draws on, read once from the stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .answer import DEFAULT_DISCOUNT_RATE, Answer, answer, per_run
from .hindcast import Calibration, find_calibration
from .html import esc
from .messages import Messages
from .robust import RobustStudy, read_robust
from .stores import StoreInfo, sweep_yearly

DEFAULT_PARAMS = Path("params")


@dataclass
class SweepResult:
    """One sweep's per-run rows and page one's answer made from them."""

    info: StoreInfo
    runs: pd.DataFrame  # one row per run (answer.per_run)
    answer: Answer


@dataclass
class Context:
    """The stores, the language, the params files the report describes, derived results."""

    stores: list[StoreInfo]
    command: str
    generated: str
    m: Messages = field(default_factory=Messages)
    target: float | None = None  # percent; None: the first-year share
    rate: float = DEFAULT_DISCOUNT_RATE
    sweeps: list[SweepResult] = field(default_factory=list)
    studies: list[StoreInfo] = field(default_factory=list)
    robust: list[RobustStudy] = field(default_factory=list)
    params_dir: Path = DEFAULT_PARAMS
    params_note: str = ""
    params_file: str = ""  # the linked parameter appendix (file name next to the report)
    calibration: Calibration | None = None  # the hindcast shown in "Grounded in history"
    # stores whose named posterior is missing or not the one shown: (store, path, sha, problem)
    posterior_problems: list[tuple[str, str, str, str]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        stores: list[StoreInfo],
        command: str,
        generated: str,
        m: Messages,
        target: float | None = None,
        rate: float = DEFAULT_DISCOUNT_RATE,
        hindcast: str | Path | None = None,
    ) -> Context:
        """Read what the sections need from the stores (and the calibration: ``hindcast``,
        else the one the stores name or have next to them, see :mod:`.hindcast`)."""
        ctx = cls(stores, command, generated, m, target, rate)
        found = find_calibration(stores, hindcast)
        ctx.calibration, ctx.posterior_problems = found.calibration, found.problems
        for info in stores:
            if info.kind == "sweep":
                runs = per_run(sweep_yearly(info), rate)
                a = answer(
                    runs, info.manifest["scenarios"], info.manifest["policies"], target, rate
                )
                ctx.sweeps.append(SweepResult(info, runs, a))
            elif info.kind == "robust":
                ctx.robust.append(read_robust(info.path, info.name))
            else:
                ctx.studies.append(info)
        ctx.params_dir, ctx.params_note = _params_source(stores, m)
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


def _params_source(stores: list[StoreInfo], m: Messages) -> tuple[Path, str]:
    """The params files to describe: the copy stored with the first store that has one
    (exactly what was run), else the working tree's params/."""
    for info in stores:
        folder = info.inputs_dir()
        if folder is not None:
            return folder, f"<code>{esc(folder)}</code>"
    return DEFAULT_PARAMS, "<code>params/</code>"
