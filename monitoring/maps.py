"""Server-rendered SVG of the schematic map: the vendored commune outline (static/monitoring/*.geojson),
circles sized by counts at the communes' schematic centres, and the GPS points of field reports.

Equirectangular projection (x = longitude × cos(mid-latitude), y = −latitude): at the scale of one city the
distortion is negligible and the drawing needs no map library, no tiles and no JavaScript. Offshore units
(Bạch Long Vĩ, ~110 km out) are drawn in an inset box so they do not shrink everything else.
"""

import json
import math
from functools import lru_cache

from django.contrib.staticfiles import finders

INSET_PATHS = ("/31/d318/", "/31/c11948/")  # replaced with the real-position map below

OUTLINE_STATIC = "monitoring/hai-phong-schematic.geojson"
WIDTH = 800.0
PAD = 16.0
INSET_SIZE = 120.0


@lru_cache(maxsize=1)
def outline() -> dict:
    path = finders.find(OUTLINE_STATIC)
    if not path:
        return {"type": "FeatureCollection", "features": []}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


class Projection:
    def __init__(self, lngs, lats, width: float, pad: float):
        self.lat_mid = (min(lats) + max(lats)) / 2
        self.k = math.cos(math.radians(self.lat_mid))
        self.min_x = min(lngs) * self.k
        self.max_y = max(lats)
        span_x = max(max(lngs) * self.k - self.min_x, 1e-6)
        span_y = max(self.max_y - min(lats), 1e-6)
        self.scale = (width - 2 * pad) / span_x
        self.pad = pad
        self.height = span_y * self.scale + 2 * pad

    def __call__(self, lng: float, lat: float) -> tuple[float, float]:
        return (
            round(self.pad + (lng * self.k - self.min_x) * self.scale, 1),
            round(self.pad + (self.max_y - lat) * self.scale, 1),
        )


def _ring_d(ring, project) -> str:
    points = [project(x, y) for x, y in ring]
    return "M" + "L".join(f"{x},{y}" for x, y in points) + "Z"


def _radius(n: int, base: float, step: float) -> float:
    return round(base + step * math.sqrt(n), 1) if n else 0


def build_map(data: dict) -> dict:
    """Turns selectors.map_data() into drawing instructions for monitoring/partials/map_svg.html."""
    features = outline()["features"]
    main_places = [p for p in data["places"] if p["unit"].path not in INSET_PATHS]
    inset_places = [p for p in data["places"] if p["unit"].path in INSET_PATHS]
    lngs = [c[0] for f in features for c in f["geometry"]["coordinates"][0]] + [p["lng"] for p in main_places]
    lats = [c[1] for f in features for c in f["geometry"]["coordinates"][0]] + [p["lat"] for p in main_places]
    gps_main = [
        g for g in data["gps"] if 20.4 <= float(g["latitude"]) <= 21.4 and 106.0 <= float(g["longitude"]) <= 107.3
    ]
    if not lngs:
        return {"empty": True}
    project = Projection(lngs, lats, WIDTH, PAD)
    height = round(project.height, 1)

    cells = [
        {"d": _ring_d(f["geometry"]["coordinates"][0], project), "name": f["properties"].get("name", "")}
        for f in features
        if f["properties"].get("kind") == "commune"
    ]
    outer = [
        _ring_d(f["geometry"]["coordinates"][0], project) for f in features if f["properties"].get("kind") == "outline"
    ]

    def place_marks(places, proj):
        marks = []
        for p in places:
            x, y = proj(p["lng"], p["lat"])
            marks.append(
                {
                    **p,
                    "x": x,
                    "y": y,
                    "r_projects": _radius(p["projects"], 4, 3),
                    "r_establishments": _radius(p["establishments"], 2, 1.6),
                }
            )
        # Big circles first so that small ones stay clickable on top.
        marks.sort(key=lambda m: -max(m["r_projects"], m["r_establishments"]))
        return marks

    inset = None
    if inset_places:
        x0, y0 = WIDTH - INSET_SIZE - 8, height - INSET_SIZE - 8
        centre_lat = sum(p["lat"] for p in inset_places) / len(inset_places)
        centre_lng = sum(p["lng"] for p in inset_places) / len(inset_places)

        def inset_proj(lng, lat):
            # Same scale as the main map, centred in the box.
            k = math.cos(math.radians(centre_lat))
            return (
                round(x0 + INSET_SIZE / 2 + (lng - centre_lng) * k * project.scale, 1),
                round(y0 + INSET_SIZE / 2 + (centre_lat - lat) * project.scale, 1),
            )

        inset = {"x": x0, "y": y0, "size": INSET_SIZE, "places": place_marks(inset_places, inset_proj)}

    gps = []
    for g in gps_main:
        x, y = project(float(g["longitude"]), float(g["latitude"]))
        gps.append({**g, "x": x, "y": y})
    return {
        "empty": False,
        "width": WIDTH,
        "height": height,
        "cells": cells,
        "outline": outer,
        "places": place_marks(main_places, project),
        "inset": inset,
        "gps": gps,
    }
