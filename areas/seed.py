"""Seeds Hải Phòng's administrative units: the 114 communes in force since 1/7/2025 (from the
maintained `vietnam-provinces` package) and the districts and communes in force before (exported
once from vietnam-provinces 0.6.0 into data/legacy_units_2024.json).

Takes the model class as an argument so a migration can run it with its historical model.
"""

import datetime
import json
from pathlib import Path

REFORM_DAY = datetime.date(2025, 7, 1)
LAST_LEGACY_DAY = datetime.date(2025, 6, 30)
HAI_PHONG = 31
HAI_DUONG = 30

_PREFIXES = [
    ("Thành phố ", "thanh_pho"),
    ("Thị xã ", "thi_xa"),
    ("Thị trấn ", "thi_tran"),
    ("Quận ", "quan"),
    ("Huyện ", "huyen"),
    ("Phường ", "phuong"),
    ("Xã ", "xa"),
    ("Đặc khu ", "dac_khu"),
    ("Tỉnh ", "tinh"),
]

# Units whose type changed shortly before the reform: addresses still name them the old way.
_FORMER_NAMES = {
    "d311": "Huyện Thủy Nguyên; Huyện Thuỷ Nguyên",
    "d312": "Huyện An Dương",
    "d292": "Huyện Kinh Môn",
}


def _split(name: str) -> tuple[str, str]:
    for prefix, unit_type in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :], unit_type
    return name, "xa"


def _fold(text: str) -> str:
    from core.text import fold

    return fold(text)


def seed_units(Unit) -> int:
    created = 0

    def put(*, code, name, unit_type, parent, key, valid_from=None, valid_to=None, aliases=""):
        nonlocal created
        path = (parent.path if parent else "/") + key + "/"
        short, _ = _split(name)
        unit, was_created = Unit.objects.update_or_create(
            path=path,
            defaults={
                "code": str(code),
                "name": name,
                "short_name": short,
                "unit_type": unit_type,
                "parent": parent,
                "depth": path.count("/") - 2,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "aliases": aliases,
                "search_name": _fold(name + " " + aliases),
            },
        )
        created += was_created
        return unit

    hai_phong = put(code=HAI_PHONG, name="Thành phố Hải Phòng", unit_type="thanh_pho_tw", parent=None, key="31")

    legacy = json.loads((Path(__file__).parent / "data" / "legacy_units_2024.json").read_text(encoding="utf-8"))
    for province in legacy["provinces"]:
        if province["code"] == HAI_PHONG:
            root = hai_phong
        else:
            # Hải Dương merged into Hải Phòng on 1/7/2025; its old units hang under a province that ended then.
            root = put(
                code=province["code"],
                name=province["name"],
                unit_type="tinh",
                parent=None,
                key=str(province["code"]),
                valid_to=LAST_LEGACY_DAY,
            )
        for district in province["districts"]:
            key = f"d{district['code']}"
            _, district_type = _split(district["name"])
            d = put(
                code=district["code"],
                name=district["name"],
                unit_type=district_type,
                parent=root,
                key=key,
                valid_to=LAST_LEGACY_DAY,
                aliases=_FORMER_NAMES.get(key, ""),
            )
            for ward in district["wards"]:
                _, ward_type = _split(ward["name"])
                put(
                    code=ward["code"],
                    name=ward["name"],
                    unit_type=ward_type,
                    parent=d,
                    key=f"w{ward['code']}",
                    valid_to=LAST_LEGACY_DAY,
                )

    from vietnam_provinces import ProvinceCode, Ward

    type_map = {"phường": "phuong", "xã": "xa", "đặc khu": "dac_khu"}
    for ward in Ward.iter_all():
        if ward.province_code != ProvinceCode(HAI_PHONG):
            continue
        put(
            code=int(ward.code),
            name=ward.name,
            unit_type=type_map[ward.division_type.value],
            parent=hai_phong,
            key=f"c{int(ward.code)}",
            valid_from=REFORM_DAY,
        )
    return created
