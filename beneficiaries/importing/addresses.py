"""Written address → administrative unit, for either generation of units.

"Thôn 3, xã Tam Cường, huyện Vĩnh Bảo, TP Hải Phòng" names a pre-7/2025 commune under its district;
"xã Vĩnh Am, thành phố Hải Phòng" names a current commune directly under the city. Communes were merged
several times in 2019–2025, so an old commune may be missing from the unit data: then the district is the
finest level we can trust and the row is flagged for review. A district (or a current commune) that cannot
be found at all is an error: guessing would put money on the wrong map.
"""

import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit
from core.text import fold

_SPLIT = re.compile(r"\s*(?:,|;|\s-\s|\n)\s*")
# Abbreviations written in real sheets, folded, mapped to the folded unit type word.
_COMMUNE_PREFIXES = (
    ("thi tran ", "thi tran "),
    ("tt. ", "thi tran "),
    ("tt ", "thi tran "),
    ("dac khu ", "dac khu "),
    ("xa ", "xa "),
    ("x. ", "xa "),
    ("phuong ", "phuong "),
    ("p. ", "phuong "),
    ("p ", "phuong "),
)
_DISTRICT_PREFIXES = (
    ("huyen ", "huyen "),
    ("h. ", "huyen "),
    ("quan ", "quan "),
    ("q. ", "quan "),
    ("thi xa ", "thi xa "),
    ("tx. ", "thi xa "),
    ("tx ", "thi xa "),
    ("thanh pho ", "thanh pho "),
    ("tp. ", "thanh pho "),
    ("tp ", "thanh pho "),
)
_PROVINCES = {"hai phong": "/31/", "hai duong": "/30/"}
_PROVINCE_PREFIXES = ("thanh pho ", "tp. ", "tp ", "tinh ", "t. ")


def _strip_punct(text: str) -> str:
    text = text.replace(".", ". ").replace("  ", " ")
    return re.sub(r"\s+", " ", text).strip(" .")


def _prefixed(part: str, prefixes) -> tuple[str, str] | None:
    """(unit type word, bare name) when the folded part starts with one of the prefixes."""
    for written, canonical in prefixes:
        if part.startswith(written):
            return canonical, part[len(written) :].strip(" .")
    return None


def _province(part: str) -> str | None:
    bare = part
    for prefix in _PROVINCE_PREFIXES:
        if bare.startswith(prefix):
            bare = bare[len(prefix) :].strip(" .")
            break
    return _PROVINCES.get(bare)


@functools.lru_cache(maxsize=4096)
def _classify(written: str) -> tuple[str | None, tuple[str, str] | None, tuple[str, str] | None]:
    """One comma-separated part of an address: (province path, district hit, commune hit). Parts repeat a lot
    ("huyện Vĩnh Bảo", "TP Hải Phòng"), so each is folded and parsed once."""
    part = _strip_punct(fold(written))
    return _province(part), _prefixed(part, _DISTRICT_PREFIXES), _prefixed(part, _COMMUNE_PREFIXES)


@dataclass(frozen=True)
class Resolution:
    unit: AdministrativeUnit | None
    review_note: str = ""
    error: str = ""


class UnitResolver:
    """Loads the units once (a few hundred rows) and answers from memory; a sheet repeats addresses a lot."""

    def __init__(self, units):
        self.districts_full: dict[str, list] = {}
        self.districts_short: dict[str, list] = {}
        self.children_full: dict[int, dict[str, AdministrativeUnit]] = {}
        self.children_short: dict[int, dict[str, list]] = {}
        self.current_full: dict[str, list] = {}
        self.current_short: dict[str, list] = {}
        self._cache: dict[tuple, Resolution] = {}  # by parsed (commune, district, province)
        self._written_cache: dict[tuple, Resolution] = {}  # by the cells as written
        by_id = {unit.pk: unit for unit in units}
        self.unit_names = {unit.pk: unit.name for unit in units}
        for unit in units:
            unit.parent = by_id.get(unit.parent_id)  # so str(unit) needs no query
            full_names = [fold(unit.name)] + [fold(alias) for alias in unit.aliases.split(";") if alias.strip()]
            short = fold(unit.short_name)
            if unit.depth == 1 and unit.valid_to is not None:  # a pre-reform district
                for name in full_names:
                    self.districts_full.setdefault(name, []).append(unit)
                self.districts_short.setdefault(short, []).append(unit)
            elif unit.depth == 2:  # a pre-reform commune under its district
                children = self.children_full.setdefault(unit.parent_id, {})
                for name in full_names:
                    children[name] = unit
                self.children_short.setdefault(unit.parent_id, {}).setdefault(short, []).append(unit)
            elif unit.depth == 1 and unit.valid_to is None:  # a current commune
                for name in full_names:
                    self.current_full.setdefault(name, []).append(unit)
                self.current_short.setdefault(short, []).append(unit)

    @classmethod
    def load(cls) -> "UnitResolver":
        return cls(list(AdministrativeUnit.objects.filter(depth__gte=1)))

    # -- parsing -------------------------------------------------------------------------------------------
    @staticmethod
    def split(address: str, commune: str = "", district: str = "") -> tuple[tuple[str, str, str], tuple[str, str]]:
        """((commune, district, province path) folded as 'type name', (commune, district) as written)."""
        found_commune = found_district = province = ""
        shown_commune = shown_district = ""
        for written in reversed([part.strip() for part in _SPLIT.split(address or "") if part.strip()]):
            path, district_hit, commune_hit = _classify(written)
            if path is not None:
                province = province or path
                continue
            if not found_district and district_hit:
                found_district, shown_district = district_hit[0] + district_hit[1], written
                continue
            if not found_commune and commune_hit:
                found_commune, shown_commune = commune_hit[0] + commune_hit[1], written
        if commune.strip():
            part = _strip_punct(fold(commune))
            hit = _prefixed(part, _COMMUNE_PREFIXES)
            found_commune, shown_commune = (hit[0] + hit[1] if hit else part), commune.strip()
        if district.strip():
            part = _strip_punct(fold(district))
            hit = _prefixed(part, _DISTRICT_PREFIXES)
            found_district, shown_district = (hit[0] + hit[1] if hit else part), district.strip()
        return (found_commune, found_district, province), (shown_commune, shown_district)

    # -- lookup --------------------------------------------------------------------------------------------
    @staticmethod
    def _pick(candidates: list, province: str) -> AdministrativeUnit | None:
        if not candidates:
            return None
        if province:
            candidates = [unit for unit in candidates if unit.path.startswith(province)] or candidates
        # Same name in the two former provinces: an address without a province is Hải Phòng's.
        hai_phong = [unit for unit in candidates if unit.path.startswith("/31/")]
        return (hai_phong or candidates)[0]

    def _district(self, text: str, province: str):
        candidates = self.districts_full.get(text)
        if not candidates:
            hit = _prefixed(text, _DISTRICT_PREFIXES)
            candidates = self.districts_short.get(hit[1] if hit else text)
        return self._pick(candidates or [], province)

    def _child(self, district, text: str):
        unit = self.children_full.get(district.pk, {}).get(text)
        if unit is None:
            hit = _prefixed(text, _COMMUNE_PREFIXES)
            short = self.children_short.get(district.pk, {}).get(hit[1] if hit else text, [])
            unit = short[0] if len(short) == 1 else None
        return unit

    def _current(self, text: str):
        candidates = self.current_full.get(text)
        if not candidates:
            hit = _prefixed(text, _COMMUNE_PREFIXES)
            short = self.current_short.get(hit[1] if hit else text, [])
            candidates = short if len(short) == 1 else []
        return candidates[0] if candidates else None

    def resolve(self, address: str, commune: str = "", district: str = "") -> Resolution:
        written = (address, commune, district)
        resolution = self._written_cache.get(written)
        if resolution is None:
            key, shown = self.split(address, commune, district)
            resolution = self._cache.get(key)
            if resolution is None:
                resolution = self._cache[key] = self._resolve(*key, *shown)
            self._written_cache[written] = resolution
        return resolution

    def _resolve(self, commune: str, district: str, province: str, shown_commune: str, shown_district: str):
        if district:
            found = self._district(district, province)
            if found is None:
                return Resolution(
                    None,
                    error=_("Không tìm thấy huyện/quận '%(name)s' trong danh mục đơn vị hành chính.")
                    % {"name": shown_district},
                )
            if commune:
                unit = self._child(found, commune)
                if unit is not None:
                    return Resolution(unit)
                return Resolution(
                    found,
                    review_note=_(
                        "Không tìm thấy '%(commune)s' thuộc %(district)s trong danh mục (có thể đã sáp nhập "
                        "2019–2025): tạm gán theo %(district)s, cần rà soát."
                    )
                    % {"commune": shown_commune, "district": found.name},
                )
            return Resolution(
                found,
                review_note=_("Địa chỉ chỉ ghi đến %(district)s: tạm gán theo huyện, cần rà soát.")
                % {"district": found.name},
            )
        if commune:
            unit = self._current(commune)
            if unit is not None:
                return Resolution(unit)
            return Resolution(
                None,
                error=_(
                    "Không tìm thấy xã/phường '%(name)s' trong danh mục hiện hành (từ 1/7/2025); "
                    "nếu là địa chỉ cũ, hãy ghi thêm huyện/quận."
                )
                % {"name": shown_commune},
            )
        return Resolution(
            None,
            error=_("Địa chỉ không ghi xã/phường hay huyện/quận: không xác định được đơn vị hành chính."),
        )
