"""Policy mixes defined inside an experiment or study file (``[custom_policies.NAME]``).

An analyst who wants a package of their own writes it into the experiment
file instead of ``[overrides]`` (which apply to every run, ``none`` included)::

    policies = ["none", "campus-plus", "my-mix"]

    [custom_policies.my-mix]
    description = "Campus plus a rent subsidy for start-ups."
    campus_amenity = { value = 0.2, start_year = 2027 }
    rent_subsidy = { value = 0.15, start_year = 2027, kinds = ["startup"] }

The table holds what the ``[policy]`` table of a file in ``params/policies/``
holds (``name`` is the table's name). Each mix becomes the text of a policy
file, ``policies/NAME.toml``, in the run inputs (:class:`ParamsBundle`), so
it is validated by the same schema, shipped to workers, hashed in the
manifest and kept in the store like any policy file. A mix may not reuse
the name of a policy file beside the baseline, unless the two texts are
identical (a store's own copy, which ``reproduce`` reads back).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import sim

from .inputs import BASELINE, ParamsBundle

TABLE = "custom_policies"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
HEADER = "# A policy mix defined inline in an experiment file: [custom_policies.{name}]\n"
BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def texts(path: Path | None, table: dict[str, Any], params_dir: Path | None) -> dict[str, str]:
    """The policy-file text of each mix in ``table`` (name -> TOML), names checked.

    Raises :class:`sim.ParamsError` naming ``path`` and the key for a bad
    name, a ``name`` that differs from the table's, or (with ``params_dir``)
    a clash with a policy file in ``params_dir/policies``.
    """
    out: dict[str, str] = {}
    for name, body in table.items():
        where = f"{TABLE}.{name}"
        if not NAME_PATTERN.match(name) or len(name) > 100:
            raise sim.ParamsError(
                path, where, "a policy name uses letters, digits, '-', '_' and '.' only"
            )
        if not isinstance(body, dict):
            raise sim.ParamsError(path, where, "expected a table of policy levers")
        if body.get("name", name) != name:
            raise sim.ParamsError(path, f"{where}.name", f"must be '{name}' (the table's name)")
        try:
            text = policy_text(name, body)
        except ValueError as err:
            raise sim.ParamsError(path, where, str(err)) from None
        out[name] = text
    if params_dir is not None:
        check_clashes(path, out, params_dir)
    return out


def check_clashes(path: Path | None, custom: dict[str, str], params_dir: Path) -> None:
    """Refuse a mix named like a different policy file in ``params_dir/policies``."""
    for name, text in custom.items():
        shipped = params_dir / "policies" / f"{name}.toml"
        if shipped.is_file() and sim.read_text(shipped) != text:
            raise sim.ParamsError(
                path,
                f"{TABLE}.{name}",
                f"a policy file {shipped} has this name; choose another name",
            )


def policy_text(name: str, body: dict[str, Any]) -> str:
    """A policy file's text for the mix: ``[policy]`` with ``name`` and the body's keys."""
    lines = [HEADER.format(name=name), "[policy]", f"name = {toml_value(name)}"]
    lines += [f"{_key(k)} = {toml_value(v)}" for k, v in body.items() if k != "name"]
    return "\n".join(lines) + "\n"


def baseline_with(baseline: Path, custom: dict[str, str]) -> Path:
    """A baseline path from which the custom policies load by name.

    Without custom policies, ``baseline`` itself. Otherwise the baseline in a
    per-process copy of the params folder (baseline, scenario and policy
    files) with the mixes added; :func:`real_error` maps its paths back.
    """
    if not custom:
        return baseline
    files = {BASELINE: sim.read_text(baseline)}
    for sub in ("scenarios", "policies"):
        for name in sim.available(baseline.parent, sub):
            files[f"{sub}/{name}.toml"] = sim.read_text(baseline.parent / sub / f"{name}.toml")
    files |= {f"policies/{name}.toml": text for name, text in custom.items()}
    return ParamsBundle(files).baseline_path()


def real_error(
    err: sim.ParamsError, path: Path, loaded_from: Path, baseline: Path, custom: dict[str, str]
) -> sim.ParamsError:
    """``err`` (raised loading from :func:`baseline_with`'s copy) naming the real file:
    the experiment file's ``[custom_policies.NAME]`` for a mix, else the params file."""
    if loaded_from == baseline or not err.file:
        return err
    try:
        relative = Path(err.file).relative_to(loaded_from.parent)
    except ValueError:
        return err
    if relative.parent.name == "policies" and relative.stem in custom:
        tail = (err.key or "").removeprefix("policy").lstrip(".")
        key = f"{TABLE}.{relative.stem}" + (f".{tail}" if tail else "")
        return sim.ParamsError(path, key, err.problem)
    real = baseline if str(relative) == BASELINE else baseline.parent / relative
    return sim.ParamsError(real, err.key, err.problem)


def policy_override_keys(overrides: dict[str, Any]) -> list[str]:
    """The override keys that change the policy (they apply to ``none`` too)."""
    return [key for key in overrides if key == "policy" or key.startswith("policy.")]


def override_warning(path: Path, overrides: dict[str, Any]) -> str | None:
    """A one-line warning when ``[overrides]`` touch policy keys, else None."""
    keys = policy_override_keys(overrides)
    if not keys:
        return None
    shown = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
    return (
        f"warning: {path}: [overrides] set {shown} in every run, the 'none' reference "
        f"included; define a named mix in [{TABLE}.NAME] instead"
    )


def _key(key: str) -> str:
    return key if BARE_KEY.match(key) else json.dumps(key)


def toml_value(value: Any) -> str:
    """A TOML value (strings, numbers, booleans, lists, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(value, int | float):
        return repr(value) if value == value and abs(value) != float("inf") else _special(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"{value!r} is not a value a policy file takes")


def _special(value: float) -> str:
    if value != value:
        return "nan"
    return "inf" if value > 0 else "-inf"
