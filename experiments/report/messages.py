"""The report's message catalogue: every text, label and figure title in English and Dutch.

One entry per message: ``KEY: {"en": ..., "nl": ...}``; placeholders are
``str.format`` fields (``{year}``) and must be the same in both languages
(``tests/test_report_messages.py`` checks that every message has both and
that their fields agree). Messages may hold HTML; values put into them by
:meth:`Messages.html` are escaped, by :meth:`Messages.text` are not (for
figures). Numbers are formatted by :meth:`Messages.num` and friends: a
decimal point and thousands comma in English, a decimal comma and
thousands point in Dutch.
"""

from __future__ import annotations

import html
import math
import string

from .html import Raw

LANGUAGES = ("en", "nl")

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ page, title block
    "title": {
        "en": "Media Valley 2040: which policies keep Hilversum's share, and at what cost",
        "nl": "Media Valley 2040: welk beleid houdt het aandeel van Hilversum vast, "
        "en wat kost het",
    },
    "subtitle": {
        "en": "Model results from {stores}; generated {generated}. Not a forecast: "
        "a comparison of futures and policies under stated assumptions.",
        "nl": "Modeluitkomsten uit {stores}; gemaakt op {generated}. Geen voorspelling: "
        "een vergelijking van toekomsten en beleid onder genoemde aannames.",
    },
    "contents": {"en": "Contents", "nl": "Inhoud"},
    "appendix_label": {"en": "Appendix", "nl": "Bijlage"},
    "other_language": {
        "en": "Nederlandse versie: {link}",
        "nl": "English version: {link}",
    },
    # ------------------------------------------------------------------ section titles
    "sec.summary": {"en": "The answer in brief", "nl": "Het antwoord in het kort"},
    "sec.question": {
        "en": "The question and how to read this report",
        "nl": "De vraag en hoe u dit rapport leest",
    },
    "sec.scenarios": {
        "en": "The {n_scenarios} scenarios and {n_policies} policy packages",
        "nl": "De {n_scenarios} scenario's en {n_policies} beleidspakketten",
    },
    "sec.comparison": {"en": "The scenarios compared", "nl": "De scenario's vergeleken"},
    "sec.choice": {
        "en": "Which policy for which budget",
        "nl": "Welk beleid bij welk budget",
    },
    "sec.levers": {"en": "What each lever does", "nl": "Wat elke beleidsknop doet"},
    "sec.rests_on": {
        "en": "What the answer rests on",
        "nl": "Waar het antwoord op rust",
    },
    "sec.methods": {
        "en": "Appendix A. Methods, indices and caveats",
        "nl": "Bijlage A. Methoden, indices en kanttekeningen",
    },
    "sec.glossary": {"en": "Appendix B. Glossary", "nl": "Bijlage B. Begrippenlijst"},
    "sec.reproducibility": {
        "en": "Appendix C. Reproducibility",
        "nl": "Bijlage C. Reproduceerbaarheid",
    },
    # ------------------------------------------------------------------ summary
    "sum.no_policy": {
        "en": "<b>Without policy</b>, Hilversum's share of the sector's jobs goes from "
        "{start} in {start_year} to between {low} (<i>{low_scenario}</i>) and {high} "
        "(<i>{high_scenario}</i>) in {year}, across the {n_scenarios} scenarios.",
        "nl": "<b>Zonder beleid</b> gaat het aandeel van Hilversum in de banen van de sector "
        "van {start} in {start_year} naar tussen {low} (<i>{low_scenario}</i>) en {high} "
        "(<i>{high_scenario}</i>) in {year}, over de {n_scenarios} scenario's.",
    },
    "sum.target": {
        "en": "<b>Target:</b> keep Hilversum's {year} share at or above {target}{why}.",
        "nl": "<b>Doel:</b> het aandeel van Hilversum in {year} op of boven {target} houden{why}.",
    },
    "sum.target_default": {
        "en": " (its {start_year} level)",
        "nl": " (het niveau van {start_year})",
    },
    "sum.meets": {
        "en": "<b>{policy}</b> keeps the share at or above the target in {k} of "
        "{n_scenarios} scenarios (median run), at {cost} over {start_year}–{year} "
        "(discounted; {per_year} a year).",
        "nl": "<b>{policy}</b> houdt het aandeel op of boven het doel in {k} van de "
        "{n_scenarios} scenario's (mediane run), voor {cost} over {start_year}–{year} "
        "(contant gemaakt; {per_year} per jaar).",
    },
    "sum.per_scenario": {
        "en": "<b>Per scenario</b>, the cheapest package at or above the target (median run): "
        "{items}.",
        "nl": "<b>Per scenario</b> het goedkoopste pakket op of boven het doel (mediane run): "
        "{items}.",
    },
    "sum.per_scenario_item": {
        "en": "<i>{scenario}</i>: {policy} ({cost}, {runs} of runs)",
        "nl": "<i>{scenario}</i>: {policy} ({cost}, {runs} van de runs)",
    },
    "sum.per_scenario_none": {
        "en": "<i>{scenario}</i>: none of the packages",
        "nl": "<i>{scenario}</i>: geen enkel pakket",
    },
    "sum.none_meets": {
        "en": "No package keeps the share at or above the target in any scenario "
        "(median run). The closest: <b>{policy}</b>, {gap} points short in its best scenario.",
        "nl": "Geen enkel pakket houdt het aandeel in enig scenario op of boven het doel "
        "(mediane run). Het dichtst erbij: <b>{policy}</b>, {gap} punt te kort in zijn "
        "beste scenario.",
    },
    "sum.value": {
        "en": "<b>Best value:</b> {policy} costs {per_point} [{pp_low}–{pp_high}] per point "
        "of share kept over no policy (it keeps {kept} points [{low}–{high}] on average over "
        "the scenarios for {cost}){close}.",
        "nl": "<b>Meeste waar voor het geld:</b> {policy} kost {per_point} [{pp_low}–{pp_high}] "
        "per procentpunt aandeel dat het boven geen beleid vasthoudt (gemiddeld over de "
        "scenario's {kept} punt [{low}–{high}] voor {cost}){close}.",
    },
    "sum.value_close": {
        "en": "; within that uncertainty: {others}",
        "nl": "; binnen die onzekerheid: {others}",
    },
    "sum.budget_head": {
        "en": "<b>The robust choice per budget</b> ({source}):",
        "nl": "<b>De robuuste keuze per budget</b> ({source}):",
    },
    "sum.budget_line": {
        "en": "up to {budget}: <b>{policy}</b> — {detail}",
        "nl": "tot {budget}: <b>{policy}</b> — {detail}",
    },
    "sum.budget_detail_sweep": {
        "en": "at most {regret} points behind the best affordable package in any scenario; "
        "at or above target in {k} of {n_scenarios}",
        "nl": "in geen scenario meer dan {regret} punt achter het beste betaalbare pakket; "
        "op of boven het doel in {k} van {n_scenarios}",
    },
    "sum.source_sweep": {
        "en": "from the sweep's packages; no robustness study given",
        "nl": "uit de pakketten van de sweep; geen robuustheidsstudie opgegeven",
    },
    "sum.source_robust": {
        "en": "robustness study <i>{name}</i>, across its futures",
        "nl": "robuustheidsstudie <i>{name}</i>, over haar toekomsten",
    },
    "sum.allin_note": {
        "en": "A package with more levers is never behind on share alone, so the one with "
        "every lever has the smallest regret by construction; the question is what each "
        "budget buys.",
        "nl": "Een pakket met meer knoppen loopt op aandeel alleen nooit achter, dus het "
        "pakket met alle knoppen heeft per definitie de kleinste spijt; de vraag is wat elk "
        "budget oplevert.",
    },
    "sum.rests_on": {
        "en": "<b>Rests on:</b> the assumed policy effects — above all {coefficients}{varied} "
        "— and the assumed unit costs of the levers (section “{section}”); costs "
        "discounted at {rate} a year. Uncertainty: differences under ±{noise} points between "
        "two packages are replication noise; without policy the scenarios lie {spread} "
        "points apart.",
        "nl": "<b>Rust op:</b> de aangenomen beleidseffecten — vooral {coefficients}{varied} "
        "— en de aangenomen eenheidskosten van de knoppen (paragraaf “{section}”); kosten "
        "contant gemaakt tegen {rate} per jaar. Onzekerheid: verschillen onder ±{noise} "
        "punt tussen twee pakketten zijn toevalsruis; zonder beleid liggen de scenario's "
        "{spread} punt uiteen.",
    },
    "sum.not_varied": {
        "en": ", not varied in any study given",
        "nl": ", in geen van de opgegeven studies gevarieerd",
    },
    "sum.varied": {
        "en": ", varied in the sensitivity study",
        "nl": ", gevarieerd in de gevoeligheidsstudie",
    },
    "sum.table_caption": {
        "en": "Each package across the {n_scenarios} scenarios: target {target} in {year}",
        "nl": "Elk pakket over de {n_scenarios} scenario's: doel {target} in {year}",
    },
    # ------------------------------------------------------------------ table headers
    "col.package": {"en": "package", "nl": "pakket"},
    "col.at_target": {"en": "scenarios at or above target", "nl": "scenario's op of boven doel"},
    "col.kept": {
        "en": "points kept over no policy (mean [range])",
        "nl": "punten boven geen beleid (gemiddeld [bereik])",
    },
    "col.kept_cell": {
        "en": "points kept over no policy (± 2 standard errors)",
        "nl": "punten boven geen beleid (± 2 standaardfouten)",
    },
    "col.cost_pv": {"en": "cost, discounted (M€)", "nl": "kosten, contant (M€)"},
    "col.cost_total": {"en": "cost, undiscounted (M€)", "nl": "kosten, nominaal (M€)"},
    "col.per_year": {"en": "per year (M€)", "nl": "per jaar (M€)"},
    "col.per_point": {"en": "M€ per point kept", "nl": "M€ per punt"},
    "col.max_regret": {"en": "largest regret (points)", "nl": "grootste spijt (punten)"},
    "col.share": {"en": "share {year} (%) [5–95%]", "nl": "aandeel {year} (%) [5–95%]"},
    "col.runs_at_target": {"en": "runs at or above target", "nl": "runs op of boven doel"},
    "col.budget": {"en": "budget up to (M€, discounted)", "nl": "budget tot (M€, contant)"},
    "col.choice": {"en": "robust choice", "nl": "robuuste keuze"},
    "col.its_cost": {"en": "its cost (M€)", "nl": "kosten (M€)"},
    "col.lever": {"en": "lever", "nl": "knop"},
    "col.scenario": {"en": "scenario", "nl": "scenario"},
    "col.range": {"en": "range tried", "nl": "geprobeerd bereik"},
    "col.effect": {
        "en": "effect on the {year} share (points) [95% interval]",
        "nl": "effect op het aandeel {year} (punten) [95%-interval]",
    },
    "col.total_effect": {
        "en": "total-effect index ST [95% interval]",
        "nl": "totaal-effectindex ST [95%-interval]",
    },
    "col.verdict": {"en": "verdict", "nl": "oordeel"},
    "col.value": {"en": "value", "nl": "waarde"},
    "col.key": {"en": "key", "nl": "sleutel"},
    "col.unit": {"en": "unit", "nl": "eenheid"},
    "col.source": {"en": "source or assumption", "nl": "bron of aanname"},
    "col.file": {"en": "file", "nl": "bestand"},
    "col.factor": {"en": "factor", "nl": "factor"},
    "col.role": {"en": "role", "nl": "rol"},
    "col.why_range": {"en": "why this range", "nl": "waarom dit bereik"},
    "col.metric": {"en": "measure", "nl": "maat"},
    "no_gain": {"en": "no measurable gain", "nl": "geen meetbare winst"},
    "reference": {"en": "reference", "nl": "referentie"},
    "no_cost": {"en": "no cost", "nl": "geen kosten"},
    # ------------------------------------------------------------------ question
    "q.intro": {
        "en": "The strategic study <i>Mediacluster 2040</i> (Media Campus NL, the "
        "municipality of Hilversum and ROM Utrecht Region, 2025) asks how Hilversum stays a "
        "home for media, technology and talent in 2040. This report answers one part with a "
        "model: <b>how much of the sector's jobs will be in Hilversum in {year}, under "
        "{n_scenarios} different futures, and which policy keeps the share at or above a "
        "target for the money available?</b>",
        "nl": "De strategische verkenning <i>Mediacluster 2040</i> (Media Campus NL, de "
        "gemeente Hilversum en ROM Regio Utrecht, 2025) vraagt hoe Hilversum in 2040 een "
        "thuis blijft voor media, technologie en talent. Dit rapport beantwoordt een deel "
        "daarvan met een model: <b>hoeveel van de banen in de sector zitten in {year} in "
        "Hilversum, in {n_scenarios} verschillende toekomsten, en welk beleid houdt het "
        "aandeel op of boven een doel voor het beschikbare geld?</b>",
    },
    "q.measure": {
        "en": "<b>The measure.</b> Hilversum's share is its share of all the sector's jobs "
        "in the model — broadcasters and their production companies, media-tech firms, "
        "media schools and start-ups — counted in {places}. <i>Media Valley</i> means "
        "Hilversum, Amsterdam and Utrecht together. Differences are in <i>points</i> "
        "(percentage points).",
        "nl": "<b>De maat.</b> Het aandeel van Hilversum is zijn aandeel in alle banen van "
        "de sector in het model — omroepen en hun productiebedrijven, mediatechbedrijven, "
        "mediaopleidingen en start-ups — geteld in {places}. <i>Media Valley</i> is "
        "Hilversum, Amsterdam en Utrecht samen. Verschillen staan in <i>punten</i> "
        "(procentpunten).",
    },
    "q.model": {
        "en": "<b>The model.</b> Every organisation decides each year where to be, weighing "
        "the other media organisations nearby, rent, talent, studios, the quality of the "
        "place and the cost of moving. It reproduces where organisations were in "
        "{start_year}; from there only the scenario and the policy make futures differ.",
        "nl": "<b>Het model.</b> Elke organisatie besluit elk jaar waar ze zit en weegt "
        "daarbij andere media-organisaties in de buurt, huur, talent, studio's, de kwaliteit "
        "van de plek en de kosten van verhuizen. Het reproduceert waar organisaties in "
        "{start_year} zaten; daarna laten alleen scenario en beleid toekomsten verschillen.",
    },
    "q.runs": {
        "en": "<b>Uncertainty.</b> Each scenario × package was run {reps} times with "
        "different random draws; charts show the median run and the band of 90% of runs.",
        "nl": "<b>Onzekerheid.</b> Elke combinatie van scenario en pakket is {reps} keer "
        "gedraaid met andere toevalstrekkingen; grafieken tonen de mediane run en de band "
        "waarin 90% van de runs valt.",
    },
    "q.cost": {
        "en": "<b>Cost.</b> The yearly cost of the levers ({start_year}–{year}), summed, and "
        "discounted to {start_year} at {rate} a year (the Dutch standard discount rate for "
        "cost–benefit analysis); <i>M€ per point</i> is that discounted cost divided by the "
        "points of {year} share a package keeps over no policy.",
        "nl": "<b>Kosten.</b> De jaarlijkse kosten van de knoppen ({start_year}–{year}), "
        "opgeteld en contant gemaakt naar {start_year} tegen {rate} per jaar (de "
        "standaarddiscontovoet voor MKBA's); <i>M€ per punt</i> is die contante waarde "
        "gedeeld door de punten aandeel in {year} die een pakket boven geen beleid "
        "vasthoudt.",
    },
    "q.not_forecast": {
        "en": "<b>Not a forecast.</b> Read the comparisons between futures and between "
        "packages, not any single level as a prediction. The glossary (appendix B) explains "
        "the terms.",
        "nl": "<b>Geen voorspelling.</b> Lees de vergelijkingen tussen toekomsten en tussen "
        "pakketten, niet één getal als voorspelling. De begrippenlijst (bijlage B) legt de "
        "termen uit.",
    },
    # ------------------------------------------------------------------ scenarios, packages
    "sc.intro": {
        "en": "Scenarios are futures nobody in Hilversum controls; packages are what "
        "Hilversum and its partners can do. The storylines are told in full in the params "
        "files.",
        "nl": "Scenario's zijn toekomsten waar niemand in Hilversum over gaat; pakketten zijn "
        "wat Hilversum en partners kunnen doen. De verhaallijnen staan voluit in de "
        "parameterbestanden.",
    },
    "sc.no_policy_band": {
        "en": "Without policy, {year}: {mid} (90% of runs {low}–{high}).",
        "nl": "Zonder beleid, {year}: {mid} (90% van de runs {low}–{high}).",
    },
    "sc.packages": {"en": "The policy packages", "nl": "De beleidspakketten"},
    "sc.levers": {"en": "Levers: {levers}.", "nl": "Knoppen: {levers}."},
    "sc.no_file": {
        "en": "(no file for it in the params folder)",
        "nl": "(geen bestand in de parametermap)",
    },
    "sc.from_year": {"en": "from {year}", "nl": "vanaf {year}"},
    "sc.for_kinds": {"en": "for {kinds}", "nl": "voor {kinds}"},
    # ------------------------------------------------------------------ comparison figures
    "fig.fan.title": {
        "en": "Hilversum's share of the sector's jobs (%), median and 90% band",
        "nl": "Aandeel van Hilversum in de banen van de sector (%), mediaan en 90%-band",
    },
    "fig.fan.caption": {
        "en": "Hilversum's share of the sector's jobs, {start_year}–{year}, in each "
        "scenario: one line per package (median run) with the band of 90% of runs. Where "
        "two bands overlap, the difference is uncertain. Dashed: the target.",
        "nl": "Aandeel van Hilversum in de banen van de sector, {start_year}–{year}, per "
        "scenario: één lijn per pakket (mediane run) met de band van 90% van de runs. Waar "
        "twee banden overlappen is het verschil onzeker. Gestreept: het doel.",
    },
    "fig.year": {"en": "year", "nl": "jaar"},
    "fig.share_pct": {"en": "Hilversum's share (%)", "nl": "aandeel Hilversum (%)"},
    "fig.target": {"en": "target", "nl": "doel"},
    "fig.legend_packages": {"en": "package", "nl": "pakket"},
    "fig.heat.title": {
        "en": "Hilversum's share in {year} (%): median [5–95%]",
        "nl": "Aandeel van Hilversum in {year} (%): mediaan [5–95%]",
    },
    "fig.heat.caption": {
        "en": "Hilversum's {year} share for every scenario (rows) and package (columns), "
        "median run and the range of 90% of runs. Darker cells mean a higher share. Read "
        "across a row to compare packages in one future, down a column to see how one "
        "package fares in different futures.",
        "nl": "Aandeel van Hilversum in {year} per scenario (rijen) en pakket (kolommen), "
        "mediane run en het bereik van 90% van de runs. Donkerder is een hoger aandeel. "
        "Lees langs een rij om pakketten in één toekomst te vergelijken, langs een kolom "
        "om te zien hoe één pakket het in verschillende toekomsten doet.",
    },
    "fig.heat.colorbar": {"en": "share (%)", "nl": "aandeel (%)"},
    "fig.jobs.title": {
        "en": "Jobs per place in {year} with package {policy} (thousands), median and 90% range",
        "nl": "Banen per plaats in {year} met pakket {policy} (duizenden), mediaan en 90%-bereik",
    },
    "fig.jobs.caption": {
        "en": "Where the jobs are in {year} in each scenario, with policy package "
        "<i>{policy}</i> (median run; whiskers: 90% of runs): where the jobs Hilversum does "
        "not keep go. Places have their own colours, different from the packages'.",
        "nl": "Waar de banen in {year} zitten per scenario, met beleidspakket "
        "<i>{policy}</i> (mediane run; lijntjes: 90% van de runs): waar de banen heen gaan "
        "die Hilversum niet houdt. Plaatsen hebben eigen kleuren, andere dan de pakketten.",
    },
    "fig.jobs.axis": {"en": "jobs (thousands)", "nl": "banen (duizenden)"},
    "fig.cost.title": {
        "en": "What each package costs and what it keeps",
        "nl": "Wat elk pakket kost en wat het vasthoudt",
    },
    "fig.cost.x": {
        "en": "cost {start_year}–{year}, discounted (M€)",
        "nl": "kosten {start_year}–{year}, contant (M€)",
    },
    "fig.cost.y": {
        "en": "points of {year} share kept over no policy",
        "nl": "punten aandeel {year} boven geen beleid",
    },
    "fig.cost.caption": {
        "en": "Discounted cost of each package against the points of {year} share it keeps "
        "over no policy: the dot is the mean over the scenarios, the bar runs from the "
        "scenario where it keeps least to the one where it keeps most.",
        "nl": "Contante kosten van elk pakket tegen de punten aandeel in {year} die het "
        "boven geen beleid vasthoudt: de stip is het gemiddelde over de scenario's, de "
        "balk loopt van het scenario waar het het minst vasthoudt tot dat waar het meest.",
    },
    "fig.frontier.title": {
        "en": "Budget frontier: the robust choice per budget",
        "nl": "Budgetgrens: de robuuste keuze per budget",
    },
    "fig.frontier.x": {"en": "budget (M€)", "nl": "budget (M€)"},
    "fig.frontier.caption": {
        "en": "For each budget, the most robust policy the robustness study found and its "
        "{metric}; the label names the policy.",
        "nl": "Per budget het meest robuuste beleid dat de robuustheidsstudie vond en de "
        "{metric}; het label noemt het beleid.",
    },
    # ------------------------------------------------------------------ choice section
    "ch.intro": {
        "en": "Per scenario: Hilversum's {year} share with each package (median run and "
        "90% range), the share of runs at or above the target of {target}, the points kept "
        "over no policy and what each point costs. Bold: at or above the target.",
        "nl": "Per scenario: het aandeel van Hilversum in {year} met elk pakket (mediane run "
        "en 90%-bereik), het deel van de runs op of boven het doel van {target}, de punten "
        "boven geen beleid en wat elk punt kost. Vet: op of boven het doel.",
    },
    "ch.scenario_caption": {"en": "Scenario {scenario}", "nl": "Scenario {scenario}"},
    "ch.frontier_sweep": {
        "en": "The robust choice per budget, from the packages in the sweep. For a budget, "
        "only the packages that cost no more are compared; the choice is the one with the "
        "smallest largest regret among them (ties: the cheaper). <i>No robustness study was "
        "given</i>, so the futures are the sweep's {n_scenarios} scenarios and the "
        "choices only the packages run; a robustness study (issue 14, "
        "<code>results/robust/</code>) adds futures and searched mixes.",
        "nl": "De robuuste keuze per budget, uit de pakketten van de sweep. Bij een budget "
        "worden alleen de pakketten vergeleken die niet meer kosten; de keuze is het pakket "
        "met de kleinste grootste spijt onder hen (bij gelijkspel het goedkoopste). <i>Er "
        "is geen robuustheidsstudie opgegeven</i>, dus de toekomsten zijn de "
        "{n_scenarios} scenario's van de sweep en de keuzes alleen de gedraaide pakketten; "
        "een robuustheidsstudie (<code>results/robust/</code>) voegt toekomsten en "
        "gezochte mixen toe.",
    },
    "ch.frontier_caption": {
        "en": "Robust choice per budget (sweep packages)",
        "nl": "Robuuste keuze per budget (pakketten van de sweep)",
    },
    "ch.robust_intro": {
        "en": "From the robustness study <i>{name}</i>: every policy evaluated on the same "
        "futures; the measures are for {outcome}.",
        "nl": "Uit de robuustheidsstudie <i>{name}</i>: elk beleid op dezelfde toekomsten "
        "doorgerekend; de maten gaan over {outcome}.",
    },
    "ch.robust_caption": {
        "en": "Robustness of each policy across the study's futures",
        "nl": "Robuustheid van elk beleid over de toekomsten van de studie",
    },
    "ch.robust_frontier_caption": {
        "en": "Budget frontier: the robust choice per budget",
        "nl": "Budgetgrens: de robuuste keuze per budget",
    },
    "ch.no_robust": {
        "en": "No robustness study given: the budget frontier below comes from the sweep's "
        "packages only. Run the robustness study and add its folder to the report command.",
        "nl": "Geen robuustheidsstudie opgegeven: de budgetgrens hieronder komt alleen uit "
        "de pakketten van de sweep. Draai de robuustheidsstudie en geef haar map mee aan "
        "het rapportcommando.",
    },
    "ch.robust_incomplete": {
        "en": "The robustness study at <code>{path}</code> has no {file}.",
        "nl": "De robuustheidsstudie in <code>{path}</code> heeft geen {file}.",
    },
    "ch.noise": {
        "en": "Medians over {runs} runs per cell. Differences smaller than about {noise} "
        "points between two cells are within replication noise; “points kept” intervals "
        "are ±2 standard errors. M€ per point is not given where the points kept are "
        "within that noise.",
        "nl": "Medianen over {runs} runs per cel. Verschillen kleiner dan ongeveer {noise} "
        "punt tussen twee cellen vallen binnen de toevalsruis; intervallen bij “punten” "
        "zijn ±2 standaardfouten. M€ per punt ontbreekt waar de punten binnen die ruis "
        "vallen.",
    },
    "ch.no_none": {
        "en": "The sweep has no no-policy package <i>none</i>: points kept and M€ per point "
        "cannot be computed.",
        "nl": "De sweep heeft geen pakket zonder beleid (<i>none</i>): punten boven geen "
        "beleid en M€ per punt zijn niet te berekenen.",
    },
    # ------------------------------------------------------------------ levers
    "lv.intro": {
        "en": "What each lever does to Hilversum's {year} share, from the sensitivity study "
        "<i>{name}</i>: the paired effect of turning the lever from off to the top of the "
        "range tried, with the other levers and the uncertain parameters varied, and its "
        "95% interval. “No clear effect” means the interval includes zero.",
        "nl": "Wat elke knop doet met het aandeel van Hilversum in {year}, uit de "
        "gevoeligheidsstudie <i>{name}</i>: het gepaarde effect van de knop van uit tot de "
        "bovenkant van het geprobeerde bereik, terwijl de andere knoppen en de onzekere "
        "parameters variëren, met 95%-interval. “Geen duidelijk effect” betekent dat het "
        "interval nul bevat.",
    },
    "lv.raises": {
        "en": "<b>{lever}</b> ({range}) raises the {year} share by {effect} points "
        "[{low}–{high}] across futures{where}.",
        "nl": "<b>{lever}</b> ({range}) verhoogt het aandeel in {year} met {effect} punt "
        "[{low}–{high}] over de toekomsten{where}.",
    },
    "lv.lowers": {
        "en": "<b>{lever}</b> ({range}) lowers the {year} share by {effect} points "
        "[{low}–{high}] across futures{where}.",
        "nl": "<b>{lever}</b> ({range}) verlaagt het aandeel in {year} met {effect} punt "
        "[{low}–{high}] over de toekomsten{where}.",
    },
    "lv.unclear": {
        "en": "<b>{lever}</b> ({range}): no clear effect on the {year} share "
        "({effect} points [{low}–{high}]){where}.",
        "nl": "<b>{lever}</b> ({range}): geen duidelijk effect op het aandeel in {year} "
        "({effect} punt [{low}–{high}]){where}.",
    },
    "lv.mixed": {
        "en": "<b>{lever}</b> ({range}) raises the {year} share in {raised} and has no clear "
        "effect in {others} ({effect} points [{low}–{high}] overall).",
        "nl": "<b>{lever}</b> ({range}) verhoogt het aandeel in {year} in {raised} en heeft "
        "geen duidelijk effect in {others} ({effect} punt [{low}–{high}] in totaal).",
    },
    "lv.mixed_lower": {
        "en": "<b>{lever}</b> ({range}) lowers the {year} share in {raised} and has no clear "
        "effect in {others} ({effect} points [{low}–{high}] overall).",
        "nl": "<b>{lever}</b> ({range}) verlaagt het aandeel in {year} in {raised} en heeft "
        "geen duidelijk effect in {others} ({effect} punt [{low}–{high}] in totaal).",
    },
    "lv.where_one": {"en": " (scenario {scenario})", "nl": " (scenario {scenario})"},
    "lv.where_all": {
        "en": " ({n} scenarios; per scenario {values})",
        "nl": " ({n} scenario's; per scenario {values})",
    },
    "lv.no_effects": {
        "en": "The sensitivity study <i>{name}</i> has no paired lever effects "
        "(<code>lever_effects.csv</code>), so this report does not say in which direction "
        "each lever works; its ranking by total-effect index is in appendix A. Re-run it "
        "with the current <code>mediacluster sensitivity</code>.",
        "nl": "De gevoeligheidsstudie <i>{name}</i> heeft geen gepaarde knopeffecten "
        "(<code>lever_effects.csv</code>), dus dit rapport zegt niet in welke richting elke "
        "knop werkt; de rangorde naar totaal-effectindex staat in bijlage A. Draai haar "
        "opnieuw met de huidige <code>mediacluster sensitivity</code>.",
    },
    "lv.no_study": {
        "en": "No sensitivity study was given, so this report does not say what each lever "
        "does on its own. Run <code>make sensitivity</code>, then <code>make report</code>.",
        "nl": "Er is geen gevoeligheidsstudie opgegeven, dus dit rapport zegt niet wat elke "
        "knop afzonderlijk doet. Draai <code>make sensitivity</code> en daarna <code>make "
        "report</code>.",
    },
    "lv.top_summary": {
        "en": "<b>Levers:</b> {sentence}",
        "nl": "<b>Knoppen:</b> {sentence}",
    },
    "lv.caption": {
        "en": "Paired effect of each lever per scenario",
        "nl": "Gepaard effect van elke knop per scenario",
    },
    # ------------------------------------------------------------------ rests on
    "ro.intro": {
        "en": "Every number in this report rests on the model's assumptions. These are the "
        "ones the answer depends on most: how strongly each lever moves organisations (the "
        "policy effects) and what it costs (the unit costs). They are assumptions without an "
        "empirical source; where a study given to this report did not vary them (see "
        "below), the report cannot say how far the answer moves with them, and every "
        "“points kept” and “M€ per point” depends on them. Every other number, with its "
        "source, is in the linked parameter appendix: {link}.",
        "nl": "Elk getal in dit rapport rust op de aannames van het model. Hieronder staan "
        "de aannames waar het antwoord het meest van afhangt: hoe sterk elke knop "
        "organisaties beweegt (de beleidseffecten) en wat hij kost (de eenheidskosten). Het "
        "zijn aannames zonder empirische bron; waar geen opgegeven studie ze varieerde (zie "
        "hieronder), kan het rapport niet zeggen hoe ver het antwoord met ze meebeweegt, en "
        "elke “punten vastgehouden” en “M€ per punt” hangt ervan af. Alle andere "
        "getallen, met hun bron, staan in de gekoppelde parameterbijlage: {link}. Eenheden en "
        "bronvermeldingen staan er zoals in de parameterbestanden (in het Engels).",
    },
    "ro.effects_caption": {
        "en": "Policy effects and unit costs of the levers",
        "nl": "Beleidseffecten en eenheidskosten van de knoppen",
    },
    "ro.discount": {
        "en": "Discount rate: {rate} a year, the Dutch standard rate for social "
        "cost–benefit analysis (Werkgroep discontovoet 2020, "
        "rwseconomie.nl/discontovoet); change it with <code>--discount-rate</code>.",
        "nl": "Discontovoet: {rate} per jaar, de standaarddiscontovoet voor MKBA's "
        "(Werkgroep discontovoet 2020, rwseconomie.nl/discontovoet); aan te passen met "
        "<code>--discount-rate</code>.",
    },
    "ro.varied": {
        "en": "Varied in the sensitivity study: {names}. Not varied in any study given: {fixed}.",
        "nl": "Gevarieerd in de gevoeligheidsstudie: {names}. In geen opgegeven studie "
        "gevarieerd: {fixed}.",
    },
    "ro.params_link": {"en": "parameter appendix", "nl": "parameterbijlage"},
    # ------------------------------------------------------------------ appendix A
    "ap.methods": {
        "en": "<b>Regret.</b> In each scenario, a package's regret is how many points of "
        "{year} share it gives away against the best package there; the package with the "
        "smallest largest regret is never far behind, whatever future comes (minimax "
        "regret, Savage 1951). Regret on share alone ignores cost, so the report compares "
        "packages within a budget. <b>Noise.</b> The standard error of a median is taken as "
        "1.25 σ/√n (normal data).",
        "nl": "<b>Spijt.</b> In elk scenario is de spijt van een pakket het aantal punten "
        "aandeel in {year} dat het weggeeft ten opzichte van het beste pakket daar; het "
        "pakket met de kleinste grootste spijt staat nooit ver achter, welke toekomst ook "
        "komt (minimax-spijt, Savage 1951). Spijt op aandeel alleen negeert kosten, daarom "
        "vergelijkt het rapport pakketten binnen een budget. <b>Ruis.</b> De standaardfout "
        "van een mediaan is 1,25 σ/√n (normale data).",
    },
    "ap.sens_intro": {
        "en": "The sensitivity study <i>{name}</i> ({methods}; {reps} replications per "
        "design point; {runs} runs) varies all levers and the most uncertain parameters "
        "at once. Its total-effect index ST is the share of the variation in Hilversum's "
        "{year} share that would go if the factor were fixed (Sobol' indices, SALib).",
        "nl": "De gevoeligheidsstudie <i>{name}</i> ({methods}; {reps} herhalingen per "
        "ontwerppunt; {runs} runs) varieert alle knoppen en de onzekerste parameters "
        "tegelijk. Haar totaal-effectindex ST is het deel van de variatie in het aandeel "
        "van Hilversum in {year} dat zou verdwijnen als de factor vast lag (Sobol'-indices, "
        "SALib).",
    },
    "ap.heat.title": {
        "en": "Total-effect index ST of each lever on the {year} share",
        "nl": "Totaal-effectindex ST van elke knop op het aandeel {year}",
    },
    "ap.heat.caption": {
        "en": "Total-effect index ST of every lever (rows) in every scenario (columns). "
        "Darker cells mean the share depends more on the lever; the number is ST.",
        "nl": "Totaal-effectindex ST van elke knop (rijen) per scenario (kolommen). "
        "Donkerder betekent dat het aandeel meer van de knop afhangt; het getal is ST.",
    },
    "ap.heat.colorbar": {"en": "ST (0 = no effect)", "nl": "ST (0 = geen effect)"},
    "ap.ranked_caption": {
        "en": "Levers ranked by total-effect index ST — {scenario}",
        "nl": "Knoppen gerangschikt naar totaal-effectindex ST — {scenario}",
    },
    "ap.factors_caption": {"en": "What the study varied", "nl": "Wat de studie varieerde"},
    "ap.caveats": {
        "en": "<b>Caveats of this study ({n}).</b> The study wrote {n} warnings "
        "(<code>warnings.txt</code> in its folder); the kinds: {kinds}. Wide intervals "
        "mean a ranking may change in a larger study.",
        "nl": "<b>Kanttekeningen bij deze studie ({n}).</b> De studie schreef {n} "
        "waarschuwingen (<code>warnings.txt</code> in haar map); soorten: {kinds}. Brede "
        "intervallen betekenen dat een rangorde kan veranderen in een grotere studie.",
    },
    "ap.no_ranked": {
        "en": "The study at <code>{path}</code> has no ranked tables yet: it has not "
        "finished or was not analysed.",
        "nl": "De studie in <code>{path}</code> heeft nog geen gerangschikte tabellen: ze is "
        "niet klaar of niet geanalyseerd.",
    },
    "verdict.influential": {"en": "matters", "nl": "doet ertoe"},
    "verdict.negligible": {"en": "does not matter", "nl": "doet er niet toe"},
    "verdict.unclear": {"en": "unclear", "nl": "onduidelijk"},
    # ------------------------------------------------------------------ appendix B glossary
    "gl.intro": {"en": "The terms this report uses.", "nl": "De termen in dit rapport."},
    "gl.share": {
        "en": "Hilversum's share|Hilversum's jobs as a share of all the sector's jobs in the "
        "model (Hilversum, Amsterdam, Utrecht, rest of the Netherlands, abroad).",
        "nl": "Aandeel van Hilversum|De banen in Hilversum als deel van alle banen van de "
        "sector in het model (Hilversum, Amsterdam, Utrecht, rest van Nederland, "
        "buitenland).",
    },
    "gl.media_valley": {
        "en": "Media Valley|Hilversum, Amsterdam and Utrecht together.",
        "nl": "Media Valley|Hilversum, Amsterdam en Utrecht samen.",
    },
    "gl.point": {
        "en": "Point|A percentage point: from 30% to 32% is 2 points.",
        "nl": "Punt|Een procentpunt: van 30% naar 32% is 2 punten.",
    },
    "gl.target": {
        "en": "Target|The share Hilversum should keep in the final year; by default its "
        "share in the first year.",
        "nl": "Doel|Het aandeel dat Hilversum in het laatste jaar moet houden; standaard "
        "zijn aandeel in het eerste jaar.",
    },
    "gl.scenario": {
        "en": "Scenario|A possible future (technology, market power, growth) nobody in "
        "Hilversum controls.",
        "nl": "Scenario|Een mogelijke toekomst (technologie, marktmacht, groei) waar niemand "
        "in Hilversum over gaat.",
    },
    "gl.package": {
        "en": "Policy package|A combination of levers with their sizes and start years.",
        "nl": "Beleidspakket|Een combinatie van knoppen met hun omvang en startjaar.",
    },
    "gl.lever": {
        "en": "Lever|One policy instrument: floor space, rent support, talent programme, "
        "innovation fund, shared studios, faster connections, campus amenity, cooperation.",
        "nl": "Knop|Eén beleidsinstrument: vloeroppervlak, huursteun, talentprogramma, "
        "innovatiefonds, gedeelde studio's, snellere verbindingen, campusvoorzieningen, "
        "samenwerking.",
    },
    "gl.median": {
        "en": "Median run, 90% band|The middle of the runs with different random draws, "
        "and the range in which 90% of them fall (5th to 95th percentile).",
        "nl": "Mediane run, 90%-band|Het midden van de runs met verschillende "
        "toevalstrekkingen, en het bereik waarin 90% ervan valt (5e tot 95e percentiel).",
    },
    "gl.kept": {
        "en": "Points kept|A package's median share minus the no-policy median share in the "
        "same scenario.",
        "nl": "Punten vastgehouden|Het mediane aandeel met een pakket min dat zonder beleid, "
        "in hetzelfde scenario.",
    },
    "gl.discounted": {
        "en": "Discounted cost|Future euros counted at less than today's: each year's cost "
        "divided by (1 + rate) to the power of the years since the first year.",
        "nl": "Contante kosten|Toekomstige euro's tellen minder dan die van nu: de kosten "
        "van elk jaar gedeeld door (1 + voet) tot de macht van het aantal jaren sinds het "
        "eerste jaar.",
    },
    "gl.regret": {
        "en": "Regret|How many points a package is behind the best affordable package in "
        "one future; the robust choice has the smallest largest regret.",
        "nl": "Spijt|Hoeveel punten een pakket achterloopt op het beste betaalbare pakket in "
        "één toekomst; de robuuste keuze heeft de kleinste grootste spijt.",
    },
    "gl.frontier": {
        "en": "Budget frontier|For each budget, the most robust choice that costs no more.",
        "nl": "Budgetgrens|Per budget de robuustste keuze die niet meer kost.",
    },
    "gl.st": {
        "en": "Total-effect index ST|Share of the outcome's variation that goes if a factor "
        "is fixed, its interplay with others included (0 = none, 1 = all).",
        "nl": "Totaal-effectindex ST|Deel van de variatie in de uitkomst dat verdwijnt als "
        "een factor vast ligt, inclusief wisselwerking (0 = niets, 1 = alles).",
    },
    "gl.paired": {
        "en": "Paired lever effect|The change in the outcome when only that lever moves "
        "from off to its top value, the rest of the run (futures, seeds) kept the same.",
        "nl": "Gepaard knopeffect|De verandering in de uitkomst als alleen die knop van uit "
        "naar zijn hoogste waarde gaat en de rest van de run (toekomst, toeval) gelijk "
        "blijft.",
    },
    # ------------------------------------------------------------------ appendix C
    "rp.intro": {
        "en": "Everything in this report comes from the stores below and the params files "
        "stored with them. For each store: how to rebuild it (same master seed, same runs) "
        "and how to check stored runs against fresh ones.",
        "nl": "Alles in dit rapport komt uit de onderstaande opslagmappen en de "
        "parameterbestanden die erbij zijn bewaard. Per map: hoe u haar opnieuw maakt "
        "(zelfde hoofdzaad, zelfde runs) en hoe u opgeslagen runs met verse vergelijkt.",
    },
    "rp.this_report": {"en": "This report", "nl": "Dit rapport"},
    "rp.folder": {"en": "folder", "nl": "map"},
    "rp.description": {"en": "description", "nl": "beschrijving"},
    "rp.runs": {"en": "runs", "nl": "runs"},
    "rp.runs_value": {
        "en": "{done} done of {planned} planned, {failed} failed (status: {status})",
        "nl": "{done} klaar van {planned} gepland, {failed} mislukt (status: {status})",
    },
    "rp.commit": {"en": "code (git commit)", "nl": "code (git-commit)"},
    "rp.seed": {"en": "master seed", "nl": "hoofdzaad"},
    "rp.rebuild": {"en": "to rebuild", "nl": "opnieuw maken"},
    "rp.posterior_sha": {"en": "posterior (SHA-256)", "nl": "posterior (SHA-256)"},
    "rp.check": {"en": "to check", "nl": "controleren"},
    "rp.generated": {"en": "generated", "nl": "gemaakt"},
    "rp.command": {"en": "command", "nl": "commando"},
    "rp.dirty": {
        "en": "The code had uncommitted changes when this store was made (git commit "
        "<code>{commit}</code>): a rebuild from that commit may differ.",
        "nl": "De code had niet-vastgelegde wijzigingen toen deze map werd gemaakt "
        "(git-commit <code>{commit}</code>): opnieuw maken vanaf die commit kan afwijken.",
    },
    # ------------------------------------------------------------------ missing / incomplete
    "miss.sweep": {
        "en": "No scenario × policy sweep was given, so this report has no scenario "
        "comparison and no cost per point. Run <code>make run</code> and build the report "
        "again with its folder.",
        "nl": "Er is geen sweep van scenario's × beleid opgegeven, dus dit rapport heeft "
        "geen vergelijking van scenario's en geen kosten per punt. Draai <code>make "
        "run</code> en maak het rapport opnieuw met die map.",
    },
    "miss.robust": {
        "en": "No robustness study given: the robust choice per budget comes from the "
        "sweep's packages and scenarios only.",
        "nl": "Geen robuustheidsstudie opgegeven: de robuuste keuze per budget komt alleen "
        "uit de pakketten en scenario's van de sweep.",
    },
    "miss.incomplete": {
        "en": "The store <code>{path}</code> is not complete ({done} of {planned} runs done, "
        "{failed} failed): its numbers use only the finished runs.",
        "nl": "De map <code>{path}</code> is niet compleet ({done} van {planned} runs klaar, "
        "{failed} mislukt): de getallen gebruiken alleen de afgeronde runs.",
    },
    # ------------------------------------------------------------------ parameter appendix file
    "pa.title": {
        "en": "Media Valley 2040: parameter appendix",
        "nl": "Media Valley 2040: parameterbijlage",
    },
    "pa.intro": {
        "en": "Every number the model uses, read from {source}, with its unit and the "
        "comment that gives its source or says it is an assumption. Of the {n} numbers in "
        "baseline.toml, {own} have a comment of their own. Scenario and policy files are "
        "told as storylines in the report itself; their numbers are listed at the end.",
        "nl": "Elk getal dat het model gebruikt, gelezen uit {source}, met eenheid en het "
        "commentaar met de bron of de vermelding dat het een aanname is (in het Engels, "
        "zoals in de bestanden). Van de {n} getallen in baseline.toml hebben er {own} een "
        "eigen commentaar. Scenario- en beleidsbestanden staan als verhaallijn in het "
        "rapport zelf; hun getallen staan aan het eind.",
    },
    "pa.back": {"en": "Back to the report: {link}", "nl": "Terug naar het rapport: {link}"},
    "pa.scenario_files": {"en": "Scenario files", "nl": "Scenariobestanden"},
    "pa.policy_files": {"en": "Policy package files", "nl": "Beleidspakketbestanden"},
    "pa.no_source": {"en": "no source given", "nl": "geen bron gegeven"},
    # ------------------------------------------------------------------ human names
    "place.hilversum": {"en": "Hilversum", "nl": "Hilversum"},
    "place.amsterdam": {"en": "Amsterdam", "nl": "Amsterdam"},
    "place.utrecht": {"en": "Utrecht", "nl": "Utrecht"},
    "place.rest_nl": {"en": "rest of the Netherlands", "nl": "rest van Nederland"},
    "place.abroad": {"en": "abroad", "nl": "buitenland"},
    "places_list": {
        "en": "Hilversum, Amsterdam, Utrecht, the rest of the Netherlands and abroad",
        "nl": "Hilversum, Amsterdam, Utrecht, de rest van Nederland en het buitenland",
    },
    "lever.space_expansion_m2_per_year": {"en": "extra floor space", "nl": "extra vloeroppervlak"},
    "lever.space_permission_m2": {"en": "extra building permission", "nl": "extra bouwruimte"},
    "lever.rent_subsidy": {"en": "rent support", "nl": "huursteun"},
    "lever.talent_programme_students": {"en": "talent programme", "nl": "talentprogramma"},
    "lever.innovation_fund_meur_per_year": {"en": "innovation fund", "nl": "innovatiefonds"},
    "lever.shared_facilities": {"en": "shared studios", "nl": "gedeelde studio's"},
    "lever.accessibility_minutes_saved": {
        "en": "faster connections",
        "nl": "snellere verbindingen",
    },
    "lever.campus_amenity": {"en": "campus amenity", "nl": "campusvoorzieningen"},
    "lever.cooperation_programme": {
        "en": "cooperation programme",
        "nl": "samenwerkingsprogramma",
    },
    "unit.space_expansion_m2_per_year": {"en": "{v} m² a year", "nl": "{v} m² per jaar"},
    "unit.space_permission_m2": {"en": "+{v} m²", "nl": "+{v} m²"},
    "unit.rent_subsidy": {"en": "{v}% of rent", "nl": "{v}% van de huur"},
    "unit.talent_programme_students": {"en": "{v} students", "nl": "{v} studenten"},
    "unit.innovation_fund_meur_per_year": {"en": "{v} M€ a year", "nl": "{v} M€ per jaar"},
    "unit.shared_facilities": {
        "en": "+{v} on the 0–1 facility index",
        "nl": "+{v} op de faciliteitenindex (0–1)",
    },
    "unit.accessibility_minutes_saved": {"en": "{v} minutes saved", "nl": "{v} minuten sneller"},
    "unit.campus_amenity": {
        "en": "+{v} on the 0–1 amenity index",
        "nl": "+{v} op de voorzieningenindex (0–1)",
    },
    "unit.cooperation_programme": {
        "en": "+{v} spillover strength",
        "nl": "+{v} overloopsterkte",
    },
    "range": {"en": "{low} to {high}", "nl": "{low} tot {high}"},
    "kind.public_broadcaster": {"en": "public broadcasters", "nl": "publieke omroepen"},
    "kind.commercial_broadcaster": {
        "en": "commercial broadcasters",
        "nl": "commerciële omroepen",
    },
    "kind.tech_firm": {"en": "tech firms", "nl": "techbedrijven"},
    "kind.school": {"en": "schools", "nl": "opleidingen"},
    "kind.startup": {"en": "start-ups", "nl": "start-ups"},
    "and": {"en": "and", "nl": "en"},
    "outcome.hilversum_jobs_share": {
        "en": "Hilversum's share of the sector's jobs",
        "nl": "het aandeel van Hilversum in de banen van de sector",
    },
    # robustness-study measures (issue 14's robustness.csv / frontier.csv metric names)
    "metric.satisficing": {
        "en": "share of futures at or above target",
        "nl": "deel van de toekomsten op of boven doel",
    },
    "metric.p10": {"en": "10th-percentile share", "nl": "10e-percentiel aandeel"},
    "metric.max_regret": {"en": "largest regret", "nl": "grootste spijt"},
    "metric.mean_regret": {"en": "mean regret", "nl": "gemiddelde spijt"},
    "metric.median": {"en": "median share", "nl": "mediaan aandeel"},
    "metric.mean": {"en": "mean share", "nl": "gemiddeld aandeel"},
    "metric.cost_meur": {"en": "cost (M€)", "nl": "kosten (M€)"},
    "metric.cost_discounted_meur": {
        "en": "cost, discounted (M€)",
        "nl": "kosten, contant (M€)",
    },
    "metric.kept_pp": {"en": "points kept", "nl": "punten vastgehouden"},
    # policy-effect coefficients (params [policy_effects], [policy_costs])
    "coef.innovation_max_utility": {
        "en": "the pull of a saturated innovation grant on a firm",
        "nl": "de aantrekkingskracht van een volledige innovatiesubsidie op een bedrijf",
    },
    "coef.innovation_grant_scale_meur": {
        "en": "the grant per firm at which the fund has 63% of its largest effect",
        "nl": "de subsidie per bedrijf waarbij het fonds 63% van zijn grootste effect heeft",
    },
    "coef.innovation_grant_cap_meur": {
        "en": "the largest yearly innovation grant per firm",
        "nl": "de grootste jaarlijkse innovatiesubsidie per bedrijf",
    },
    "coef.cooperation_gamma_per_point": {
        "en": "the spillover weight a point of the cooperation programme adds",
        "nl": "het spillovergewicht dat een punt van het samenwerkingsprogramma toevoegt",
    },
    "coef.incubation_support_max": {
        "en": "the largest cut in start-up failure",
        "nl": "de grootste daling van het faalrisico van start-ups",
    },
    # ------------------------------------------------------------------ grounded in history
    "sec.grounded": {"en": "Grounded in history", "nl": "Getoetst aan de geschiedenis"},
    "hc.intro": {
        "en": "To check the model against the past, it was run from its {start} state "
        "through {end} under the historical drivers (broadcaster cuts and mergers, "
        "streaming, relocations) and compared with {n} observed patterns. Approximate "
        "Bayesian computation (ABC-SMC: {populations} rounds of {particles} parameter sets, "
        "{simulations} simulations) kept the behavioural weights whose runs came closest to "
        "what happened. <b>{k} of {n} patterns fall within their tolerance</b> (median of "
        "the runs drawn from the result).",
        "nl": "Om het model aan het verleden te toetsen, is het gedraaid van de toestand in "
        "{start} tot en met {end} onder de historische drijvers (bezuinigingen en fusies "
        "van omroepen, streaming, verhuizingen) en vergeleken met {n} waargenomen "
        "patronen. Approximate Bayesian computation (ABC-SMC: {populations} rondes van "
        "{particles} parametersets, {simulations} simulaties) hield de gedragsgewichten "
        "over waarvan de runs het dichtst bij de werkelijkheid kwamen. <b>{k} van de {n} "
        "patronen vallen binnen hun marge</b> (mediaan van de runs getrokken uit het "
        "resultaat).",
    },
    "hc.fit_caption": {
        "en": "The hindcast against history: {k} of {n} patterns within tolerance",
        "nl": "De terugvoorspelling tegen de geschiedenis: {k} van de {n} patronen binnen de marge",
    },
    "hc.outside": {
        "en": "Outside their tolerance: {names}. The model misses these parts of the "
        "history; read the results that depend on them with more caution.",
        "nl": "Buiten hun marge: {names}. Deze delen van de geschiedenis mist het model; "
        "lees de uitkomsten die ervan afhangen met meer voorzichtigheid.",
    },
    "hc.yes": {"en": "yes", "nl": "ja"},
    "hc.no": {"en": "no", "nl": "nee"},
    "hc.transfer_no": {"en": "no (2010–25 only)", "nl": "nee (alleen 2010–25)"},
    "col.pattern": {"en": "pattern", "nl": "patroon"},
    "col.observed": {"en": "observed", "nl": "waargenomen"},
    "col.tolerance": {"en": "tolerance", "nl": "marge"},
    "col.sim_median": {"en": "simulated (median)", "nl": "gesimuleerd (mediaan)"},
    "col.sim_band": {"en": "simulated 5–95%", "nl": "gesimuleerd 5–95%"},
    "col.within": {"en": "within", "nl": "binnen"},
    "col.parameter": {"en": "behavioural weight", "nl": "gedragsgewicht"},
    "col.prior_range": {"en": "prior range", "nl": "bereik vooraf"},
    "col.post_median": {"en": "posterior median", "nl": "mediaan achteraf"},
    "col.post_interval": {"en": "posterior 90% interval", "nl": "90%-interval achteraf"},
    "col.sd_ratio": {"en": "sd after / before", "nl": "sd achteraf / vooraf"},
    "col.history_says": {"en": "what history says", "nl": "wat de geschiedenis zegt"},
    "col.transfers": {"en": "used in 2040 studies", "nl": "gebruikt in 2040-studies"},
    "hc.param_caption": {
        "en": "The behavioural weights before (prior) and after (posterior) the hindcast; "
        "× = a multiplier of the default",
        "nl": "De gedragsgewichten vóór (prior) en na (posterior) de terugvoorspelling; "
        "× = een vermenigvuldiging van de standaardwaarde",
    },
    "hc.verdict.informed": {"en": "history informs this", "nl": "de geschiedenis bepaalt dit"},
    "hc.verdict.narrowed": {
        "en": "history narrows this somewhat",
        "nl": "de geschiedenis beperkt dit iets",
    },
    "hc.verdict.open": {
        "en": "history does not pin this down",
        "nl": "de geschiedenis legt dit niet vast",
    },
    "hc.fig.title": {
        "en": "Behavioural weights: prior range against posterior",
        "nl": "Gedragsgewichten: bereik vooraf tegen achteraf",
    },
    "hc.fig.x": {
        "en": "multiplier of the default; the value itself where marked “(value)”",
        "nl": "vermenigvuldiging van de standaard; de waarde zelf waar “(waarde)” staat",
    },
    "hc.fig.value": {"en": "(value)", "nl": "(waarde)"},
    "hc.fig.prior": {"en": "prior range", "nl": "bereik vooraf"},
    "hc.fig.default": {"en": "default (1)", "nl": "standaard (1)"},
    "hc.fig.history_only": {"en": "(not used for 2040)", "nl": "(niet voor 2040)"},
    "hc.fig.caption": {
        "en": "Grey: the range each weight could take before the hindcast (uniform). "
        "Bar and dot: the posterior's 90% interval and median. Blue: the posterior sd is "
        "below {informed} × the prior's (history informs the weight); grey: about as wide "
        "as the prior (history does not pin it down).",
        "nl": "Grijs: het bereik dat elk gewicht vóór de terugvoorspelling kon hebben "
        "(uniform). Balk en punt: het 90%-interval en de mediaan achteraf. Blauw: de sd "
        "achteraf is kleiner dan {informed} × die vooraf (de geschiedenis bepaalt het "
        "gewicht); grijs: ongeveer even breed als vooraf (de geschiedenis legt het niet "
        "vast).",
    },
    "hc.transfer_line": {
        "en": "<b>What carries over to 2040:</b> a sweep or study that names this "
        "posterior draws {moved} from it, run by run; {stay} describes the 2010–2025 "
        "drivers only and is not carried over.",
        "nl": "<b>Wat meegaat naar 2040:</b> een sweep of studie die deze posterior noemt, "
        "trekt per run {moved} eruit; {stay} beschrijft alleen de drijvers van 2010–2025 "
        "en gaat niet mee.",
    },
    "hc.transfer_unknown": {
        "en": "Which weights carry over to 2040 studies could not be read (no "
        "posterior.parquet with its metadata next to the tables).",
        "nl": "Welke gewichten meegaan naar 2040-studies kon niet worden gelezen (geen "
        "posterior.parquet met metadata naast de tabellen).",
    },
    "hc.found.option": {
        "en": "Calibration read from <code>{path}</code> (given with <code>--hindcast</code>).",
        "nl": "Kalibratie gelezen uit <code>{path}</code> (opgegeven met <code>--hindcast</code>).",
    },
    "hc.found.manifest": {
        "en": "Calibration read from <code>{path}</code>, the posterior a store's manifest names.",
        "nl": "Kalibratie gelezen uit <code>{path}</code>, de posterior die het manifest van "
        "een store noemt.",
    },
    "hc.found.sibling": {
        "en": "Calibration read from <code>{path}</code>, found next to the stores.",
        "nl": "Kalibratie gelezen uit <code>{path}</code>, gevonden naast de stores.",
    },
    "hc.missing": {
        "en": "<b>{store}</b> drew its behavioural weights from <code>{path}</code> "
        "(SHA-256 {sha}…), which no longer exists: this report cannot show that posterior.",
        "nl": "<b>{store}</b> trok zijn gedragsgewichten uit <code>{path}</code> "
        "(SHA-256 {sha}…), dat niet meer bestaat: dit rapport kan die posterior niet tonen.",
    },
    "hc.mismatch": {
        "en": "<b>{store}</b> drew its behavioural weights from a posterior with SHA-256 "
        "{sha}…, but the one shown here has {shown}… (<code>{path}</code>): the calibration "
        "was re-run or another posterior was used, so its runs did not use the posterior "
        "shown.",
        "nl": "<b>{store}</b> trok zijn gedragsgewichten uit een posterior met SHA-256 "
        "{sha}…, maar de hier getoonde heeft {shown}… (<code>{path}</code>): de kalibratie "
        "is opnieuw gedraaid of er is een andere posterior gebruikt, dus de runs gebruikten "
        "niet de getoonde posterior.",
    },
    "hc.incomplete": {
        "en": "The calibration is not complete (status: {status}); its tables are from an "
        "unfinished run.",
        "nl": "De kalibratie is niet af (status: {status}); de tabellen komen uit een "
        "onafgemaakte run.",
    },
    "sum.weights_default": {
        "en": "<b>Behavioural weights</b> (how strongly organisations respond to rent, "
        "neighbours, moving costs and chance) are the model's defaults, not drawn from a "
        "calibration.",
        "nl": "<b>Gedragsgewichten</b> (hoe sterk organisaties reageren op huur, buren, "
        "verhuiskosten en toeval) zijn de standaardwaarden van het model, niet getrokken "
        "uit een kalibratie.",
    },
    "sum.weights_no_calibration": {
        "en": "No calibration on history was given to check them.",
        "nl": "Er is geen kalibratie op de geschiedenis opgegeven om ze te toetsen.",
    },
    "sum.weights_not_narrowed": {
        "en": "The 2010–2025 hindcast did not narrow them: they are as uncertain after it "
        "as before (section “{section}”).",
        "nl": "De terugvoorspelling 2010–2025 beperkte ze niet: ze zijn erna even onzeker "
        "als ervoor (paragraaf “{section}”).",
    },
    "sum.weights_some_narrowed": {
        "en": "The 2010–2025 hindcast narrowed {narrowed}, not {still} (section “{section}”).",
        "nl": "De terugvoorspelling 2010–2025 beperkte {narrowed}, niet {still} "
        "(paragraaf “{section}”).",
    },
    "sum.weights_posterior": {
        "en": "<b>Behavioural weights</b> are drawn run by run from the posterior of the "
        "2010–2025 calibration (section “{section}”).",
        "nl": "<b>Gedragsgewichten</b> zijn per run getrokken uit de posterior van de "
        "kalibratie op 2010–2025 (paragraaf “{section}”).",
    },
    "sum.weights_mixed": {
        "en": "<b>Behavioural weights:</b> drawn from a posterior in {drawn}; the model's "
        "defaults in {default}.",
        "nl": "<b>Gedragsgewichten:</b> getrokken uit een posterior in {drawn}; de "
        "standaardwaarden van het model in {default}.",
    },
    # calibrated parameters (params/history/calibration.toml [parameters])
    "par.logit_scale": {"en": "logit scale μ (chance)", "nl": "logitschaal μ (toeval)"},
    "par.agglomeration_scale": {
        "en": "agglomeration (pull of neighbours)",
        "nl": "agglomeratie (trek van buren)",
    },
    "par.moving_cost_scale": {"en": "moving cost", "nl": "verhuiskosten"},
    "par.relocation_hazard_scale": {
        "en": "yearly chance to reconsider",
        "nl": "jaarlijkse kans op heroverweging",
    },
    "par.rent_sensitivity_scale": {"en": "rent sensitivity", "nl": "huurgevoeligheid"},
    "par.amenity_scale": {"en": "amenity weight", "nl": "gewicht voorzieningen"},
    "par.broadcaster_decline_scale": {
        "en": "broadcaster job decline 2010–25",
        "nl": "banenverlies omroepen 2010–25",
    },
    "par.park_occupancy_2010": {
        "en": "Media Park occupancy 2010",
        "nl": "bezetting Media Park 2010",
    },
    "par.office_absorption_scale": {
        "en": "take-up of vacant offices by other firms 2014–21",
        "nl": "opname leegstaande kantoren door andere bedrijven 2014–21",
    },
    # observed patterns (params/history/patterns.toml; English = its `label`)
    "pattern.hilversum_jobs_change_2010_2017": {
        "en": "Hilversum media jobs, change 2010–17",
        "nl": "Mediabanen Hilversum, verandering 2010–17",
    },
    "pattern.amsterdam_utrecht_jobs_change_2010_2017": {
        "en": "Amsterdam + Utrecht media jobs, change 2010–17",
        "nl": "Mediabanen Amsterdam + Utrecht, verandering 2010–17",
    },
    "pattern.media_park_broadcaster_jobs_change_2010_2019": {
        "en": "Broadcaster jobs in Hilversum, change 2010–19",
        "nl": "Omroepbanen in Hilversum, verandering 2010–19",
    },
    "pattern.media_park_occupancy_2019": {
        "en": "Media Park occupancy 2019",
        "nl": "Bezetting Media Park 2019",
    },
    "pattern.media_park_occupancy_2021": {
        "en": "Media Park occupancy 2021",
        "nl": "Bezetting Media Park 2021",
    },
    "pattern.public_broadcasters_change_2010_2025": {
        "en": "Public broadcasters (count), change 2010–25",
        "nl": "Publieke omroepen (aantal), verandering 2010–25",
    },
    "pattern.hilversum_jobs_share_public_broadcaster_2025": {
        "en": "Public broadcasters' jobs in Hilversum 2025 (share)",
        "nl": "Banen publieke omroepen in Hilversum 2025 (aandeel)",
    },
    "pattern.hilversum_jobs_share_production_facility_2025": {
        "en": "Production & facility companies' jobs in Hilversum 2025 (share)",
        "nl": "Banen productie- en facilitaire bedrijven in Hilversum 2025 (aandeel)",
    },
}

# Scenario and package one-liners in Dutch for the shipped files (the English
# storylines are read from the files themselves; a name not listed here falls back to
# its file's English storyline).
STORYLINES_NL: dict[str, str] = {
    "trend": "Trend: de huidige ontwikkeling zet door — omroepen krimpen langzaam, "
    "techbedrijven groeien gestaag, AI komt geleidelijk.",
    "studio-valley": "Studio Valley: live-, volumetrische en XR-productie blijven mensen "
    "samenbrengen; omroepen werken samen en Europa reguleert platforms; de vraag naar "
    "studio's en talent rond Hilversum groeit — ruimte wordt het knelpunt.",
    "platform-satellite": "Platform-satelliet: fysieke productie blijft, maar voor "
    "wereldwijde platforms; budgetten van Nederlandse omroepen krimpen en fuseren; tech "
    "trekt naar Amsterdam en het buitenland; Hilversum dreigt een faciliteitenpark zonder "
    "hoofdkantoren te worden.",
    "cloud-commons": "Cloud-commons: productie is cloud-native en AI-ondersteund; publieke "
    "en commerciële omroepen delen infrastructuur; afstand telt minder, dus talent, "
    "voorzieningen en kosten beslissen.",
    "dispersed-feeds": "Verspreide feeds: cloud-native productie voor dominante platforms; "
    "omroepen krimpen het snelst; weinig reden om bij elkaar te zitten — de stresstest "
    "voor elk beleid.",
    "none": "Geen beleid: alle knoppen uit (de referentie).",
    "campus-plus": "Campus-plus: het Media Park aantrekkelijker maken met ruimte, "
    "voorzieningen en gedeelde studio's.",
    "talent-first": "Talent eerst: opleidingen en talent naar Hilversum halen.",
    "innovation-hub": "Innovatiehub: een innovatiefonds en huursteun voor techbedrijven en "
    "start-ups.",
    "all-in": "Alles erin: elke knop tegelijk — ruimte, huursteun, talent, "
    "innovatiefonds, studio's, bereikbaarheid, voorzieningen en samenwerking; de "
    "bovengrens van wat beleid kan, tegen de hoogste kosten.",
}


def fields(text: str) -> set[str]:
    """The ``str.format`` field names in a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Messages:
    """The catalogue in one language, with number formatting to match."""

    def __init__(self, lang: str = "en"):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (choose {', '.join(LANGUAGES)})")
        self.lang = lang

    def text(self, key: str, **values: object) -> str:
        """The message as plain text (figures, alt texts); values inserted as they are."""
        return MESSAGES[key][self.lang].format(**{k: str(v) for k, v in values.items()})

    def html(self, key: str, **values: object) -> str:
        """The message as HTML; values escaped unless they are :class:`Raw`."""
        safe = {
            k: v.html if isinstance(v, Raw) else html.escape(str(v), quote=True)
            for k, v in values.items()
        }
        return MESSAGES[key][self.lang].format(**safe)

    __call__ = html

    def has(self, key: str) -> bool:
        return key in MESSAGES

    # ---------------------------------------------------------------- numbers
    def num(self, value: float, digits: int = 1) -> str:
        """A number with ``digits`` decimals and thousands separators in this language."""
        try:
            value = float(value)
        except (TypeError, ValueError):
            return "—"
        if not math.isfinite(value):
            return "—"
        out = f"{value:,.{digits}f}"
        if self.lang == "nl":
            out = out.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return out.replace("-", "−")

    def pct(self, points: float, digits: int = 1) -> str:
        """A share already in percent: '35.2%'."""
        return f"{self.num(points, digits)}%"

    def meur(self, value: float) -> str:
        """Million euro, whole numbers above 100, one decimal below."""
        digits = 0 if abs(value) >= 100 or value == 0 else 1
        return f"{self.num(value, digits)} M€"

    def join(self, items: list[str]) -> str:
        """'a, b and c' / 'a, b en c'."""
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {self.text('and')} " + items[-1]

    def lever(self, key: str) -> str:
        """A lever's human name (its params key if the catalogue has none)."""
        return self.text(f"lever.{key}") if f"lever.{key}" in MESSAGES else key.replace("_", " ")

    def lever_amount(self, key: str, value: float) -> str:
        """A lever value with its unit, e.g. '4,000 m² a year'."""
        if f"unit.{key}" not in MESSAGES:
            return self.num(value, 2)
        if key == "rent_subsidy":
            return self.text(f"unit.{key}", v=self.num(100 * value, 0))
        digits = 0 if abs(value) >= 10 or float(value).is_integer() else 2
        return self.text(f"unit.{key}", v=self.num(value, digits))

    def place(self, name: str) -> str:
        key = f"place.{name}"
        return self.text(key) if key in MESSAGES else name.replace("_", " ")

    def kind(self, name: str) -> str:
        key = f"kind.{name}"
        return self.text(key) if key in MESSAGES else name.replace("_", " ")

    def metric(self, name: str) -> str:
        key = f"metric.{name}"
        return self.text(key) if key in MESSAGES else name.replace("_", " ")
