from __future__ import annotations

from collections import Counter

from django.db.models import Case, Count, F, IntegerField, Q, When

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


def current_commune_of(unit_field: str = "unit", chosen_field: str | None = None):
    """The same rule as `current_commune`, as a database expression giving the current commune's id (null: a
    split old commune nobody has chosen a successor for yet) — for grouping reports by current commune."""
    whens = [
        When(
            **{f"{unit_field}__valid_to__isnull": True, f"{unit_field}__valid_from__isnull": False},
            then=F(f"{unit_field}_id"),
        )
    ]
    if chosen_field:
        whens.append(When(**{f"{chosen_field}__isnull": False}, then=F(f"{chosen_field}_id")))
    return Case(*whens, default=F(f"{unit_field}__successor_id"), output_field=IntegerField())


def unit_currency() -> dict[int, tuple[bool, int | None]]:
    """{unit id: (in force today, successor id)} for every unit: one query, a few thousand rows at national scale
    (cheaper than an IN list of as many ids)."""
    return {
        pk: (valid_from is not None and valid_to is None, successor)
        for pk, valid_from, valid_to, successor in AdministrativeUnit.objects.values_list(
            "id", "valid_from", "valid_to", "successor_id"
        )
    }


def counts_by_current_commune(
    queryset, unit_field: str = "unit", chosen_field: str | None = None, *, units: dict | None = None
) -> dict:
    """{current commune id (None: a split old commune with no successor chosen): number of rows} — the rule of
    `current_commune_of`, applied in Python to the rows grouped by their unit (and chosen successor) ids. The
    grouping reads only the records' own columns: the same count through a join with every unit took 60–100 ms
    over the 100,000 establishments of a national registry. `units`: unit_currency(), when the caller has it."""
    columns = [f"{unit_field}_id"] + ([f"{chosen_field}_id"] if chosen_field else [])
    groups = queryset.values_list(*columns).annotate(n=Count("pk")).order_by()
    units = unit_currency() if units is None else units
    counts: Counter = Counter()
    for group in groups:
        unit, n = group[0], group[-1]
        chosen = group[1] if chosen_field else None
        is_current, successor = units.get(unit, (False, None))
        counts[unit if is_current else chosen if chosen is not None else successor] += n
    return dict(counts)


def top_level_units():
    """The provinces (the units at the top of the tree): the map groups a country's communes by them."""
    return AdministrativeUnit.objects.filter(depth=0).only("id", "name", "short_name", "path", "depth")


def current_communes():
    """The province's communes in force today, with their centres (the map's base layer)."""
    return AdministrativeUnit.objects.filter(
        depth=1, valid_from__isnull=False, valid_to__isnull=True, latitude__isnull=False
    ).only(*PlacedUnit.__slots__)


class PlacedUnit:
    """A unit's name, path and centre, read as plain values: the map handles thousands of them per request, and a
    model instance each cost ~20 µs (a third of the national map's time)."""

    __slots__ = ("id", "name", "short_name", "path", "latitude", "longitude", "area_km2")

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id

    @classmethod
    def of(cls, queryset) -> list[PlacedUnit]:
        return [cls(*row) for row in queryset.values_list(*cls.__slots__)]


def placed_communes() -> list[PlacedUnit]:
    """current_communes() as PlacedUnit values."""
    return PlacedUnit.of(current_communes())


def unit_search(*, paths: list[str] | None, words: list[str], current_only: bool = False, top_level_only: bool = False):
    """Units a picker offers, matching every folded word in the unit's or its district's name, within the
    subtrees of `paths` (None: everywhere; accounts.scope.area_paths gives a user's, so an officer picks among
    the units of their own areas). Current communes come first, then the pre-7/2025 districts, then their
    communes.
    """
    qs = AdministrativeUnit.objects.select_related("parent").filter(depth__gte=1)
    if paths is not None:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__startswith=path)
        qs = qs.filter(condition)
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    if top_level_only:
        qs = qs.filter(depth=1)
    for word in words:
        qs = qs.filter(Q(search_name__contains=word) | Q(parent__search_name__contains=word))
    return qs.order_by(F("valid_to").asc(nulls_first=True), "depth", "search_name", "pk")
