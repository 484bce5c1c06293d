"""Export once: pre-7/2025 commune code -> current commune codes (main successor first), Hải Phòng + ex-Hải Dương.

Reads the data shipped in the MIT-licensed `vietnamadminunits` 1.0.4 wheel (unpacked; not a dependency):
    pip download --no-deps vietnamadminunits==1.0.4 && unzip vietnamadminunits-1.0.4-py3-none-any.whl -d x
    python scripts/export_successors_2025.py x/vietnamadminunits > areas/data/successors_2025.json
"""

import json
import sqlite3
import sys
from pathlib import Path

NEW_PROVINCE = "thanhphohaiphong"


def main(base: Path) -> None:
    data = json.loads((base / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(base / "data" / "dataset.db")
    legacy = {
        f"{province}_{district}_{ward or ''}": code
        for province, district, ward, code in db.execute(
            "select provinceKey, districtKey, wardKey, wardCode from admin_units_legacy "
            "where provinceCode in ('30', '31')"
        )
        if code
    }
    new = dict(db.execute("select wardKey, wardCode from admin_units where provinceCode = '31'"))
    out: dict[str, list[str]] = {}
    for new_key, olds in data["DICT_PROVINCE_WARD_NO_DIVIDED"][NEW_PROVINCE].items():
        for old in olds:
            if old in legacy:
                out.setdefault(legacy[old], []).append(new[new_key])
    for old, parts in data["DICT_PROVINCE_WARD_DIVIDED"][NEW_PROVINCE].items():
        if old in legacy:
            parts = sorted(parts, key=lambda w: not w["isDefaultNewWard"])
            out[legacy[old]] = [new[w["newWardKey"]] for w in parts]
    json.dump(dict(sorted(out.items())), sys.stdout, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
