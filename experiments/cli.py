"""The ``mediacluster`` command line (DESIGN §9).

Bad input — params, experiment files, arguments — ends with one message
on stderr naming the file, the key and the problem, and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sim

EXIT_BAD_INPUT = 2
DEFAULT_BASELINE = Path("params/baseline.toml")


class BadArguments(Exception):
    """A command-line argument that cannot be used."""


class Parser(argparse.ArgumentParser):
    """argparse that reports errors as BadArguments instead of exiting."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise BadArguments(f"{self.prog}: {message}")


def parse_sets(pairs: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` strings to a dict; a pair without '=' is bad input."""
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadArguments(f"--set {pair!r}: expected KEY=VALUE, e.g. run.end_year=2035")
        out[key.strip()] = value.strip()
    return out


def cmd_run(args: argparse.Namespace) -> int:
    from .single_run import write_run

    overrides = parse_sets(args.set)
    scenario = args.scenario or "baseline"
    policy = args.policy or "none"
    out = (
        args.out or Path("results") / "runs" / f"{scenario}__{policy}__seed{args.seed or 'default'}"
    )
    folder = write_run(
        args.baseline, args.scenario, args.policy, args.seed, overrides, out, sys.argv
    )
    print(
        f"wrote {folder}/ (outcomes.csv, outcomes.parquet, calibration.csv, "
        "summary.json, manifest.json, hilversum_share.png)"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    for path in args.files:
        print(check_any(path))
    return 0


def check_any(path: str | Path) -> str:
    """Validate a params file (baseline, scenario or policy) and describe it."""
    return sim.check_file(path)


def build_parser() -> Parser:
    parser = Parser(prog="mediacluster", description="Media Valley 2040 model and experiments.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    run = sub.add_parser("run", help="one model run, written to a folder")
    run.add_argument("--scenario", help="scenario name (params/scenarios/NAME.toml)")
    run.add_argument("--policy", help="policy package name (params/policies/NAME.toml)")
    run.add_argument("--seed", type=int, help="random seed (default: run.seed in params)")
    run.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        default=[],
        help="override one param, e.g. --set run.end_year=2035 (repeatable)",
    )
    run.add_argument("--out", type=Path, help="output folder (default results/runs/...)")
    run.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE, help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)

    check = sub.add_parser("check", help="validate params files")
    check.add_argument("files", nargs="+", type=Path)
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "seed", None) is not None and args.seed < 0:
            raise BadArguments("--seed: must be a non-negative integer")
        return args.func(args)
    except sim.ParamsError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BadArguments as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
