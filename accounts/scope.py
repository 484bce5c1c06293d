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


def area_q(user, unit_field: str) -> Q:
    """A Q object limiting `unit_field` (a FK to AdministrativeUnit) to the user's areas."""
    paths = area_paths(user)
    if paths is None:
        return Q()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{unit_field}__path__startswith": path})
    return condition


def in_scope(queryset: QuerySet, user, unit_field: str = "unit") -> QuerySet:
    return queryset.filter(area_q(user, unit_field))


def unit_in_scope(user, unit) -> bool:
    paths = area_paths(user)
    if paths is None:
        return True
    return unit is not None and any(unit.path.startswith(path) for path in paths)
