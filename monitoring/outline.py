"""The optional outline of the communes: the active areas.BoundaryFile (a licensed GeoJSON an admin uploaded),
read once per file version (its SHA-256) and drawn as its own SVG document that the map page embeds as an
image — served with a long cache lifetime, never rendered into each page."""

import json
from functools import lru_cache

from areas.models import BoundaryFile

Ring = list[tuple[float, float]]  # (lng, lat)


def active_file() -> BoundaryFile | None:
    return BoundaryFile.objects.filter(active=True).only("id", "file", "sha256").first()


def parse_rings(data: dict) -> list[Ring]:
    """Outer and inner rings of every Polygon / MultiPolygon of a GeoJSON FeatureCollection (or geometry)."""
    if data.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") or {} for f in data.get("features", [])]
    elif data.get("type") == "Feature":
        geometries = [data.get("geometry") or {}]
    else:
        geometries = [data]
    rings: list[Ring] = []
    for g in geometries:
        if g.get("type") == "Polygon":
            polygons = [g["coordinates"]]
        elif g.get("type") == "MultiPolygon":
            polygons = g["coordinates"]
        else:
            continue
        for polygon in polygons:
            for ring in polygon:
                rings.append([(float(p[0]), float(p[1])) for p in ring])
    return rings


@lru_cache(maxsize=4)
def rings_of(sha256: str, name: str) -> tuple[Ring, ...]:
    """Read through the media storage (a folder or an S3 bucket): a stored file has no local path on S3."""
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as fh:
        return tuple(parse_rings(json.loads(fh.read().decode("utf-8"))))


def current_rings() -> tuple[str, tuple[Ring, ...]] | None:
    boundary = active_file()
    if boundary is None or not boundary.file:
        return None
    try:
        return boundary.sha256, rings_of(boundary.sha256, boundary.file.name)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # an unreadable file draws no outline rather than breaking the map


def bbox(rings) -> tuple[float, float, float, float] | None:
    points = [p for ring in rings for p in ring]
    if not points:
        return None
    lngs, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lngs), min(lats), max(lngs), max(lats)
