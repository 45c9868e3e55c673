"""Checks every study kind shares: names of scenarios and policies, the baseline file.

Experiment files (sweep), study files (sensitivity) and the study kinds that
follow name scenario and policy files and a baseline; these checks turn
each mistake into one :class:`sim.ParamsError` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import sim

ALL = "all"


def names_or_all(value: Any) -> Any:
    """A field validator's body for a list of names that may be the string "all"
    (kept as ``["all"]`` and resolved against the files by :func:`resolve_names`)."""
    if isinstance(value, str):
        if value != ALL:
            raise ValueError(f'expected a list of names or "{ALL}"')
        return [ALL]
    return value


def read_tree(path: str | Path) -> tuple[str, dict[str, Any]]:
    """A study file's text and parsed TOML; I/O, encoding and syntax errors as one
    :class:`sim.ParamsError` naming the file."""
    path = Path(path)
    text = sim.read_text(path)
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise sim.ParamsError(path, None, f"invalid TOML: {err}") from None


def peek_tree(path: str | Path) -> dict[str, Any] | None:
    """The parsed TOML of ``path``, or None if it cannot be read or parsed: for
    telling study kinds apart before the chosen kind's loader reports problems."""
    try:
        return read_tree(path)[1]
    except sim.ParamsError:
        return None


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


def match_keys(tree: dict[str, Any], pattern: str) -> list[tuple[str, Any]]:
    """The (dotted key, value) pairs of ``tree`` that a dotted pattern names; ``*``
    stands for any key at its level (``kinds.*.moving_cost``)."""
    return _match(tree, pattern.split("."), "")


def _match(node: Any, parts: list[str], prefix: str) -> list[tuple[str, Any]]:
    if not parts:
        return [(prefix.rstrip("."), node)]
    if not isinstance(node, dict):
        return []
    head, rest = parts[0], parts[1:]
    keys = list(node) if head == "*" else [k for k in node if str(k) == head]
    out = []
    for key in keys:
        out += _match(node[key], rest, f"{prefix}{key}.")
    return out


def covered_keys(tree: dict[str, Any], patterns) -> set[str]:
    """Every concrete params key the key patterns match in ``tree``."""
    return {key for pattern in patterns for key, _ in match_keys(tree, pattern)}


def uncertain_defaults(
    params: sim.Params, covered: set[str], names: set[str], path: Path, section: str
) -> list[tuple[str, Any]]:
    """The params' ``[uncertain]`` entries a study adds by default (docs/design.md §3.8):
    ``(name, spec)`` for each entry whose key nothing in the study sets already
    (``covered``). An entry of the study's ``section`` (``factors``, ``uncertainties``)
    with an ``[uncertain]`` entry's name but other keys is refused, naming ``path``."""
    out = []
    for name, spec in params.uncertain.items():
        if spec.key in covered:
            continue
        if name in names:
            raise sim.ParamsError(
                path,
                f"{section}.{name}",
                f"has the name of the params' [uncertain.{name}] but sets other keys; rename "
                "it or set uncertain = false",
            )
        out.append((name, spec))
    return out
