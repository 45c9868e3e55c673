"""Checks every study kind shares: names of scenarios and policies, the baseline file.

Experiment files (sweep), study files (sensitivity) and the study kinds that
follow name scenario and policy files and a baseline; these checks turn
each mistake into one :class:`sim.ParamsError` naming the file and the key.
"""

from __future__ import annotations

from pathlib import Path

import sim

ALL = "all"


def check_baseline(path: Path, base: Path) -> None:
    """Raise ParamsError naming ``path``'s ``baseline`` key unless ``base`` is a baseline
    params file (with ``[run]`` and ``[locations]``), say an experiment file given by
    mistake. The params themselves are validated when they are loaded."""
    tree = sim.params.read_toml(base)
    if not ("run" in tree and "locations" in tree):
        raise sim.ParamsError(
            path, "baseline", f"{base} is not a baseline params file (no [run] and [locations])"
        )


def resolve_names(
    path: Path,
    key: str,
    names: list[str],
    params_dir: Path,
    extra: tuple[str, ...] = (),
    custom: tuple[str, ...] = (),
) -> list[str]:
    """Scenario or policy names of an experiment or study file, checked against the
    files in ``params_dir/key`` and the file's own ``custom`` mixes; ``["all"]`` is
    all of them, and bad input if there are none."""
    known = list(dict.fromkeys([*sim.available(params_dir, key), *custom]))
    if names == [ALL]:
        if not known:
            raise sim.ParamsError(
                path, key, f'"{ALL}" matches nothing: no .toml files in {params_dir / key}'
            )
        return known
    for i, name in enumerate(names):
        if name not in known and name not in extra:
            label = key.rstrip("s").replace("policie", "policy")
            choices = ", ".join([*extra, *known])
            problem = f"unknown {label} '{name}' (known: {choices})"
            raise sim.ParamsError(path, f"{key}[{i}]", problem)
    if len(set(names)) != len(names):
        raise sim.ParamsError(path, key, "lists a name twice")
    return list(names)
