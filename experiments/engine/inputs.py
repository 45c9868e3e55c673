"""The inputs every run of a study shares, shipped to the workers with each chunk.

A :class:`ParamsBundle` carries the *text* of the baseline, scenario and
policy files rather than their paths. Workers — local processes or Dask
workers on other machines — load params from that text, so a run never
depends on a shared filesystem, and a params file edited while a sweep is
running cannot leak into it: every run uses exactly the files whose hashes
the manifest records.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sim

BASELINE = "baseline.toml"

# One materialised copy of each bundle per process; TemporaryDirectory
# removes itself when the process exits. The lock matters on a Dask worker
# with several threads: two copies would race, and the one dropped from the
# dict would delete its folder while a run still reads it.
_MATERIALISED: dict[str, tempfile.TemporaryDirectory] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ParamsBundle:
    """Params files by path relative to the params folder (``baseline.toml``,
    ``scenarios/NAME.toml``, ``policies/NAME.toml``) -> file text."""

    files: dict[str, str]

    @classmethod
    def from_baseline(
        cls,
        baseline: str | Path,
        scenarios: list[str],
        policies: list[str],
        custom: dict[str, str] | None = None,
    ) -> ParamsBundle:
        """Read the baseline and the named overlays beside it.

        ``custom`` maps the names of policy mixes defined in the experiment
        file to their policy-file text (:mod:`.custom_policies`); they are
        bundled as ``policies/NAME.toml``. An unknown name raises
        :class:`sim.ParamsError` from the loader.
        """
        custom = custom or {}
        baseline = Path(baseline)
        files = {BASELINE: sim.read_text(baseline)}
        for folder, names in (("scenarios", scenarios), ("policies", policies)):
            for name in names:
                if folder == "scenarios" and name == "baseline":
                    continue  # "baseline" means no scenario overlay
                if folder == "policies" and name in custom:
                    files[f"policies/{name}.toml"] = custom[name]
                    continue
                path = baseline.parent / folder / f"{name}.toml"
                if not path.is_file():
                    sim.load_params(baseline, **{folder.rstrip("s"): name})  # raises
                files[f"{folder}/{name}.toml"] = sim.read_text(path)
        return cls(files)

    def hashes(self) -> dict[str, str]:
        """SHA-256 of each file's text."""
        return {name: _sha256(text) for name, text in sorted(self.files.items())}

    def digest(self) -> str:
        """One hash of the whole bundle."""
        return _sha256("\n".join(f"{n} {h}" for n, h in self.hashes().items()))

    def write(self, folder: str | Path) -> Path:
        """Write the files under ``folder``; return the path of the baseline."""
        folder = Path(folder)
        for name, text in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return folder / BASELINE

    def baseline_path(self) -> Path:
        """A baseline path in this process from which the bundle's params load."""
        key = self.digest()
        with _LOCK:
            if key not in _MATERIALISED:
                tmp = tempfile.TemporaryDirectory(prefix="mediacluster-params-")
                self.write(tmp.name)
                _MATERIALISED[key] = tmp
            return Path(_MATERIALISED[key].name) / BASELINE

    def load(self, scenario: str, policy: str, overrides: dict[str, Any]) -> sim.Params:
        """Validated params of one run."""
        return sim.load_params(
            self.baseline_path(), scenario=scenario, policy=policy, overrides=overrides
        )


@dataclass(frozen=True)
class RunSetup:
    """What every run of a study shares.

    ``overrides`` (dotted key -> value) apply to every run, before the
    spec's own design values; ``outcomes`` names the outcome columns to
    keep (``None``: all of them).
    """

    params: ParamsBundle
    overrides: dict[str, Any] = field(default_factory=dict)
    outcomes: tuple[str, ...] | None = None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
