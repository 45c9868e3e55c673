"""The ``mediacluster`` command line (docs/design.md §9).

Bad input — params, experiment files, arguments — ends with one message
on stderr naming the file, the key and the problem, and exit code 2.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from pathlib import Path

import sim

EXIT_BAD_INPUT = 2
EXIT_RUNS_FAILED = 1  # sweep: some runs raised; reproduce: results differ; store damaged
EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention
EXIT_TERMINATED = 143  # 128 + SIGTERM
DEFAULT_BASELINE = Path("params/baseline.toml")
DEFAULT_DISCOUNT_PERCENT = 2.25  # Werkgroep discontovoet 2020 (see experiments/report/answer.py)


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: unwind (stores mark themselves interrupted), then exit.

    A KeyboardInterrupt, so that every ``except Exception`` lets it through
    and the runner's clean-up runs as for Ctrl-C.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame) -> None:
    # Further signals while unwinding would raise inside the clean-up and end
    # in a traceback: the first one is enough (clean-up is bounded).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


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
    import json

    import pandas as pd

    from .single_run import headline, write_run

    overrides = parse_sets(args.set)
    folder = write_run(
        args.baseline,
        args.scenario,
        args.policy,
        args.seed,
        overrides,
        args.out,
        sys.argv,
        overwrite=args.overwrite,
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    outcomes = pd.read_parquet(folder / "outcomes.parquet")
    print(headline(outcomes, manifest["scenario"], manifest["policy"], manifest["seed"]))
    print(
        f"wrote {folder}/ (outcomes.csv, outcomes.parquet, calibration.csv, "
        "summary.json, manifest.json, hilversum_share.png)"
    )
    return 0


def _store_options(args: argparse.Namespace) -> dict:
    """The options that sweep and sensitivity share, checked, as keyword arguments."""
    _check_workers(args)
    if args.resume and args.overwrite:
        raise BadArguments("--resume and --overwrite: choose one")
    return {
        "out": args.out,
        "workers": args.workers,
        "scheduler": args.scheduler,
        "resume": args.resume,
        "overwrite": args.overwrite,
        "chunk_size": args.chunk_size,
        "progress": not args.quiet,
        "figures": not args.no_figures,
        "command": sys.argv,
    }


def cmd_sweep(args: argparse.Namespace) -> int:
    from .sweep.experiment_file import check_warnings, load_experiment
    from .sweep.pipeline import run_sweep

    options = _store_options(args)
    for warning in check_warnings(load_experiment(args.experiment)):
        print(warning, file=sys.stderr)  # e.g. overrides that change 'none' too
    outcome = run_sweep(args.experiment, **options)
    print(
        f"wrote {outcome.store}/: {outcome.done} of {outcome.planned} runs stored "
        f"({outcome.ran} run now); summary.csv" + ("" if args.no_figures else ", figures/")
    )
    if outcome.failed:
        print(
            f"error: {outcome.failed} of {outcome.planned} runs failed; "
            f"see {outcome.store}/failures.csv (--resume retries them)",
            file=sys.stderr,
        )
        return EXIT_RUNS_FAILED
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .sensitivity.pipeline import RunsIncomplete, describe, run_study

    options = _store_options(args)
    try:
        result = run_study(args.experiment, **options)
    except RunsIncomplete as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_RUNS_FAILED
    print(describe(result))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from .calibration.pipeline import run_calibration

    options = _store_options(args)
    result = run_calibration(args.calibration, **options)
    post = result.summary
    within = int(result.fit["within"].sum())
    print(
        f"wrote {result.store}/: {len(result.populations)} populations, "
        f"{result.simulations} proposals and predictive runs judged; posterior.parquet, "
        "posterior_summary.csv, fit.csv" + ("" if args.no_figures else ", figures/")
    )
    for row in post.itertuples():
        print(
            f"  {row.parameter}: posterior median {row.posterior_median:.3g} "
            f"(90% {row.posterior_p05:.3g}–{row.posterior_p95:.3g}; prior {row.prior_low:g}–"
            f"{row.prior_high:g})"
        )
    print(
        f"  patterns within tolerance (posterior-predictive median): {within} of {len(result.fit)}"
    )
    return 0


def cmd_robust(args: argparse.Namespace) -> int:
    from .robust.pipeline import RunsIncomplete, describe, run_robust

    options = _store_options(args)
    try:
        result = run_robust(args.study, search=not args.no_search, **options)
    except RunsIncomplete as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_RUNS_FAILED
    print(describe(result))
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    from .engine.executors import make_executor
    from .engine.reproduce import format_report, reproduce

    _check_workers(args)
    if args.sample is not None and args.sample < 1:
        raise BadArguments("--sample: must be a positive integer")
    from .calibration.pipeline import MANIFEST, substores

    folders = [args.results]
    if (Path(args.results) / MANIFEST).is_file():  # a calibration: every batch store in it
        folders = substores(args.results)
    identical = True
    with make_executor(args.workers, args.scheduler) as (executor, _label):
        for folder in folders:
            report = reproduce(folder, args.sample, args.sample_seed, executor)
            print(format_report(report, folder))
            identical = identical and report.identical
    return 0 if identical else EXIT_RUNS_FAILED


def _check_workers(args: argparse.Namespace) -> None:
    if args.workers is not None and args.workers < 1:
        raise BadArguments("--workers: must be a positive integer")
    if args.workers is not None and args.scheduler not in (None, "local"):
        raise BadArguments("--workers applies to local workers; a scheduler has its own")
    if getattr(args, "chunk_size", None) is not None and args.chunk_size < 1:
        raise BadArguments("--chunk-size: must be a positive integer")


def cmd_report(args: argparse.Namespace) -> int:
    from .report import build_report

    if args.target is not None and not 0 <= args.target <= 100:
        raise BadArguments(f"--target {args.target:g}: give Hilversum's share in percent, 0-100")
    if not 0 <= args.discount_rate < 100:
        raise BadArguments(
            f"--discount-rate {args.discount_rate:g}: give a yearly percentage, 0-100"
        )
    typed = ["mediacluster", "report", *map(str, args.results)]
    for flag, value, default in (
        ("--out", args.out, None),
        ("--lang", args.lang, "en"),
        ("--target", args.target, None),
        ("--discount-rate", args.discount_rate, DEFAULT_DISCOUNT_PERCENT),
        ("--hindcast", args.hindcast, None),
    ):
        if value is not None and value != default:
            typed += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
    path = build_report(
        args.results,
        out=args.out,
        command=shlex.join(typed),
        lang=args.lang,
        target=args.target,
        discount_rate=args.discount_rate / 100,
        hindcast=args.hindcast,
    )
    print(f"wrote {path} and {path.with_name(path.stem + '_parameters.html').name}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    for path in args.files:
        print(check_any(path))
    return 0


def check_any(path: str | Path) -> str:
    """Validate a params file (baseline, scenario or policy), an experiment, study,
    robust-study or calibration file."""
    from .calibration.calibration_file import (
        check_history_file,
        is_calibration_file,
        load_calibration,
    )
    from .robust.study import describe_robust, is_robust_file
    from .robust.study import load_study as load_robust
    from .sensitivity.plan import describe_study
    from .sensitivity.study import is_study_file, load_study
    from .sweep.experiment_file import check_warnings, is_experiment_file, load_experiment

    if is_calibration_file(path):
        cal = load_calibration(path)
        return (
            f"{path}: valid calibration '{cal.name}': {len(cal.parameters)} parameters, "
            f"{len(cal.patterns)} patterns, {cal.particles} particles × up to "
            f"{cal.populations} populations"
        )
    if Path(path).parent.name == "history" and not is_experiment_file(path):
        described = check_history_file(path)
        if described:
            return described
    if is_robust_file(path):
        return describe_robust(load_robust(path))
    if is_study_file(path):
        return describe_study(load_study(path))
    if is_experiment_file(path):
        exp = load_experiment(path)
        custom = [name for name in exp.policies if name in exp.custom_policies]
        return "\n".join(
            [
                f"{path}: valid experiment '{exp.name}': {len(exp.scenarios)} scenarios × "
                f"{len(exp.policies)} policies × {exp.replications} replications = "
                f"{exp.n_runs} runs" + (f" (custom: {', '.join(custom)})" if custom else ""),
                *check_warnings(exp),
            ]
        )
    return sim.check_file(path)


def _store_arguments(parser: argparse.ArgumentParser, what: str, default_out: str) -> None:
    """Options of the commands that fill a results store (sweep, sensitivity)."""
    _executor_options(parser)
    parser.add_argument("--resume", action="store_true", help=f"continue a stopped {what}")
    parser.add_argument(
        "--overwrite", action="store_true", help="delete an existing store at --out first"
    )
    parser.add_argument("--out", type=Path, help=f"results folder (default {default_out})")
    parser.add_argument("--chunk-size", type=int, help="runs per task (default: measured)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")


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
    run.add_argument(
        "--overwrite", action="store_true", help="replace an earlier run's files at --out"
    )
    run.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE, help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)

    sweep = sub.add_parser("sweep", help="scenarios × policies × replications of an experiment")
    sweep.add_argument("experiment", type=Path, help="experiment file (params/experiments/*.toml)")
    _store_arguments(sweep, "sweep", "results/<experiment>")
    sweep.set_defaults(func=cmd_sweep)

    sens = sub.add_parser("sensitivity", help="SALib sensitivity study of a study file")
    sens.add_argument("experiment", type=Path, help="study file (params/experiments/*.toml)")
    _store_arguments(sens, "study", "results/<study name>")
    sens.set_defaults(func=cmd_sensitivity)

    calib = sub.add_parser(
        "calibrate", help="ABC-SMC calibration on observed history (params/history/*.toml)"
    )
    calib.add_argument("calibration", type=Path, help="calibration file")
    _store_arguments(calib, "calibration", "results/<calibration name>")
    calib.set_defaults(func=cmd_calibrate)
    robust = sub.add_parser(
        "robust",
        help="robust decisions: policies across a futures ensemble, searched mixes, "
        "budget frontier, scenario discovery",
    )
    robust.add_argument("study", type=Path, help="robust study file (params/experiments/*.toml)")
    _store_arguments(robust, "study", "results/<study name>")
    robust.add_argument(
        "--no-search", action="store_true", help="judge the packages and named mixes only"
    )
    robust.set_defaults(func=cmd_robust)

    repro = sub.add_parser("reproduce", help="re-run a results store and compare")
    repro.add_argument("results", type=Path, help="results folder of a sweep")
    repro.add_argument("--sample", type=int, help="re-run only N randomly chosen runs")
    repro.add_argument(
        "--sample-seed", type=int, default=0, help="seed of the sample choice (default 0)"
    )
    _executor_options(repro)
    repro.set_defaults(func=cmd_reproduce)

    report = sub.add_parser("report", help="the policymakers' report.html of results stores")
    report.add_argument(
        "results", nargs="+", type=Path, metavar="RESULTS_DIR", help="sweep / sensitivity stores"
    )
    report.add_argument(
        "--out",
        type=Path,
        help="the HTML file (default: report.html, or report_nl.html for --lang nl, in the "
        "first sweep store)",
    )
    report.add_argument(
        "--lang", choices=["en", "nl"], default="en", help="language: en (default) or nl"
    )
    report.add_argument(
        "--target",
        type=float,
        metavar="PERCENT",
        help="Hilversum's final-year jobs share to keep, in %% (default: its first-year share)",
    )
    report.add_argument(
        "--discount-rate",
        type=float,
        default=DEFAULT_DISCOUNT_PERCENT,
        metavar="PERCENT",
        help="yearly discount rate for costs, in %% (default 2.25, the Dutch standard rate)",
    )
    report.add_argument(
        "--hindcast",
        type=Path,
        metavar="DIR",
        help="a calibration folder (make hindcast) to show in 'Grounded in history' "
        "(default: the posterior a store names, else a 'hindcast' folder next to the stores)",
    )
    report.set_defaults(func=cmd_report)

    check = sub.add_parser("check", help="validate params and experiment files")
    check.add_argument("files", nargs="+", type=Path)
    check.set_defaults(func=cmd_check)
    return parser


def _executor_options(parser: Parser) -> None:
    parser.add_argument(
        "--workers", type=int, help="local worker processes (default: all cores; 1 = in-process)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster: scheduler address (tcp://host:8786) or 'local'",
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code.

    Every way a command can end is one line on stderr at most: bad input
    or an unusable path (exit 2), a damaged store (exit 1), SIGINT or
    SIGTERM (exit 130 or 143; a store being written is marked interrupted
    and ``--resume`` continues it).
    """
    from .engine.store import StoreDamaged

    handlers = _catch_signals()
    command = None
    try:
        args = build_parser().parse_args(argv)
        command = args.command
        if getattr(args, "seed", None) is not None and args.seed < 0:
            raise BadArguments("--seed: must be a non-negative integer")
        return args.func(args)
    except (sim.ParamsError, BadArguments) as err:
        print(f"error: {_one_line(err)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreDamaged as err:
        print(f"error: {_one_line(err)}", file=sys.stderr)
        return EXIT_RUNS_FAILED
    except OSError as err:
        # A path the command had to read or write (an --out in /proc, a full
        # disk while writing a report): the file and the system's reason.
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as err:
        signum = err.signum if isinstance(err, Stopped) else signal.SIGINT
        name = signal.Signals(signum).name
        resume = " (finished chunks are stored; continue with --resume)"
        stores = command in ("sweep", "sensitivity")
        print(f"interrupted by {name}{resume if stores else ''}", file=sys.stderr)
        return EXIT_TERMINATED if signum == signal.SIGTERM else EXIT_INTERRUPTED
    finally:
        _restore_signals(handlers)


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split("\n"))


def _catch_signals() -> dict:
    """Route SIGINT and SIGTERM to :func:`_stop` (main thread only); return the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        old[sig] = signal.signal(sig, _stop)
    return old


def _restore_signals(old: dict) -> None:
    for sig, handler in old.items():
        signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
