"""Malformed inputs, one table: every case ends in one line, no traceback, and changes
no file outside the output it was meant to write (issue 9).

Each case builds a work folder (a copy of ``params/``, a small finished sweep
store, an experiment file; the command runs with the work folder as current
directory), breaks one thing, runs the command line in this process and checks
the exit code, that stderr is one line (none for a ``reproduce`` that reports
differences on stdout), that its words name the file and problem, and that a
hash of every file in the work folder — except the case's intended output —
is unchanged.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from experiments.cli import main
from experiments.engine import store as store_module

from .conftest import ROOT
from .sweep_helpers import FullDisk, write_experiment

QUIET = ["--workers", "1", "--quiet", "--no-figures"]
STORE = "store"  # the finished sweep in every work folder: 2 scenarios × 1 policy × 2 = 4 runs


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """A work folder with params/, exp.toml and a finished store, built once per module."""
    work = tmp_path_factory.mktemp("reference")
    shutil.copytree(ROOT / "params", work / "params")
    exp = write_experiment(
        work,
        name="exp",
        baseline="params/baseline.toml",
        scenarios=["trend", "cloud-commons"],
        policies=["none"],
        end_year=2026,
    )
    code = main(["sweep", str(exp), "--out", str(work / STORE), "--chunk-size", "1", *QUIET])
    assert code == 0
    return work


# ---------------------------------------------------------------- helpers to break things
def write(rel: str, data: bytes | str) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        path = w / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)

    return setup


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        path = w / rel
        text = path.read_text()
        assert old in text, (old, rel)
        path.write_text(text.replace(old, new, 1))

    return setup


def latin1(rel: str) -> Callable[[Path], None]:
    """One Latin-1 byte (é) in an otherwise UTF-8 file, inside a comment."""

    def setup(w: Path) -> None:
        path = w / rel
        path.write_bytes(b"# caf\xe9\n" + path.read_bytes())

    return setup


def utf16(rel: str) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        path = w / rel
        path.write_bytes(path.read_text().encode("utf-16"))

    return setup


def remove(rel: str) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        path = w / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    return setup


def emptied(rel: str) -> Callable[[Path], None]:
    """A folder with every file in it removed."""

    def setup(w: Path) -> None:
        for p in (w / rel).iterdir():
            p.unlink()

    return setup


def part(i: int, how: str) -> Callable[[Path], None]:
    """Damage the i-th run part of the store: truncate, empty, random, delete, alter."""

    def setup(w: Path) -> None:
        path = sorted((w / STORE / "runs").glob("part-*.parquet"))[i]
        data = path.read_bytes()
        if how == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif how == "empty":
            path.write_bytes(b"")
        elif how == "random":
            path.write_bytes(hashlib.sha512(b"noise").digest() * 20)
        elif how == "delete":
            path.unlink()
        elif how == "alter":
            table = pq.read_table(path).to_pandas()
            table.loc[0, "hilversum_jobs_share"] += 1e-9
            table.to_parquet(path, index=False)

    return setup


def all_parts_deleted(w: Path) -> None:
    for p in (w / STORE / "runs").glob("part-*.parquet"):
        p.unlink()


def manifest(transform: Callable[[dict], object]) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        path = w / STORE / "manifest.json"
        value = transform(json.loads(path.read_text()))
        path.write_text(json.dumps(value))

    return setup


def without(key: str) -> Callable[[dict], dict]:
    return lambda m: {k: v for k, v in m.items() if k != key}


def web_project(w: Path) -> None:
    """A folder that is not a store but holds a manifest.json (a web app's)."""
    (w / "site" / "src").mkdir(parents=True)
    (w / "site" / "manifest.json").write_text('{"name": "My app", "start_url": "/"}')
    (w / "site" / "src" / "index.js").write_text("console.log('precious')")


def earlier_run(w: Path) -> None:
    (w / "prev").mkdir()
    (w / "prev" / "manifest.json").write_text('{"tool": "mediacluster", "kind": "run"}')
    (w / "prev" / "outcomes.csv").write_text("year\n2025\n")


def experiment(**fields) -> Callable[[Path], None]:
    """An experiment file ``x.toml`` in the work folder (fields as in write_experiment)."""

    def setup(w: Path) -> None:
        keys = {"name": "exp", "baseline": "params/baseline.toml", "policies": ["none"]}
        write_experiment(w, **{**keys, **fields})

    return setup


STUDY = """name = "s"
baseline = "params/baseline.toml"
scenarios = "all"
policy = "none"
replications = 2
master_seed = 1
[morris]
trajectories = 10
levels = 4
[factors.rent_subsidy]
role = "lever"
key = "policy.rent_subsidy.value"
bounds = [0.0, 0.3]
reason = "a test range"
[factors.campus]
role = "lever"
key = "policy.campus_amenity.value"
bounds = [0.0, 0.5]
reason = "a test range"
"""


def full_disk(only: str = "part-") -> Callable[[pytest.MonkeyPatch], None]:
    """Patch the store's file writes (of paths containing ``only``) to fill the disk."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        real = open

        def fake_open(path, mode="r", *args, **kwargs):
            fh = real(path, mode, *args, **kwargs)
            return FullDisk(fh, path) if "w" in mode and only in str(path) else fh

        monkeypatch.setattr(store_module, "open", fake_open, raising=False)

    return patch


def readonly_mkdir(monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only mount, as Linux reports it (root may write anywhere else here)."""

    def fake_mkdir(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", fake_mkdir)


# ---------------------------------------------------------------- the table
@dataclass
class Case:
    args: list[str]
    code: int
    words: tuple[str, ...]
    setup: Callable[[Path], None] | None = None
    output: str | None = None  # the one path (relative) the command may change
    patch: Callable[[pytest.MonkeyPatch], None] | None = None


B, S, P = "params/baseline.toml", "params/scenarios/trend.toml", "params/policies/all-in.toml"
SWEEP = ["sweep", "exp.toml", *QUIET]
RESUME = ["sweep", "exp.toml", "--out", STORE, "--resume", *QUIET]
REPRO = ["reproduce", STORE, "--workers", "1"]

CASES: dict[str, Case] = {
    # ---- params files (check, run)
    "baseline: one Latin-1 byte": Case(["check", B], 2, (B, "not UTF-8", "0xe9"), latin1(B)),
    "baseline: UTF-16": Case(["check", B], 2, (B, "not UTF-8"), utf16(B)),
    "baseline: empty": Case(["check", B], 2, (B, "not a params file"), write(B, "")),
    "baseline: random bytes": Case(["check", B], 2, (B, "not UTF-8"), write(B, b"\x89PNG\xff")),
    "baseline: toml syntax": Case(
        ["check", B], 2, (B, "invalid TOML"), replace(B, "[demography]", "[demography")
    ),
    "baseline: unknown key": Case(
        ["check", B],
        2,
        (B, "demography.bogus", "unknown key"),
        replace(B, "[demography]\n", "[demography]\nbogus = 1\n"),
    ),
    "baseline: a folder": Case(["check", "params/scenarios"], 2, ("scenarios", "cannot read")),
    "check: missing file": Case(["check", "nope.toml"], 2, ("nope.toml", "file not found")),
    "scenario: Latin-1 byte": Case(["check", S], 2, (S, "not UTF-8"), latin1(S)),
    "policy: UTF-16": Case(["check", P], 2, (P, "not UTF-8"), utf16(P)),
    "policy: out of range": Case(
        ["check", P],
        2,
        (P, "campus_amenity", "1"),
        replace(P, "campus_amenity = { value = 0.2", "campus_amenity = { value = 1.2"),
    ),
    "run: baseline UTF-16": Case(["run", "--out", "o"], 2, (B, "not UTF-8"), utf16(B)),
    "run: policy Latin-1": Case(
        ["run", "--policy", "all-in", "--out", "o"], 2, (P, "not UTF-8"), latin1(P)
    ),
    "run: scenario that is a path": Case(
        ["run", "--scenario", "../policies/all-in", "--out", "o"],
        2,
        ("unknown scenario '../policies/all-in'",),
    ),
    "run: policy that is a path": Case(
        ["run", "--policy", "../scenarios/trend", "--out", "o"], 2, ("unknown policy",)
    ),
    "run: absolute path as scenario": Case(
        ["run", "--scenario", "/etc/hostname", "--out", "o"], 2, ("unknown scenario",)
    ),
    "run: --set without =": Case(["run", "--set", "run.end_year"], 2, ("expected KEY=VALUE",)),
    "run: --set unknown key": Case(["run", "--set", "run.nope=3"], 2, ("run.nope", "unknown")),
    "run: --seed -1": Case(["run", "--seed", "-1"], 2, ("--seed", "non-negative")),
    "run: --seed x": Case(["run", "--seed", "x"], 2, ("--seed", "invalid int")),
    "run: unknown option": Case(["run", "--bogus"], 2, ("unrecognized arguments",)),
    "run: --out a file": Case(["run", "--out", "f"], 2, ("f", "is a file"), write("f", "x")),
    "run: --out under a file": Case(
        ["run", "--out", "f/sub"], 2, ("f/sub", "f is a file"), write("f", "x")
    ),
    "run: --out in /proc": Case(
        ["run", "--out", "/proc/mediacluster-run"], 2, ("/proc", "cannot write here")
    ),
    "run: --out in /sys": Case(
        ["run", "--out", "/sys/mediacluster-run"], 2, ("/sys", "cannot write here")
    ),
    "run: --out on a read-only mount": Case(
        ["run", "--out", "ro/o"], 2, ("ro/o", "Read-only file system"), patch=readonly_mkdir
    ),
    "run: --out a sweep store": Case(["run", "--out", STORE], 2, (STORE, "is a results store")),
    "run: --out a non-empty folder": Case(["run", "--out", "params"], 2, ("params", "not empty")),
    "run: --out a web project": Case(
        ["run", "--out", "site", "--overwrite"], 2, ("site", "not empty"), web_project
    ),
    "run: --out an earlier run": Case(
        ["run", "--out", "prev"], 2, ("prev", "earlier run", "--overwrite"), earlier_run
    ),
    # ---- experiment files
    "experiment: Latin-1 byte": Case(SWEEP, 2, ("exp.toml", "not UTF-8"), latin1("exp.toml")),
    "experiment: UTF-16": Case(SWEEP, 2, ("exp.toml", "not UTF-8"), utf16("exp.toml")),
    "experiment: empty": Case(SWEEP, 2, ("exp.toml", "missing"), write("exp.toml", "")),
    "experiment: toml syntax": Case(
        SWEEP, 2, ("exp.toml", "invalid TOML"), replace("exp.toml", "name =", "name")
    ),
    "experiment: unknown key": Case(
        SWEEP, 2, ("exp.toml", "bogus", "unknown key"), experiment(bogus=1)
    ),
    "experiment: replications 0": Case(
        SWEEP, 2, ("replications", "greater than"), experiment(replications=0)
    ),
    "experiment: replications text": Case(
        SWEEP, 2, ("replications", "integer"), experiment(replications="x")
    ),
    "experiment: negative seed": Case(SWEEP, 2, ("master_seed",), experiment(master_seed=-1)),
    "experiment: scenarios a word": Case(
        SWEEP, 2, ("scenarios", '"all"'), experiment(scenarios="some")
    ),
    'experiment: "all" scenarios, none there': Case(
        SWEEP,
        2,
        ("exp.toml", "scenarios", '"all" matches nothing'),
        lambda w: (experiment(scenarios="all")(w), emptied("params/scenarios")(w)),
    ),
    'experiment: "all" policies, no folder': Case(
        SWEEP,
        2,
        ("exp.toml", "policies", '"all" matches nothing'),
        lambda w: (experiment(policies="all")(w), remove("params/policies")(w)),
    ),
    "experiment: scenario that is a path": Case(
        SWEEP,
        2,
        ("scenarios[0]", "unknown scenario"),
        experiment(scenarios=["../policies/all-in"]),
    ),
    "experiment: a name twice": Case(
        SWEEP, 2, ("scenarios", "twice"), experiment(scenarios=["trend", "trend"])
    ),
    "experiment: baseline missing": Case(
        SWEEP, 2, ("baseline", "file not found"), experiment(baseline="nope.toml")
    ),
    "experiment: baseline is not a params file": Case(
        SWEEP,
        2,
        ("exp.toml", "baseline", "not a baseline params file"),
        experiment(baseline="exp.toml", scenarios=["baseline"]),
    ),
    "experiment: baseline is a scenario": Case(
        SWEEP,
        2,
        ("baseline", "not a baseline params file"),
        experiment(baseline=S, scenarios=["baseline"]),
    ),
    "experiment: baseline a folder": Case(
        SWEEP, 2, ("baseline", "file not found"), experiment(baseline="params")
    ),
    "experiment: baseline not UTF-8": Case(
        SWEEP,
        2,
        (B, "not UTF-8"),
        lambda w: (experiment()(w), latin1(B)(w)),
    ),
    "experiment: unknown outcome": Case(
        SWEEP, 2, ("outcomes[0]", "unknown outcome"), experiment(outcomes=["nope"])
    ),
    "experiment: outcome twice": Case(
        SWEEP,
        2,
        ("outcomes", "twice"),
        experiment(outcomes=["hilversum_jobs_share", "hilversum_jobs_share"]),
    ),
    "experiment: override out of range": Case(
        SWEEP, 2, ("overrides", "end_year"), experiment(end_year=2000)
    ),
    "experiment: name with a slash": Case(
        SWEEP, 2, ("name", "pattern"), replace("exp.toml", 'name = "exp"', 'name = "a/b"')
    ),
    "experiment: chunk_size 0": Case(
        SWEEP, 2, ("chunk_size", "greater than"), experiment(chunk_size=0)
    ),
    "experiment: a folder": Case(["sweep", "params", *QUIET], 2, ("params", "cannot read")),
    "experiment: missing": Case(["sweep", "nope.toml", *QUIET], 2, ("nope.toml", "not found")),
    # ---- sweep options and --out paths
    "sweep: --workers 0": Case([*SWEEP, "--workers", "0"], 2, ("--workers", "positive")),
    "sweep: --chunk-size 0": Case([*SWEEP, "--chunk-size", "0"], 2, ("--chunk-size",)),
    "sweep: --resume and --overwrite": Case(
        [*SWEEP, "--resume", "--overwrite"], 2, ("choose one",)
    ),
    "sweep: --workers with a scheduler": Case(
        ["sweep", "exp.toml", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
        2,
        ("--workers applies to local workers",),
    ),
    "sweep: --scheduler tls:// without certificates": Case(
        ["sweep", "exp.toml", "--scheduler", "tls://127.0.0.1:1", "--quiet"],
        2,
        ("--scheduler", "tls://127.0.0.1:1", "TLS", "docs/cluster.md"),
    ),
    "sweep: --scheduler of an unknown protocol": Case(
        ["sweep", "exp.toml", "--scheduler", "nonsense://x:1", "--quiet"],
        2,
        ("--scheduler", "unknown address scheme"),
    ),
    "sweep: --out a file": Case([*SWEEP, "--out", "f"], 2, ("f", "is a file"), write("f", "x")),
    "sweep: --out under a file": Case(
        [*SWEEP, "--out", "f/sub"], 2, ("f/sub", "f is a file"), write("f", "x")
    ),
    "sweep: --out in /proc": Case(
        [*SWEEP, "--out", "/proc/mediacluster-sweep"], 2, ("/proc", "cannot write here")
    ),
    "sweep: --out in /sys": Case(
        [*SWEEP, "--out", "/sys/mediacluster-sweep"], 2, ("/sys", "cannot write here")
    ),
    "sweep: --out on a read-only mount": Case(
        [*SWEEP, "--out", "ro/o"], 2, ("ro/o", "Read-only file system"), patch=readonly_mkdir
    ),
    "sweep: --out a non-empty folder": Case(
        [*SWEEP, "--out", "params"], 2, ("params", "not a results store")
    ),
    "sweep: --overwrite a web project": Case(
        [*SWEEP, "--out", "site", "--overwrite"],
        2,
        ("site/manifest.json", "not a mediacluster results store"),
        web_project,
    ),
    "sweep: --resume a web project": Case(
        [*SWEEP, "--out", "site", "--resume"],
        2,
        ("site/manifest.json", "not a mediacluster results store"),
        web_project,
    ),
    "sweep: --out a store, no --resume": Case(
        [*SWEEP, "--out", STORE], 2, (STORE, "already holds results")
    ),
    "sweep: --overwrite a store with a damaged manifest": Case(
        [*SWEEP, "--out", STORE, "--overwrite"],
        2,
        ("manifest.json", "invalid JSON"),
        write(f"{STORE}/manifest.json", "{"),
    ),
    "sweep: --resume a store with a damaged manifest": Case(
        RESUME, 2, ("manifest.json", "invalid JSON"), write(f"{STORE}/manifest.json", "{")
    ),
    "sweep: --resume without design.parquet": Case(
        RESUME, 2, ("design.parquet", "missing"), remove(f"{STORE}/design.parquet")
    ),
    "sweep: a full disk": Case(
        [*SWEEP, "--out", "full"],
        2,
        ("No space left on device", "--resume"),
        output="full",
        patch=full_disk(),
    ),
    # ---- damaged stores: reproduce
    "reproduce: manifest invalid JSON": Case(
        REPRO, 2, ("manifest.json", "invalid JSON"), write(f"{STORE}/manifest.json", "{")
    ),
    "reproduce: manifest empty": Case(
        REPRO, 2, ("manifest.json", "invalid JSON"), write(f"{STORE}/manifest.json", "")
    ),
    "reproduce: manifest a list": Case(
        REPRO, 2, ("manifest.json", "JSON array"), manifest(lambda m: [m])
    ),
    "reproduce: manifest without inputs": Case(
        REPRO, 2, ("manifest.json", "inputs", "missing"), manifest(without("inputs"))
    ),
    "reproduce: manifest not UTF-8": Case(
        REPRO, 2, ("manifest.json", "not UTF-8"), latin1(f"{STORE}/manifest.json")
    ),
    "reproduce: manifest of another tool": Case(
        REPRO, 2, ("not a mediacluster results store",), manifest(lambda m: {"name": "x"})
    ),
    "reproduce: design.parquet missing": Case(
        REPRO, 2, ("design.parquet", "missing"), remove(f"{STORE}/design.parquet")
    ),
    "reproduce: design.parquet damaged": Case(
        REPRO, 2, ("design.parquet", "damaged"), write(f"{STORE}/design.parquet", b"PAR1")
    ),
    "reproduce: a plain file": Case(
        ["reproduce", "exp.toml"], 2, ("exp.toml", "is a file, not a results folder")
    ),
    "reproduce: no such folder": Case(["reproduce", "nope"], 2, ("nope", "no such folder")),
    "reproduce: --sample 0": Case([*REPRO, "--sample", "0"], 2, ("--sample", "positive")),
    "reproduce: truncated part": Case(REPRO, 1, ("runs/part-", "damaged"), part(1, "truncate")),
    "reproduce: empty part": Case(REPRO, 1, ("runs/part-", "damaged"), part(1, "empty")),
    "reproduce: random-bytes part": Case(REPRO, 1, ("damaged",), part(2, "random")),
    "reproduce: deleted part": Case(
        REPRO, 1, ("part-000000001-000000001.parquet missing", "runs 1"), part(1, "delete")
    ),
    "reproduce: all parts deleted": Case(REPRO, 1, ("missing", "runs 3"), all_parts_deleted),
    "reproduce: altered part": Case(REPRO, 1, ("altered", "stored"), part(0, "alter")),
    "reproduce: edited input copy": Case(
        REPRO,
        1,
        ("input params/baseline.toml", "does not match"),
        latin1(f"{STORE}/inputs/params/baseline.toml"),
    ),
    "reproduce: input copy missing": Case(
        REPRO, 1, ("experiment.toml", "missing"), remove(f"{STORE}/inputs/experiment.toml")
    ),
    # ---- damaged stores: report
    "report: truncated part": Case(
        ["report", STORE], 1, ("store incomplete", "damaged"), part(0, "truncate")
    ),
    "report: deleted part": Case(
        ["report", STORE], 1, ("store incomplete", "missing", "runs 3"), part(3, "delete")
    ),
    "report: altered part": Case(["report", STORE], 1, ("altered",), part(2, "alter")),
    "report: manifest a list": Case(
        ["report", STORE], 2, ("manifest.json", "not a store"), manifest(lambda m: [m])
    ),
    "report: a plain file": Case(["report", "exp.toml"], 2, ("exp.toml", "is a file")),
    "report: --out in /proc": Case(
        ["report", STORE, "--out", "/proc/mc/report.html"], 2, ("/proc/mc",)
    ),
    # ---- damaged stores: --resume repairs (exit 0, one warning line, the store is the output)
    "resume: truncated part is set aside": Case(
        RESUME, 0, ("damaged", "moved 1 to damaged/"), part(1, "truncate"), output=STORE
    ),
    "resume: deleted part runs again": Case(
        RESUME, 0, ("missing", "runs 2", "run again"), part(2, "delete"), output=STORE
    ),
    "resume: edited input copy restored": Case(
        RESUME,
        0,
        ("restored edited input copies", "params/policies/none.toml"),
        latin1(f"{STORE}/inputs/params/policies/none.toml"),
        output=STORE,
    ),
    "report: --out a folder": Case(
        ["report", STORE, "--out", "params"], 2, ("params", "is a folder")
    ),
    "report: manifest without store marker or keys": Case(
        ["report", STORE], 2, ("manifest.json",), manifest(lambda m: {"kind": "sweep"})
    ),
    "check: experiment whose baseline is a scenario": Case(
        ["check", "exp.toml"],
        2,
        ("exp.toml", "baseline", "not a baseline params file"),
        experiment(baseline=S, scenarios=["baseline"]),
    ),
    "check: experiment with a damaged baseline": Case(
        ["check", "exp.toml"],
        2,
        (B, "invalid TOML"),
        lambda w: (experiment(scenarios=["baseline"])(w), write(B, "[run\n")(w)),
    ),
    "sensitivity: --out a file": Case(
        ["sensitivity", "s.toml", "--out", "f", *QUIET],
        2,
        ("f", "is a file"),
        lambda w: (write("s.toml", STUDY)(w), write("f", "x")(w)),
    ),
    # ---- sensitivity study files
    'study: "all" scenarios, none there': Case(
        ["sensitivity", "s.toml", *QUIET],
        2,
        ("s.toml", "scenarios", '"all" matches nothing'),
        lambda w: (write("s.toml", STUDY)(w), emptied("params/scenarios")(w)),
    ),
    'check: study "all", none there': Case(
        ["check", "s.toml"],
        2,
        ('"all" matches nothing',),
        lambda w: (write("s.toml", STUDY)(w), emptied("params/scenarios")(w)),
    ),
    "study: Latin-1 byte": Case(
        ["sensitivity", "s.toml", *QUIET],
        2,
        ("s.toml", "not UTF-8"),
        lambda w: (write("s.toml", STUDY)(w), latin1("s.toml")(w)),
    ),
    "study: UTF-16": Case(
        ["sensitivity", "s.toml", *QUIET],
        2,
        ("s.toml", "not UTF-8"),
        lambda w: (write("s.toml", STUDY)(w), utf16("s.toml")(w)),
    ),
    "study: --out a web project": Case(
        ["sensitivity", "s.toml", "--out", "site", "--overwrite", *QUIET],
        2,
        ("site/manifest.json", "not a mediacluster results store"),
        lambda w: (write("s.toml", STUDY)(w), web_project(w)),
    ),
}


def tree_hashes(root: Path, skip: Path | None) -> dict[str, str]:
    """Every file and folder under ``root`` (but ``skip``) -> SHA-256 of its bytes."""
    out = {}
    for path in sorted(root.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        out[str(path.relative_to(root))] = (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
    return out


def test_the_table_has_at_least_60_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_input(name, reference, tmp_path, monkeypatch, capsys):
    case = CASES[name]
    work = tmp_path / "w"
    shutil.copytree(reference, work)
    monkeypatch.chdir(work)
    if case.setup:
        case.setup(work)
    output = work / case.output if case.output else None
    before = tree_hashes(work, output)
    if case.patch:
        case.patch(monkeypatch)
    code = main(case.args)
    monkeypatch.undo()  # Path.mkdir and open are themselves again before anything is checked
    out, err = capsys.readouterr()
    assert code == case.code, (code, out, err)
    assert "Traceback" not in out + err
    if case.code == 1 and case.args[0] == "reproduce":
        assert err == "" and "NOT reproduced" in out  # the differences are the output
    else:
        assert err.count("\n") == 1, err  # one line
    for word in case.words:
        assert word in out + err, (word, out, err)
    assert tree_hashes(work, output) == before, "a file outside the intended output changed"
