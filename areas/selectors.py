from areas.models import AdministrativeUnit


def unit_choices(*, include_legacy: bool = True):
    """Units offered in address pickers: communes (current first) with their district."""
    qs = AdministrativeUnit.objects.select_related("parent").filter(depth__gte=1)
    if not include_legacy:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("valid_to", "path")


def current_communes_from(district):
    """The communes in force since 7/2025 that took over (part of) a pre-reform district's territory,
    by the official old → new links (areas.UnitSuccessor)."""
    return (
        AdministrativeUnit.objects.filter(
            valid_to__isnull=True, predecessor_links__predecessor__path__startswith=district.path
        )
        .distinct()
        .order_by("path")
    )


def current_commune(unit, *, chosen=None):
    """The commune in force today that a record entered with `unit` belongs to.

    A current unit is itself; an old commune taken over whole has one successor; an old commune split between
    several successors has the one a person chose for the record (`chosen`), or None until someone does.
    """
    if unit is None:
        return None
    if unit.valid_from is not None and unit.valid_to is None:
        return unit
    if chosen is not None:
        return chosen
    return unit.successor
