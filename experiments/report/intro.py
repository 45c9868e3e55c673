"""The report's opening sections: summary, the question and how to read it, the scenarios."""

from __future__ import annotations

import sim

from ..paramdocs import storyline
from .context import Context
from .html import esc, note, paragraph, section
from .robustness import NO_POLICY, verdict
from .sensitivity import top_levers


def summary(ctx: Context) -> str:
    """The findings in a few sentences, and what the report could not use."""
    parts = []
    for sweep in ctx.sweeps:
        r = sweep.robustness
        lines = []
        if NO_POLICY in r.policies:
            start = 100 * sweep.runs["start_share"].median()
            finals = {s: sweep.band(s, NO_POLICY)[1] for s in r.scenarios}
            low = min(finals, key=finals.get)
            high = max(finals, key=finals.get)
            lines.append(
                f"Without policy, Hilversum's share of Media Valley sector jobs goes from "
                f"about {start:.0f}% in {r.start_year} to between {finals[low]:.0f}% "
                f"(<i>{esc(low)}</i>) and {finals[high]:.0f}% (<i>{esc(high)}</i>) in {r.year}."
            )
        lines += [esc(s) for s in verdict(r)]
        title = f"<b>Sweep {esc(sweep.info.name)}</b>" if len(ctx.sweeps) > 1 else ""
        items = "".join(f"<li>{line}</li>" for line in lines)
        parts.append(note(f"{title}<ul>{items}</ul>", "finding"))
    for study in ctx.studies:
        text = top_levers(study)
        if text:
            parts.append(note(text, "finding"))
    parts += missing_notes(ctx)
    return section("summary", "Summary", "".join(parts))


def missing_notes(ctx: Context) -> list[str]:
    """What is absent or incomplete, said plainly."""
    out = []
    if not ctx.sweeps:
        out.append(
            note(
                "No scenario × policy sweep was given, so this report has no scenario "
                "comparison and no robustness table. Run <code>make run</code> (or "
                "<code>mediacluster sweep params/experiments/scenarios.toml</code>) and build "
                "the report again with its folder.",
                "warning",
            )
        )
    if not ctx.studies:
        out.append(
            note(
                "No sensitivity study was given, so this report does not say which levers "
                "matter most. Run <code>make sensitivity</code> and then <code>make report</code>.",
                "warning",
            )
        )
    for info in ctx.stores:
        if not info.complete:
            runs = info.manifest.get("runs", {})
            out.append(
                note(
                    f"The store <code>{esc(info.path)}</code> is not complete (status "
                    f"{esc(info.manifest.get('status'))}: {runs.get('done', '?')} of "
                    f"{runs.get('planned', '?')} runs done, {runs.get('failed', '?')} failed). "
                    "Its numbers use only the finished runs.",
                    "warning",
                )
            )
    return out


def question(ctx: Context) -> str:
    """The question and how to read the report."""
    reps = {s.info.manifest.get("replications") for s in ctx.sweeps} - {None}
    rep_text = f"{min(reps)}" if len(reps) == 1 else "several"
    body = [
        paragraph(
            "The strategic study <i>Mediacluster 2040</i> (Media Campus NL, the municipality "
            "of Hilversum and ROM Utrecht Region, 2025) asks how Hilversum stays a home for "
            "media, technology and talent in 2040, with AI in newsrooms, production moving to "
            "the cloud, new formats, big-tech platforms and closer cooperation between public "
            "and commercial broadcasters. This report answers one part of that question with "
            "a model: <b>how much of the Media Valley media sector will be in Hilversum in "
            "2040, under five different futures, and which policy package keeps most of it "
            "there whatever the future brings?</b>"
        ),
        "<h3>How to read this report</h3><ul>",
        "<li><b>The measure.</b> <i>Hilversum's share</i> is the share of the sector's jobs "
        "that are in Hilversum — broadcasters and their production companies, media-tech "
        "firms, media schools and start-ups, counted in Hilversum, Amsterdam, Utrecht, the "
        "rest of the Netherlands and abroad. Differences are in <i>points</i> (percentage "
        "points).</li>",
        "<li><b>The model.</b> Every organisation decides each year where to be, weighing "
        "the other media organisations nearby, rent, talent, studios, the quality of the "
        "place and the cost of moving; organisations grow, shrink, merge, start and close. "
        "The model is set to reproduce where organisations were in 2025; from there, only "
        "the scenario and the policy make the future differ.</li>",
        "<li><b>Scenarios</b> are possible futures nobody in Hilversum controls; <b>policy "
        "packages</b> are what Hilversum and its partners can do. Each combination was run "
        f"{esc(rep_text)} times with different random draws; charts show the middle run "
        "(median) and the range of 90% of runs (5–95% band).</li>",
        "<li><b>Regret.</b> In each scenario, a package's regret is how many points of "
        "2040 share it gives away against the best package in that scenario. The most "
        "robust package has the smallest regret in its worst scenario.</li>",
        "<li><b>Not a forecast.</b> The numbers rest on assumptions (listed at the end, "
        "with their sources). Read the comparisons — between scenarios and between "
        "packages — rather than any single level as a prediction.</li></ul>",
    ]
    return section("question", "The question and how to read this report", "".join(body))


def scenarios(ctx: Context) -> str:
    """The scenarios in a paragraph each, from their files' storylines, and the packages."""
    body = [
        paragraph(
            "Each scenario is told in its params file; the paragraphs below are those "
            f"storylines, from {ctx.params_note}."
        )
    ]
    sweep = ctx.sweeps[0] if ctx.sweeps else None
    for name in ctx.scenarios:
        path = ctx.params_dir / "scenarios" / f"{name}.toml"
        if not path.is_file():
            body.append(f"<h3>{esc(name)}</h3>" + paragraph("(no scenario file found)"))
            continue
        story = storyline(path)
        text = f"<b>{esc(story.title[:1].upper() + story.title[1:])}</b> {esc(story.text)}"
        if sweep is not None and NO_POLICY in sweep.robustness.policies:
            low, mid, high = sweep.band(name, NO_POLICY)
            text += (
                f" <i>Without policy, Hilversum's {sweep.robustness.year} share: {mid:.1f}% "
                f"(90% of runs between {low:.1f}% and {high:.1f}%).</i>"
            )
        body.append(f'<h3 class="scenario">{esc(name)}</h3>' + paragraph(text))
    body.append("<h3>The policy packages</h3>")
    items = []
    for name in ctx.policies:
        path = ctx.params_dir / "policies" / f"{name}.toml"
        if not path.is_file():
            continue
        story = storyline(path)
        levers = lever_summary(ctx, name)
        items.append(
            f"<li><b>{esc(name)}</b> — {esc(story.title)} {esc(story.text)}"
            + (f" <i>Levers: {esc(levers)}.</i>" if levers else "")
            + "</li>"
        )
    body.append("<ul>" + "".join(items) + "</ul>")
    return section("scenarios", "The five scenarios and the policy packages", "".join(body))


LEVER_WORDS = {
    "space_expansion_m2_per_year": ("public floor space", "{:,.0f} m²/yr started"),
    "space_permission_m2": ("extra permission", "+{:,.0f} m²"),
    "rent_subsidy": ("rent subsidy", "{:.0%} of rent"),
    "talent_programme_students": ("talent programme", "{:,.0f} students"),
    "innovation_fund_meur_per_year": ("innovation fund", "{:g} M€/yr"),
    "shared_facilities": ("shared studios", "+{:g} facility index"),
    "accessibility_minutes_saved": ("faster connections", "{:g} minutes saved"),
    "campus_amenity": ("campus amenity", "+{:g} amenity index"),
    "cooperation_programme": ("cooperation programme", "+{:g}"),
}


def lever_summary(ctx: Context, policy: str) -> str:
    """The package's levers in words, e.g. 'public floor space 4,000 m²/yr started from 2027'."""
    params = sim.load_params(ctx.params_dir / "baseline.toml", policy=policy)
    parts = []
    for name in sim.LEVERS:
        lever = getattr(params.policy, name)
        if lever.value > 0:
            label, fmt = LEVER_WORDS[name]
            who = f" for {', '.join(lever.kinds)}" if lever.kinds else ""
            parts.append(f"{label} {fmt.format(lever.value)}{who} from {lever.start_year}")
    return "; ".join(parts)
