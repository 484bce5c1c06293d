"""Administrative units of one province as the source packages give them, as plain rows.

Source: the `vietnamadminunits` package (MIT; pinned in pyproject.toml). Its SQLite file carries the 3,321
commune-level units in force since 1/7/2025 (with centre and area), the 10,040 units in force before (with a
centre), and its converter file the official old → new links of the 34 resolutions 1654–1687/NQ-UBTVQH15,
including the ~470 old communes split between several successors. The package itself is not imported: its
`__init__` pulls in shapely and an online geocoder that we never want; only its data files are read.

Codes: `vietnamadminunits` takes its codes from sapnhap.bando.com.vn, and for 114 of the 3,321 current
communes (123 of the 3,321 take another code; 114 official codes are missing from its set) they differ from the
official table of Quyết định 19/2025/QĐ-TTg (5 of them in Hải Phòng). Those corrections were read once from
`vietnam-provinces` (GPL, not a dependency) by scripts/export_official_commune_codes.py into
areas/data/official_commune_codes_2025.json, which `official_code` applies; the pre-2025 codes agree.
"""

import dataclasses
import functools
import importlib.util
import json
import sqlite3
import unicodedata
from pathlib import Path

UNIT_TYPES = {
    "Tỉnh": "tinh",
    "Thành phố trực thuộc TW": "thanh_pho_tw",
    "Quận": "quan",
    "Huyện": "huyen",
    "Thị xã": "thi_xa",
    "Thành phố": "thanh_pho",
    "Phường": "phuong",
    "Xã": "xa",
    "Thị trấn": "thi_tran",
    "Đặc khu": "dac_khu",
}


@dataclasses.dataclass(frozen=True)
class UnitRow:
    path: str
    code: str
    name: str
    short_name: str
    unit_type: str
    parent_path: str | None
    current: bool  # in force since 1/7/2025 (False: ended on 30/6/2025)
    latitude: float | None = None
    longitude: float | None = None
    area_km2: float | None = None


@dataclasses.dataclass(frozen=True)
class ProvinceData:
    code: str
    name: str
    units: list[UnitRow]
    # (old unit path, new unit path, is the default successor): one row per official link.
    links: list[tuple[str, str, bool]]


class UnknownProvince(ValueError):
    pass


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Thiếu gói vietnamadminunits (chạy make install).")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(sql: str, params=()) -> list[sqlite3.Row]:
    # Read-only: the package's file is never written.
    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


@functools.lru_cache(maxsize=1)
def _converter() -> dict:
    return json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))


def provinces() -> list[tuple[str, str]]:
    """(official two-digit code, name) of the 34 provinces in force since 1/7/2025."""
    rows = _rows("SELECT DISTINCT provinceCode, province FROM admin_units ORDER BY provinceCode")
    return [(r["provinceCode"], r["province"]) for r in rows]


# Old-style tone placement ("Hoà", "Thuỷ") written the new way, so both spellings of a name compare equal.
_OLD_STYLE = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip


def name_key(name: str) -> str:
    """A unit's name compared loosely: case, spacing, apostrophes, dashes, tone placement ignored (not accents)."""
    text = unicodedata.normalize("NFC", name).lower().replace("’", "'").replace("–", "-").replace("—", "-")
    text = " ".join(text.split())
    for old, new in _OLD_STYLE.items():
        text = text.replace(old, new)
    return text


@functools.lru_cache(maxsize=1)
def _corrections() -> dict[str, dict[str, dict[str, str]]]:
    path = Path(__file__).resolve().parent / "data" / "official_commune_codes_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))["corrections"]


def official_code(province_code: str, source_code: str) -> str:
    """The official code (QĐ 19/2025/QĐ-TTg) of a current commune that vietnamadminunits numbers `source_code`:
    the same except for the communes listed in areas/data/official_commune_codes_2025.json
    (scripts/export_official_commune_codes.py)."""
    fix = _corrections().get(province_code, {}).get(source_code)
    return fix["code"] if fix else source_code


def _type(label: str | None, name: str) -> str:
    # The name's prefix first: the source's type column contradicts the official name for a few units
    # ("Phường Việt Hòa" typed "Xã").
    for prefix, unit_type in UNIT_TYPES.items():
        if name.startswith(prefix + " "):
            return unit_type
    return UNIT_TYPES.get(label, "xa")


def province_data(code: str) -> ProvinceData:
    """Everything to load for one province: its current units, the pre-2025 units of every province merged
    into it and the old → new links. Paths: current communes `/<pp>/c<code>/`, old districts
    `/<old pp>/d<code>/`, old communes `/<old pp>/d<code>/w<code>/`."""
    code = f"{int(code):02d}" if str(code).isdigit() else str(code)
    current = _rows("SELECT * FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", (code,))
    if not current:
        raise UnknownProvince(code)
    province_key = current[0]["provinceKey"]
    province_name = current[0]["province"]
    root = f"/{code}/"
    province_type = "thanh_pho_tw" if province_name.startswith("Thành phố") else "tinh"
    units = [
        UnitRow(
            path=root,
            code=code,
            name=province_name,
            short_name=current[0]["provinceShort"],
            unit_type=province_type,
            parent_path=None,
            current=True,
            latitude=current[0]["provinceLat"],
            longitude=current[0]["provinceLon"],
        )
    ]

    new_path_by_key: dict[str, str] = {}
    for r in current:
        ward_code = official_code(code, r["wardCode"])
        path = f"{root}c{ward_code}/"
        new_path_by_key[r["wardKey"]] = path
        units.append(
            UnitRow(
                path=path,
                code=ward_code,
                name=r["ward"],
                short_name=r["wardShort"],
                unit_type=_type(r["wardType"], r["ward"]),
                parent_path=root,
                current=True,
                latitude=r["wardLat"],
                longitude=r["wardLon"],
                area_km2=r["wardAreaKm2"],
            )
        )

    old_province_keys = _converter()["DICT_PROVINCE"][province_key]
    placeholders = ",".join("?" * len(old_province_keys))
    legacy = _rows(
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({placeholders})"  # noqa: S608 - placeholders only
        " ORDER BY provinceCode, districtCode, wardCode",
        tuple(old_province_keys),
    )
    old_path_by_key: dict[str, str] = {}
    seen: set[str] = set()
    for r in legacy:
        old_root = f"/{r['provinceCode']}/"
        if old_root not in seen:
            seen.add(old_root)
            if old_root != root:
                units.append(
                    UnitRow(
                        path=old_root,
                        code=r["provinceCode"],
                        name=r["province"],
                        short_name=r["provinceShort"],
                        unit_type="thanh_pho_tw" if r["province"].startswith("Thành phố") else "tinh",
                        parent_path=None,
                        current=False,
                        latitude=r["provinceLat"],
                        longitude=r["provinceLon"],
                    )
                )
        district_path = f"{old_root}d{r['districtCode']}/"
        if district_path not in seen:
            seen.add(district_path)
            units.append(
                UnitRow(
                    path=district_path,
                    code=r["districtCode"],
                    name=r["district"],
                    short_name=r["districtShort"],
                    unit_type=_type(r["districtType"], r["district"]),
                    parent_path=old_root,
                    current=False,
                    latitude=r["districtLat"],
                    longitude=r["districtLon"],
                )
            )
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if not r["wardCode"]:
            # An island district without communes (Bạch Long Vĩ, Cồn Cỏ, …): the district is its own commune.
            old_path_by_key[key] = district_path
            continue
        path = f"{district_path}w{r['wardCode']}/"
        old_path_by_key[key] = path
        units.append(
            UnitRow(
                path=path,
                code=r["wardCode"],
                name=r["ward"],
                short_name=r["wardShort"],
                unit_type=_type(r["wardType"], r["ward"]),
                parent_path=district_path,
                current=False,
                latitude=r["wardLat"],
                longitude=r["wardLon"],
            )
        )

    links: list[tuple[str, str, bool]] = []
    for new_key, old_keys in _converter()["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).items():
        for old_key in old_keys:
            if old_key in old_path_by_key:
                links.append((old_path_by_key[old_key], new_path_by_key[new_key], True))
    for old_key, successors in _converter()["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items():
        if old_key not in old_path_by_key:
            continue
        for s in successors:
            links.append((old_path_by_key[old_key], new_path_by_key[s["newWardKey"]], bool(s["isDefaultNewWard"])))
    return ProvinceData(code=code, name=province_name, units=units, links=links)
