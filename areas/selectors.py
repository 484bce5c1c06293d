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
