"""Colours shared by every figure: one per policy package, a different palette for places.

Packages use Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2008), no
policy ('none') in black, the same package always the same colour (by its position in the
sweep); places use Paul Tol's colour-blind-safe 'muted' scheme, so a colour never means a
package in one chart and a place in the next.
"""

from __future__ import annotations

NO_POLICY = "none"
# Yellow last: weakest on white.
PACKAGE_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442"]
NO_POLICY_COLOUR = "#000000"
PLACE_COLOURS = {
    "hilversum": "#882255",
    "amsterdam": "#332288",
    "utrecht": "#44AA99",
    "rest_nl": "#DDCC77",
    "abroad": "#BBBBBB",
}
PLACE_SPARE = ["#CC6677", "#117733", "#88CCEE", "#999933", "#AA4499"]
LINESTYLES = ["-", "--", "-.", ":"]


def package_style(policies: list[str]) -> dict[str, dict]:
    """Colour and line style per package, fixed by its position in the sweep."""
    out = {}
    i = 0
    for p in policies:
        if p == NO_POLICY:
            out[p] = {"color": NO_POLICY_COLOUR, "ls": "-"}
            continue
        out[p] = {
            "color": PACKAGE_COLOURS[i % len(PACKAGE_COLOURS)],
            "ls": LINESTYLES[(i // len(PACKAGE_COLOURS)) % len(LINESTYLES)],
        }
        i += 1
    return out


def place_colours(places: list[str]) -> dict[str, str]:
    """A colour per place: the fixed ones for the shipped places, spares for others."""
    out, spare = {}, iter(PLACE_SPARE * 4)
    for p in places:
        out[p] = PLACE_COLOURS.get(p) or next(spare)
    return out
