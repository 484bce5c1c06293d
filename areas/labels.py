"""How an administrative unit is named on every page, list, export and picker.

A record from 2021 keeps its pre-reform address, and a reader in 2026 must see at once that the unit no longer
exists and where its territory went: "Xã Bát Trang, Huyện An Lão (trước 7/2025), nay thuộc Xã An Lão".

The old → new links come from data/successors_2025.json, exported once (scripts/export_successors_2025.py) from
the MIT-licensed `vietnamadminunits` 1.0.4 data (NQ 1669/NQ-UBTVQH15): for each pre-7/2025 commune code of Hải
Phòng and ex-Hải Dương, the current commune codes that took its territory, the main successor first (a split
commune has several).
"""

import functools
import json
import re
from pathlib import Path

from django.utils.translation import gettext as _

from core.text import fold

_SUCCESSORS_FILE = Path(__file__).parent / "data" / "successors_2025.json"


@functools.cache
def _successor_codes() -> dict[str, list[str]]:
    return json.loads(_SUCCESSORS_FILE.read_text(encoding="utf-8"))


@functools.cache
def _current_names() -> dict[str, str]:
    """Names of the current communes by code: 114 rows read once per process, so a list of a thousand old
    addresses costs no query per row."""
    from areas.models import AdministrativeUnit

    return dict(
        AdministrativeUnit.objects.filter(depth=1, valid_from__isnull=False, valid_to__isnull=True).values_list(
            "code", "name"
        )
    )


def successor_names(unit) -> list[str]:
    """The current communes that took over a pre-7/2025 commune's territory, the main one first."""
    if unit.valid_to is None or unit.depth < 2:
        return []
    codes = _successor_codes().get(unit.code, [])
    names = _current_names()
    if any(code not in names and code not in _KNOWN_MISSING for code in codes):
        _current_names.cache_clear()  # a unit added since the cache was filled (tests, an admin)
        names = _current_names()
        # A code the database does not hold (a province not loaded) is asked once, not once per row of a list.
        _KNOWN_MISSING.update(code for code in codes if code not in names)
    return [names[code] for code in codes if code in names]


_KNOWN_MISSING: set[str] = set()


def unit_label(unit) -> str:
    """The one way a unit is written: with its district while it had one, and for a pre-7/2025 unit that fact
    and its successor."""
    if unit is None:
        return ""
    parent = unit.parent if unit.parent_id else None
    name = f"{unit.name}, {parent.name}" if parent is not None and parent.depth > 0 else unit.name
    if unit.valid_to is None:
        return name
    label = _("%(name)s (trước 7/2025)") % {"name": name}
    successors = successor_names(unit)
    if successors:
        label = _("%(label)s, nay thuộc %(successors)s") % {
            "label": label,
            "successors": _(" hoặc ").join(successors),
        }
    return label


# The words a written address puts before a unit's name ("xã", "TP.", "huyện"…), folded.
_TYPE_WORDS = re.compile(r"^(thi tran|thi xa|thanh pho|tp\.?|xa|phuong|huyen|quan|tinh|dac khu)\s+")


def _bare(name: str) -> str:
    folded = re.sub(r"\s+", " ", fold(name).strip(" .,;"))
    return _TYPE_WORDS.sub("", folded).strip()


@functools.cache
def _province_names() -> frozenset[str]:
    from areas.models import AdministrativeUnit

    return frozenset(_bare(name) for name in AdministrativeUnit.objects.filter(depth=0).values_list("name", flat=True))


def place_without_units(detail: str, unit) -> str:
    """An address as written ("Thôn 3, xã Tam Cường, huyện Vĩnh Bảo, TP Hải Phòng") less the parts that name
    the unit, its district or the province ("Thôn 3"): what goes before `place_label`'s unit, so that a place
    never says its commune twice."""
    if not detail:
        return ""
    if unit is None:
        return detail.strip()
    names = {_bare(unit.name)} | _province_names()
    if unit.parent_id:
        names.add(_bare(unit.parent.name))
    parts = [part.strip() for part in detail.split(",")]
    kept = [part for part in parts if part and _bare(part) not in names]
    return ", ".join(kept)


def place_label(detail: str, unit) -> str:
    """A place as the pages and documents write it: the detail (once cleared of unit names), then the unit with
    its district — "Thôn 3, Xã Tam Cường, Huyện Vĩnh Bảo"."""
    if unit is None:
        return (detail or "").strip()
    parent = unit.parent if unit.parent_id else None
    name = f"{unit.name}, {parent.name}" if parent is not None and parent.depth > 0 else unit.name
    return ", ".join(part for part in (place_without_units(detail, unit), name) if part)
