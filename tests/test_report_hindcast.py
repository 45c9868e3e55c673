"""'Grounded in history': the report finds a calibration (``--hindcast``, a posterior a
store's manifest names, a ``hindcast`` folder next to the stores), shows its fit and
posterior from the tables it is given (expected values computed here from the synthetic
input, see tests/report_helpers.py), warns when a store's posterior is missing or not
the one shown, and says on page one where the behavioural weights come from.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from experiments.cli import main
from experiments.report import build_report
from experiments.report.grounded import INFORMED, NARROWED, verdict
from experiments.report.hindcast import read_calibration
from experiments.report.messages import MESSAGES, Messages

from .report_helpers import FIT, PATTERNS_TOML, SUMMARY, make_hindcast, make_sweep
from .test_report import parse

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "params" / "history"
EN, NL = Messages("en"), Messages("nl")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A small real sweep (two scenarios), in a folder with no calibration beside it."""
    folder = tmp_path_factory.mktemp("plain")
    return make_sweep(folder, figures=False, scenarios=["trend", "cloud-commons"])


def copy_sweep(sweep: Path, folder: Path, posterior: dict | None = None) -> Path:
    """A copy of the sweep store in ``folder``; ``posterior``: put into its manifest as
    `mediacluster sweep` records a posterior it drew from."""
    out = folder / "sweep"
    shutil.copytree(sweep, out)
    if posterior is not None:
        manifest = json.loads((out / "manifest.json").read_text())
        manifest["posterior"] = posterior
        (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def section_of(text: str, anchor: str = "grounded") -> str:
    start = text.index(f'<section id="{anchor}"')
    return text[start : text.index("</section>", start)]


def summary_of(text: str) -> str:
    return text[text.index('id="summary"') : text.index('id="question"')]


def pct(m: Messages, fraction: float, signed: bool) -> str:
    """The expected cell text of a share or change (one decimal, in %)."""
    text = m.pct(100 * fraction, 1)
    return "+" + text if signed and fraction > 0 else text


def label(m: Messages, target: str) -> str:
    key = f"pattern.{target}"
    return m.text(key) if key in MESSAGES else tomllib.loads(PATTERNS_TOML)["pattern"][0]["label"]


# ---------------------------------------------------------------- verdict thresholds


def test_verdict_follows_the_documented_sd_ratio_thresholds():
    assert (INFORMED, NARROWED) == (0.7, 0.9)  # docs/report.md states these two numbers
    assert [verdict(r) for r in (0.0, 0.69, 0.7, 0.89, 0.9, 1.05, float("nan"))] == [
        "informed", "informed", "narrowed", "narrowed", "open", "open", "open",
    ]  # fmt: skip


def test_simulations_count_from_calibration_json(tmp_path):
    cal = read_calibration(make_hindcast(tmp_path), "option")
    assert cal.simulations == 41  # one session: the engine's own count
    info = json.loads((cal.path / "calibration.json").read_text())
    info["sessions"] = [{}, {}]  # resumed: proposals of every population + predictive runs
    (cal.path / "calibration.json").write_text(json.dumps(info))
    assert read_calibration(cal.path, "option").simulations == 10 + 23 + 7


# ---------------------------------------------------------------- the section


@pytest.fixture(scope="module")
def beside(sweep, tmp_path_factory):
    """Reports of a sweep with a calibration folder `hindcast` next to it (rule 3)."""
    folder = tmp_path_factory.mktemp("beside")
    store = copy_sweep(sweep, folder)
    make_hindcast(folder)
    return {
        lang: build_report([store], out=folder / f"r_{lang}.html", lang=lang).read_text()
        for lang in ("en", "nl")
    }


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_section_shows_the_fit_with_its_count_and_values(beside, lang):
    m = Messages(lang)
    text = beside[lang]
    assert parse(text).ids.count("grounded") == 1
    assert f'<a href="#grounded">{m.text("sec.grounded")}</a>' in text  # in the contents
    body = section_of(text)
    k, n = int(FIT["within"].sum()), len(FIT)
    assert k == 3 and n == 4  # the synthetic fit has one pattern outside (a sanity check)
    assert m.html("hc.fit_caption", k=k, n=n) in body
    assert f"<b>{k} {'of' if lang == 'en' else 'van de'} {n} " in body
    tables = parse(body).tables
    fit_cells = tables[0]
    assert len(fit_cells) == 6 * n
    for i, r in enumerate(FIT.itertuples()):
        signed = "change" in r.target  # the statistic; the synthetic pattern is a value
        row = fit_cells[6 * i : 6 * i + 6]
        assert row[0] == label(m, r.target)
        assert row[1] == pct(m, r.observed, signed)
        assert row[2] == m.text("range", low=pct(m, r.low, signed), high=pct(m, r.high, signed))
        assert row[3] == pct(m, r.sim_median, signed)
        assert row[4] == m.text(
            "range", low=pct(m, r.sim_p05, signed), high=pct(m, r.sim_p95, signed)
        )
        assert row[5] == m.text("hc.yes" if r.within else "hc.no")
    outside = [label(m, t) for t in FIT.loc[~FIT["within"], "target"]]
    assert m.html("hc.outside", names=m.join(outside)) in body


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_section_shows_prior_posterior_verdict_and_transfer(beside, lang):
    m = Messages(lang)
    body = section_of(beside[lang])
    assert body.count("<img ") == 1  # the prior-against-posterior figure
    cells = parse(body).tables[1]
    assert len(cells) == 7 * len(SUMMARY)
    for i, r in enumerate(SUMMARY.itertuples()):
        row = cells[7 * i : 7 * i + 7]
        times = "" if r.parameter == "logit_scale" else "×"  # a `set` parameter: μ itself
        assert row[0].lower() == m.text(f"par.{r.parameter}").lower()
        assert row[1] == m.text(
            "range", low=times + m.num(r.prior_low, 2), high=m.num(r.prior_high, 2)
        )
        assert row[2] == times + m.num(r.posterior_median, 2)
        assert row[3] == m.text(
            "range", low=m.num(r.posterior_p05, 2), high=m.num(r.posterior_p95, 2)
        )
        assert row[4] == m.num(r.sd_ratio, 2)
        expected = "informed" if r.sd_ratio < 0.7 else "narrowed" if r.sd_ratio < 0.9 else "open"
        assert row[5] == m.text(f"hc.verdict.{expected}")
        moved = r.parameter != "broadcaster_decline_scale"  # transfer = false in the posterior
        assert row[6] == m.text("hc.yes" if moved else "hc.transfer_no")
    assert m.html("hc.found.sibling", path="x").split("<code>")[0] in body


def test_page_one_says_defaults_and_what_history_narrowed(beside):
    en = summary_of(beside["en"])
    assert "are the model's defaults, not drawn from a calibration" in en
    # transferring parameters: rent sensitivity (sd ratio 0.55) is informed, logit scale
    # (0.95) and moving cost (0.78) are not; the non-transferring decline is not named
    assert (
        "narrowed rent sensitivity, not logit scale μ (chance) and moving cost (section "
        "“Grounded in history”)" in en
    )
    assert "broadcaster job decline" not in en
    nl = summary_of(beside["nl"])
    assert "standaardwaarden van het model" in nl and "beperkte huurgevoeligheid" in nl


def test_page_one_says_history_did_not_narrow_them(sweep, tmp_path):
    store = copy_sweep(sweep, tmp_path)
    wide = SUMMARY.assign(sd_ratio=[0.95, 0.78, 1.02, 0.30])  # only the nuisance narrowed
    make_hindcast(tmp_path, summary=wide)
    text = build_report([store], out=tmp_path / "r.html").read_text()
    assert "The 2010–2025 hindcast did not narrow them" in summary_of(text)


def test_no_calibration_no_section(sweep, tmp_path):
    for lang in ("en", "nl"):
        text = build_report([sweep], out=tmp_path / f"r_{lang}.html", lang=lang).read_text()
        assert 'id="grounded"' not in text and "#grounded" not in text
        m = Messages(lang)
        assert m.html("sum.weights_default") in text
        assert m.html("sum.weights_no_calibration") in text


# ---------------------------------------------------------------- provenance


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_posterior_named_by_the_manifest_is_found_and_matches(sweep, tmp_path):
    cal = make_hindcast(tmp_path / "elsewhere", name="my-calibration")
    post = cal / "posterior.parquet"
    store = copy_sweep(sweep, tmp_path, {"path": str(post), "sha256": _sha(post)})
    text = build_report([store], out=tmp_path / "r.html").read_text()
    body = section_of(text)
    assert f"<code>{cal}</code>, the posterior a store's manifest names" in body
    assert 'class="warning"' not in body
    assert "drawn run by run from the posterior" in summary_of(text)


def test_sha_mismatch_is_said(sweep, tmp_path):
    cal = make_hindcast(tmp_path / "elsewhere")
    post = cal / "posterior.parquet"
    recorded = "ab" * 32
    store = copy_sweep(sweep, tmp_path, {"path": str(post), "sha256": recorded})
    for lang in ("en", "nl"):
        text = build_report([store], out=tmp_path / f"r_{lang}.html", lang=lang).read_text()
        body = section_of(text)
        assert body.count('class="warning"') == 1
        warning = Messages(lang).html(
            "hc.mismatch", store="tiny-report-sweep", path=str(post), sha=recorded[:12],
            shown=_sha(post)[:12],
        )  # fmt: skip
        assert warning in body


def test_missing_posterior_is_said(sweep, tmp_path):
    gone = tmp_path / "gone" / "posterior.parquet"
    store = copy_sweep(sweep, tmp_path, {"path": str(gone), "sha256": "cd" * 32})
    text = build_report([store], out=tmp_path / "r.html").read_text()
    body = section_of(text)
    assert f"<code>{gone}</code> (SHA-256 {'cd' * 6}…), which no longer exists" in body
    assert "<table" not in body  # nothing to show but the warning


def test_hindcast_option_wins_and_a_bad_folder_is_one_line(sweep, tmp_path, capsys):
    beside = copy_sweep(sweep, tmp_path)
    make_hindcast(tmp_path)  # next to the store: the option must win over it
    chosen = make_hindcast(tmp_path / "chosen")
    out = tmp_path / "r.html"
    assert main(["report", str(beside), "--hindcast", str(chosen), "--out", str(out)]) == 0
    text = out.read_text()
    assert f"<code>{chosen}</code> (given with <code>--hindcast</code>)" in text
    assert f"--hindcast {chosen}" in text  # the reproducibility block's command line
    capsys.readouterr()
    plain = tmp_path / "plain"
    plain.mkdir()
    assert main(["report", str(beside), "--hindcast", str(plain), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(plain) in err and "--hindcast" in err
    assert "not a calibration folder" in err and "Traceback" not in err


# ---------------------------------------------------------------- messages


def test_every_shipped_parameter_and_pattern_has_names_in_both_languages():
    cal = tomllib.loads((HISTORY / "calibration.toml").read_text())
    for name in cal["parameters"]:
        assert set(MESSAGES[f"par.{name}"]) == {"en", "nl"}, name
    for p in tomllib.loads((HISTORY / "patterns.toml").read_text())["pattern"]:
        entry = MESSAGES[f"pattern.{p['target']}"]
        assert entry["en"] == p["label"], p["target"]  # the catalogue follows patterns.toml
        assert entry["nl"] and entry["nl"] != entry["en"], p["target"]
    for key in ("informed", "narrowed", "open"):
        assert f"hc.verdict.{key}" in MESSAGES
    for how in ("option", "manifest", "sibling"):
        assert f"hc.found.{how}" in MESSAGES


def test_reproducibility_names_the_calibration_and_its_posterior_hash(sweep, tmp_path):
    store = copy_sweep(sweep, tmp_path)
    cal = make_hindcast(tmp_path)
    text = build_report([store], out=tmp_path / "r.html").read_text()
    block = section_of(text, "reproducibility")
    assert "<h3>calibration: hindcast</h3>" in block
    assert f"<code>{_sha(cal / 'posterior.parquet')}</code>" in block
    assert f"calibrate CALIBRATION.toml --out {cal}-rebuilt" in block
