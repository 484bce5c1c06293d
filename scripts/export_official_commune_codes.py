"""Export once: the official codes (Quyết định 19/2025/QĐ-TTg) of the current communes whose code in
`vietnamadminunits` differs — 114 of 3,321, 5 of them in Hải Phòng.

`vietnamadminunits` (MIT, a dependency) takes its codes from sapnhap.bando.com.vn; the official table is carried
by `vietnam-provinces` (GPL-3.0-or-later), which the project therefore no longer depends on: this script read it
once, matching each current commune by name within its province (areas.sources.name_key: case, spacing, dashes,
apostrophes and tone placement ignored), and wrote areas/data/official_commune_codes_2025.json, which
areas.sources applies. Run it again only if either package publishes a correction:

    uv run --with vietnam-provinces==2025.10.1 python scripts/export_official_commune_codes.py \\
        > areas/data/official_commune_codes_2025.json

Ran with vietnamadminunits 1.0.4 and vietnam-provinces 2025.10.1 on 2026-12-01.
"""

import json
import sys
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vietnam_provinces import ProvinceCode, Ward  # noqa: E402

from areas.sources import _rows, name_key, provinces  # noqa: E402


def main() -> None:
    corrections: dict[str, dict[str, dict[str, str]]] = {}
    for code, _name in provinces():
        wanted = ProvinceCode(int(code))
        official = {name_key(w.name): f"{int(w.code):05d}" for w in Ward.iter_all() if w.province_code == wanted}
        for row in _rows("SELECT wardCode, ward FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", (code,)):
            right = official.get(name_key(row["ward"]))
            if right and right != row["wardCode"]:
                corrections.setdefault(code, {})[row["wardCode"]] = {"code": right, "name": row["ward"]}
    out = {
        "source": "Quyết định 19/2025/QĐ-TTg (bảng mã đơn vị hành chính), qua gói vietnam-provinces",
        "vietnamadminunits": version("vietnamadminunits"),
        "vietnam-provinces": version("vietnam-provinces"),
        "count": sum(len(c) for c in corrections.values()),
        # province code → vietnamadminunits' ward code → the official code and the commune's name
        "corrections": corrections,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
