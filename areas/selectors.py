from areas.models import AdministrativeUnit


def unit_choices(*, include_legacy: bool = True):
    """Units offered in address pickers: communes (current first) with their district."""
    qs = AdministrativeUnit.objects.select_related("parent").filter(depth__gte=1)
    if not include_legacy:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("valid_to", "path")


def current_communes_from(district):
    """The communes in force since 7/2025 that took over a pre-reform district's territory.

    The 2025 reform usually gave a merged commune the code of one of the communes it absorbed,
    so a current commune whose code was a commune code of the district is (mostly) its successor.
    Good enough to propose an officer's scope; an admin adjusts the edge cases.
    """
    old_codes = AdministrativeUnit.objects.filter(path__startswith=district.path, depth=district.depth + 1).values(
        "code"
    )
    return AdministrativeUnit.objects.filter(valid_from__isnull=False, valid_to__isnull=True, code__in=old_codes)
