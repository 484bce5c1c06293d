"""Loads one province's administrative units (areas.sources) into the areas tree.

Idempotent: units are matched by path, so a second run changes nothing and a run on corrected source data
changes only what the correction touched. Units of the tree that the source no longer has (a corrected
code, or the units of another province after a deployment chose its own) are deleted when nothing refers to
them and otherwise only given an end date: a record keeps the unit it was entered with.

Takes the model classes as arguments so that a data migration can run it with its historical models; fields
that a historical model does not have yet are skipped.
"""

import dataclasses
import datetime

from areas import sources
from core import figures_cache
from core.text import fold

REFORM_DAY = datetime.date(2025, 7, 1)
LAST_LEGACY_DAY = datetime.date(2025, 6, 30)

# Names that addresses still use for units renamed shortly before the reform (searchable as aliases).
FORMER_NAMES = {
    "/31/d311/": "Huyện Thủy Nguyên; Huyện Thuỷ Nguyên",
    "/31/d312/": "Huyện An Dương",
    "/30/d292/": "Huyện Kinh Môn",
}

_FIELDS = ["code", "name", "short_name", "unit_type", "parent_id", "depth", "valid_from", "valid_to"]
_FIELDS += ["aliases", "search_name", "latitude", "longitude", "area_km2"]


@dataclasses.dataclass
class LoadResult:
    province: str
    created: int = 0
    updated: int = 0
    ended: int = 0
    deleted: int = 0
    links: int = 0

    def __str__(self) -> str:
        return (
            f"{self.province}: {self.created} đơn vị mới, {self.updated} cập nhật, {self.ended} kết thúc hiệu lực, "
            f"{self.deleted} xóa, {self.links} liên kết cũ → mới"
        )


def referenced_unit_ids(Unit, skip=()) -> set[int]:
    """Ids of the units that any row of another table points at (history tables included)."""
    ids: set[int] = set()
    for rel in Unit._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        if rel.related_model is Unit or rel.related_model in skip:
            continue
        if rel.many_to_many:
            column = rel.field.m2m_reverse_field_name() + "_id"
            ids.update(rel.through.objects.values_list(column, flat=True))
        else:
            attname = rel.field.attname
            manager = rel.related_model._base_manager
            ids.update(manager.exclude(**{attname: None}).values_list(attname, flat=True).distinct())
    return ids


def load_province(code: str, *, Unit, Successor=None, today: datetime.date | None = None) -> LoadResult:
    data = sources.province_data(code)
    today = today or datetime.date.today()
    present = {f.attname for f in Unit._meta.concrete_fields}
    fields = [f for f in _FIELDS if f in present]
    result = LoadResult(province=f"{data.code} {data.name}")

    existing = {u.path: u for u in Unit.objects.all()}
    by_path: dict[str, object] = {}
    for depth in sorted({row.path.count("/") - 2 for row in data.units}):
        to_create, to_update = [], []
        for row in data.units:
            if row.path.count("/") - 2 != depth:
                continue
            unit = existing.get(row.path)
            aliases = (unit.aliases if unit is not None and unit.aliases else "") or FORMER_NAMES.get(row.path, "")
            values = {
                "code": row.code,
                "name": row.name,
                "short_name": row.short_name,
                "unit_type": row.unit_type,
                "parent_id": by_path[row.parent_path].pk if row.parent_path else None,
                "depth": depth,
                "valid_from": REFORM_DAY if row.current and row.parent_path else None,
                "valid_to": None if row.current else LAST_LEGACY_DAY,
                "aliases": aliases,
                "search_name": fold(" ".join([row.name, aliases])),
                "latitude": row.latitude,
                "longitude": row.longitude,
                "area_km2": row.area_km2,
            }
            if unit is None:
                unit = Unit(path=row.path, **{k: v for k, v in values.items() if k in fields})
                to_create.append(unit)
            elif any(getattr(unit, k) != values[k] for k in fields):
                for k in fields:
                    setattr(unit, k, values[k])
                to_update.append(unit)
            by_path[row.path] = unit
        Unit.objects.bulk_create(to_create, batch_size=500)
        Unit.objects.bulk_update(to_update, fields, batch_size=500)
        result.created += len(to_create)
        result.updated += len(to_update)
    if any(u.pk is None for u in by_path.values()):
        # A backend that does not return ids from bulk_create: read them back.
        ids = dict(Unit.objects.filter(path__in=list(by_path)).values_list("path", "pk"))
        for path, unit in by_path.items():
            unit.pk = ids[path]

    if Successor is not None and "successor_id" in present:
        result.links = _load_links(Unit, Successor, data, by_path)
    _retire(Unit, Successor, existing, by_path, today, result)
    # Bulk writes send no model signals: the figures grouped by area are recomputed (core.figures_cache).
    figures_cache.bump("units")
    return result


def _load_links(Unit, Successor, data, by_path) -> int:
    wanted = {(by_path[old].pk, by_path[new].pk): default for old, new, default in data.links}
    old_ids = {pk for pk, _ in wanted}
    current = {(s.predecessor_id, s.successor_id): s for s in Successor.objects.filter(predecessor_id__in=old_ids)}
    Successor.objects.filter(pk__in=[s.pk for key, s in current.items() if key not in wanted]).delete()
    Successor.objects.bulk_create(
        [
            Successor(predecessor_id=a, successor_id=b, is_default=d)
            for (a, b), d in wanted.items()
            if (a, b) not in current
        ],
        batch_size=500,
    )
    changed = [s for key, s in current.items() if key in wanted and s.is_default != wanted[key]]
    for s in changed:
        s.is_default = wanted[(s.predecessor_id, s.successor_id)]
    Successor.objects.bulk_update(changed, ["is_default"])

    successors: dict[int, list[int]] = {}
    for a, b in wanted:
        successors.setdefault(a, []).append(b)
    sole = {a: bs[0] if len(bs) == 1 else None for a, bs in successors.items()}
    stale = []
    for unit in by_path.values():
        target = sole.get(unit.pk)
        if unit.successor_id != target:
            unit.successor_id = target
            stale.append(unit)
    Unit.objects.bulk_update(stale, ["successor_id"], batch_size=500)
    return len(wanted)


def _retire(Unit, Successor, existing, by_path, today, result) -> None:
    gone = [u for path, u in existing.items() if path not in by_path]
    if not gone:
        return
    referenced = referenced_unit_ids(Unit, skip=(Successor,) if Successor is not None else ())
    # Deepest first: a parent goes only once none of its children is left.
    for unit in sorted(gone, key=lambda u: -u.depth):
        if unit.pk not in referenced and not Unit.objects.filter(parent_id=unit.pk).exists():
            unit.delete()
            result.deleted += 1
        elif unit.valid_to is None or unit.valid_to > today:
            unit.valid_to = max(today, unit.valid_from) if unit.valid_from else today
            unit.save(update_fields=["valid_to"])
            result.ended += 1
