"""Positions on the map: the units' real centres from the unit data (areas.loader fills latitude, longitude
and area_km2 from vietnamadminunits), nothing invented.

The first map placed communes on a schematic spiral around guessed district centres; the migration that
wrote those positions (monitoring 0001) now calls the no-op below, so it can neither overwrite nor clear the
real centres whatever order the migrations run in.
"""

# Units far offshore, drawn in an inset box rather than stretching the projection: more than this many
# degrees from the median of the communes' centres (Bạch Long Vĩ is ~1 degree out).
OFFSHORE_DEGREES = 0.6


def assign_centres(Unit) -> int:
    """Kept for monitoring 0001: positions now come with the units themselves."""
    return 0


def clear_centres(Unit) -> None:
    """Kept for monitoring 0001 (backwards): the positions belong to the unit data."""
