"""Server-rendered SVG map: every current commune at its real centre (from the unit data, a grey dot sized by
its area), circles sized by the counts of đề án and establishments grouped by current commune, the GPS points
of field reports, and — when an admin has uploaded a licensed outline — that outline as a cached image behind.

Equirectangular projection (x = longitude × cos(mid-latitude), y = −latitude): at the scale of one province the
distortion is negligible and the drawing needs no map library, no tiles and no JavaScript. Communes far
offshore (Bạch Long Vĩ, ~110 km out) are drawn in an inset box so that they do not shrink everything else.
"""

import hashlib
import math
import statistics

from monitoring.geodata import OFFSHORE_DEGREES

WIDTH = 800.0
# Above this many communes with data (a country's worth), the page groups the circles and the table by province
# (each links to that province's map); one province (Hải Phòng: 114 communes) is always drawn commune by commune.
MAX_PLACES = 300
PAD = 16.0
INSET_SIZE = 120.0


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
        self.width = width
        self.height = round(span_y * self.scale + 2 * pad, 1)

    def __call__(self, lng: float, lat: float) -> tuple[float, float]:
        return (
            round(self.pad + (lng * self.k - self.min_x) * self.scale, 1),
            round(self.pad + (self.max_y - lat) * self.scale, 1),
        )

    @property
    def key(self) -> str:
        """Identifies the projection in the outline's URL (a new commune set gives a new cached image)."""
        return f"{self.min_x:.5f},{self.max_y:.5f},{self.scale:.3f},{self.k:.6f}"


def offshore_ids(communes) -> set[int]:
    if len(communes) < 3:
        return set()
    lat0 = statistics.median(c.latitude for c in communes)
    lng0 = statistics.median(c.longitude for c in communes)
    spread = max(
        statistics.quantiles([abs(c.latitude - lat0) + abs(c.longitude - lng0) for c in communes], n=10)[-1], 0.05
    )
    limit = max(OFFSHORE_DEGREES, 2.5 * spread)
    return {c.pk for c in communes if abs(c.latitude - lat0) + abs(c.longitude - lng0) > limit}


def projection_for(communes, outline_bbox=None) -> Projection | None:
    offshore = offshore_ids(communes)  # once: per commune it made the map O(n²) (40 s for 3,300 communes)
    inland = [c for c in communes if c.pk not in offshore]
    if not inland:
        return None
    lngs = [c.longitude for c in inland]
    lats = [c.latitude for c in inland]
    if outline_bbox:
        lngs += [outline_bbox[0], outline_bbox[2]]
        lats += [outline_bbox[1], outline_bbox[3]]
    return Projection(lngs, lats, WIDTH, PAD)


def outline_paths(rings, project: Projection) -> list[str]:
    paths = []
    for ring in rings:
        points = [project(lng, lat) for lng, lat in ring]
        if len(points) >= 3:
            paths.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return paths


def _radius(n: int, base: float, step: float) -> float:
    return round(base + step * math.sqrt(n), 1) if n else 0


def _dot(area_km2) -> float:
    """The grey dot of a commune: its area shown as a disc, kept between 1.5 and 7 px."""
    return round(min(7.0, max(1.5, math.sqrt(area_km2 or 1) * 0.45)), 1)


def communes_version(communes) -> str:
    """Names the base layer (the grey dots): changes when a commune, its centre, area or name does."""
    digest = hashlib.sha256()
    for c in sorted(communes, key=lambda c: c.pk):
        digest.update(f"{c.pk}|{c.latitude}|{c.longitude}|{c.area_km2}|{c.name}\n".encode())
    return digest.hexdigest()[:16]


def group_places(places: list[dict], provinces: dict, url) -> list[dict]:
    """Many communes with data → one place per province (path's first level), at the mean of its communes'
    centres, with the sums of their counts; `provinces` maps a top-level path to its unit, `url(unit)` links the
    province's own map."""
    groups: dict = {}
    for p in places:
        top = "/" + p["unit"].path.strip("/").split("/")[0] + "/"
        g = groups.setdefault(top, {"n": 0, "lat": 0.0, "lng": 0.0, "projects": 0, "establishments": 0})
        g["n"] += 1
        g["lat"] += p["lat"]
        g["lng"] += p["lng"]
        g["projects"] += p["projects"]
        g["establishments"] += p["establishments"]
    grouped = []
    for top, g in groups.items():
        unit = provinces.get(top)
        if unit is None:
            continue
        grouped.append(
            {
                "unit": unit,
                "lat": g["lat"] / g["n"],
                "lng": g["lng"] / g["n"],
                "projects": g["projects"],
                "establishments": g["establishments"],
                "url": url(unit),
                "communes": g["n"],
            }
        )
    grouped.sort(key=lambda p: (-p["projects"], -p["establishments"], p["unit"].path))
    return grouped


def build_map(data: dict, communes: list, outline_bbox=None, *, dots: bool = True) -> dict:
    """Turns selectors.map_data() and the current communes into drawing instructions
    (monitoring/partials/map_svg.html). `dots=False`: without the grey dot of every commune (the page shows them
    as the cached base image, map_base.svg)."""
    project = projection_for(communes, outline_bbox)
    if project is None:
        return {"empty": True}
    offshore = offshore_ids(communes)
    height = project.height
    inset_units = [c for c in communes if c.pk in offshore]
    inset = None
    inset_proj = None
    if inset_units:
        x0, y0 = WIDTH - INSET_SIZE - 8, height - INSET_SIZE - 8
        centre_lat = sum(c.latitude for c in inset_units) / len(inset_units)
        centre_lng = sum(c.longitude for c in inset_units) / len(inset_units)

        def inset_proj(lng, lat):
            # Same scale as the main map, centred in the box.
            return (
                round(x0 + INSET_SIZE / 2 + (lng - centre_lng) * project.k * project.scale, 1),
                round(y0 + INSET_SIZE / 2 + (centre_lat - lat) * project.scale, 1),
            )

        inset = {"x": x0, "y": y0, "size": INSET_SIZE, "names": ", ".join(c.short_name for c in inset_units)}

    def where(unit):
        proj = inset_proj if unit.pk in offshore else project
        return proj(unit.longitude, unit.latitude)

    def where_place(p):
        if "communes" in p:  # a province's group: at the mean of its communes' centres
            return project(p["lng"], p["lat"])
        return where(p["unit"])

    base = []
    for c in communes if dots else ():
        x, y = where(c)
        base.append({"x": x, "y": y, "r": _dot(c.area_km2), "name": c.name, "area": c.area_km2})
    marks = []
    for p in data["places"]:
        x, y = where_place(p)
        marks.append(
            {
                **p,
                "x": x,
                "y": y,
                "r_projects": _radius(p["projects"], 4, 0.6 if "communes" in p else 3),
                "r_establishments": _radius(p["establishments"], 2, 0.3 if "communes" in p else 1.6),
            }
        )
    # Big circles first so that small ones stay clickable on top.
    marks.sort(key=lambda m: -max(m["r_projects"], m["r_establishments"]))
    lat_range = (min(c.latitude for c in communes) - 0.2, max(c.latitude for c in communes) + 0.2)
    lng_range = (min(c.longitude for c in communes) - 0.2, max(c.longitude for c in communes) + 0.2)
    gps = []
    for g in data["gps"]:
        lat, lng = float(g["latitude"]), float(g["longitude"])
        if lat_range[0] <= lat <= lat_range[1] and lng_range[0] <= lng <= lng_range[1]:
            x, y = project(lng, lat)
            if 0 <= x <= WIDTH and 0 <= y <= height:
                gps.append({**g, "x": x, "y": y})
    return {
        "empty": False,
        "width": WIDTH,
        "height": height,
        "projection": project,
        "dots": base,
        "places": marks,
        "inset": inset,
        "gps": gps,
    }
