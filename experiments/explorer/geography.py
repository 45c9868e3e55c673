"""Where the places are: real coordinates and an outline of the Netherlands shipped as data.

``data/netherlands.geojson`` is the European Netherlands from Natural Earth's
1:50m admin-0 countries (public domain, https://www.naturalearthdata.com/),
rounded to 0.001° (about 100 m), 235 points; no tile server or network is
needed to draw it. Coordinates are WGS 84 longitude and latitude.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

OUTLINE = Path(__file__).with_name("data") / "netherlands.geojson"

# Longitude, latitude (WGS 84) of the modelled places: the Media Park in
# Hilversum and the centres of Amsterdam and Utrecht (Wikipedia / GeoNames:
# Media Park 52.236 N 5.172 E; Amsterdam 52.373 N 4.894 E; Utrecht 52.091 N 5.122 E).
MAP_PLACES = {
    "hilversum": (5.172, 52.236),
    "amsterdam": (4.894, 52.373),
    "utrecht": (5.122, 52.091),
}
# 'rest_nl' and 'abroad' are model locations, not places: drawn beside the map.
NOT_ON_MAP = ("rest_nl", "abroad")
# The part of the country the map shows: (west, east), (south, north) in degrees,
# the Randstad's east wing around the three places with the North Sea coast.
ZOOM = ((4.40, 5.80), (51.90, 52.60))


@lru_cache(maxsize=1)
def netherlands_outline() -> list[list[tuple[float, float]]]:
    """The outline's rings (mainland and islands) as lists of (longitude, latitude)."""
    shape = json.loads(OUTLINE.read_text(encoding="utf-8"))
    return [
        [(float(x), float(y)) for x, y in polygon[0]]
        for polygon in shape["geometry"]["coordinates"]
    ]
