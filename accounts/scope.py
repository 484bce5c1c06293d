"""The one place that decides which administrative areas a user may see.

Every selector that returns records with an address calls `in_scope`; nothing else filters by area.
"""

from django.db.models import Q, QuerySet

from accounts.roles import Role, has_role, sees_everything


def area_paths(user) -> list[str] | None:
    """None means "every area"; otherwise the path prefixes the user covers (possibly none)."""
    if sees_everything(user):
        return None
    if has_role(user, Role.AREA_OFFICER):
        cached = getattr(user, "_area_path_cache", None)
        if cached is None:
            cached = list(user.areas.values_list("path", flat=True))
            user._area_path_cache = cached
        return cached
    return []


def scope_key(user) -> str:
    """Names whose view of the records this is, for figures shared between readers (core.figures_cache): "*"
    for every area, else the user's area paths (the units they stand for are the "units" topic)."""
    paths = area_paths(user)
    return "*" if paths is None else "|".join(sorted(paths))


def area_units(user) -> tuple[list[int], list[int]] | None:
    """The ids of the units in the user's areas, resolved once per request (None: every area).

    Returns (units whose own path or whose successor's path lies in an area, units whose own path does). Filtering
    records by these ids uses the records' unit index; the paths joined through unit and successor made every
    officer's list and count scan the whole table (40–90 ms each at national scale).
    """
    paths = area_paths(user)
    if paths is None:
        return None
    cached = getattr(user, "_area_unit_cache", None)
    if cached is None:
        from areas.models import AdministrativeUnit

        rows = []
        if paths:
            condition = Q(pk__in=[])
            for path in paths:
                condition |= Q(path__startswith=path) | Q(successor__path__startswith=path)
            rows = list(AdministrativeUnit.objects.filter(condition).values_list("id", "path"))
        cached = (
            [pk for pk, _path in rows],
            [pk for pk, path in rows if path.startswith(tuple(paths))],
        )
        user._area_unit_cache = cached
    return cached


def area_q(user, unit_field: str, chosen_field: str | None = None) -> Q:
    """A Q object limiting `unit_field` (a FK to AdministrativeUnit) to the user's areas.

    A record entered with a pre-2025 commune is also in the area of the current commune that took that commune
    over whole (`successor`), or — for a commune split between several — of the one chosen for the record
    (`chosen_field`, where the record has one): an officer of a new commune sees the old records of its land.
    """
    units = area_units(user)
    if units is None:
        return Q()
    with_successors, inside = units
    condition = Q(**{f"{unit_field}__in": with_successors})
    if chosen_field:
        condition |= Q(**{f"{chosen_field}__in": inside})
    return condition


def in_scope(queryset: QuerySet, user, unit_field: str = "unit", chosen_field: str | None = None) -> QuerySet:
    return queryset.filter(area_q(user, unit_field, chosen_field))


def unit_in_scope(user, unit, chosen=None) -> bool:
    paths = area_paths(user)
    if paths is None:
        return True
    if unit is None:
        return False
    candidates = [unit.path]
    if unit.successor_id:
        candidates.append(unit.successor.path)
    if chosen is not None:
        candidates.append(chosen.path)
    return any(c.startswith(path) for c in candidates for path in paths)
