"""Approximate positions for the schematic map ("Sơ đồ minh họa, vị trí gần đúng").

No licensed boundary data is available offline, so the map is a schematic built from public knowledge:
the approximate centre (lat, lng) of each pre-2025 district of Hải Phòng and ex-Hải Dương, and a rough
radius of its territory. Each commune of a district is placed on a sunflower spiral around the district's
centre (deterministic: ordered by code); a current commune (since 7/2025) takes the place of the old commune
whose code it kept (the rule of `areas.selectors.current_communes_from`). Good enough to see where the đề án
are; not a survey. Field-report GPS points, where present, are plotted at their real position.

`assign_centres(Unit)` takes the model class so that the data migration can run it with its historical model.
"""

import math

# path → (latitude, longitude, radius of the territory in km). Sources: general maps of Hải Phòng and
# Hải Dương before 7/2025; rounded, deliberately approximate.
DISTRICT_CENTRES: dict[str, tuple[float, float, float]] = {
    # Hải Phòng (31)
    "/31/d303/": (20.866, 106.664, 2.5),  # Quận Hồng Bàng
    "/31/d304/": (20.852, 106.700, 2.2),  # Quận Ngô Quyền
    "/31/d305/": (20.838, 106.672, 2.0),  # Quận Lê Chân
    "/31/d306/": (20.826, 106.740, 3.5),  # Quận Hải An
    "/31/d307/": (20.806, 106.626, 2.5),  # Quận Kiến An
    "/31/d308/": (20.712, 106.783, 3.0),  # Quận Đồ Sơn
    "/31/d309/": (20.768, 106.722, 3.0),  # Quận Dương Kinh
    "/31/d311/": (20.935, 106.660, 8.0),  # Thủy Nguyên
    "/31/d312/": (20.875, 106.595, 4.5),  # An Dương
    "/31/d313/": (20.812, 106.550, 5.5),  # Huyện An Lão
    "/31/d314/": (20.742, 106.662, 6.0),  # Huyện Kiến Thụy
    "/31/d315/": (20.705, 106.560, 7.0),  # Huyện Tiên Lãng
    "/31/d316/": (20.692, 106.465, 7.5),  # Huyện Vĩnh Bảo
    "/31/d317/": (20.770, 106.985, 8.0),  # Huyện Cát Hải (Cát Bà and Cát Hải islands)
    "/31/d318/": (20.133, 107.725, 1.5),  # Huyện Bạch Long Vĩ (shown in an inset)
    # Hải Dương (30), merged into Hải Phòng on 1/7/2025
    "/30/d288/": (20.940, 106.330, 4.5),  # Thành phố Hải Dương
    "/30/d290/": (21.120, 106.400, 9.0),  # Thành phố Chí Linh
    "/30/d291/": (21.000, 106.335, 6.0),  # Huyện Nam Sách
    "/30/d292/": (21.030, 106.510, 8.0),  # Thị xã Kinh Môn
    "/30/d293/": (20.935, 106.505, 6.0),  # Huyện Kim Thành
    "/30/d294/": (20.875, 106.425, 6.5),  # Huyện Thanh Hà
    "/30/d295/": (20.960, 106.210, 6.0),  # Huyện Cẩm Giàng
    "/30/d296/": (20.875, 106.185, 6.0),  # Huyện Bình Giang
    "/30/d297/": (20.865, 106.290, 6.0),  # Huyện Gia Lộc
    "/30/d298/": (20.815, 106.400, 7.0),  # Huyện Tứ Kỳ
    "/30/d299/": (20.735, 106.385, 6.5),  # Huyện Ninh Giang
    "/30/d300/": (20.775, 106.245, 6.5),  # Huyện Thanh Miện
}

# Current units that kept no old commune code: placed at their predecessor district's centre.
SUCCESSOR_OF_DISTRICT = {"/31/c11948/": "/31/d318/"}  # Đặc khu Bạch Long Vĩ

# The province-level units themselves (centre of the pre-2025 territory).
PROVINCE_CENTRES = {"/31/": (20.845, 106.690), "/30/": (20.930, 106.330)}

# Units far offshore drawn in an inset box rather than stretching the projection.
INSET_PATHS = ("/31/d318/", "/31/c11948/")

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_KM_PER_DEG_LAT = 110.57


def spiral_positions(lat: float, lng: float, radius_km: float, n: int) -> list[tuple[float, float]]:
    """n points spread evenly over a disc (Vogel's sunflower spiral)."""
    points = []
    km_per_deg_lng = 111.32 * math.cos(math.radians(lat))
    for i in range(n):
        r = radius_km * math.sqrt((i + 0.5) / n) * 0.9
        theta = i * _GOLDEN_ANGLE
        points.append((lat + r * math.sin(theta) / _KM_PER_DEG_LAT, lng + r * math.cos(theta) / km_per_deg_lng))
    return points


def compute_centres(units: list[tuple[str, str, int]]) -> dict[str, tuple[float, float]]:
    """{path: (lat, lng)} for the units given as (path, code, depth) rows of the areas tree."""
    centres: dict[str, tuple[float, float]] = {}
    by_path = {path: (code, depth) for path, code, depth in units}
    for path, (lat, lng) in PROVINCE_CENTRES.items():
        if path in by_path:
            centres[path] = (round(lat, 6), round(lng, 6))
    old_commune_position: dict[str, tuple[float, float]] = {}
    for district, (lat, lng, radius) in DISTRICT_CENTRES.items():
        if district not in by_path:
            continue
        centres[district] = (lat, lng)
        communes = sorted(
            (code, path) for path, (code, depth) in by_path.items() if path.startswith(district) and path != district
        )
        for (code, path), (clat, clng) in zip(communes, spiral_positions(lat, lng, radius, len(communes)), strict=True):
            centres[path] = (round(clat, 6), round(clng, 6))
            old_commune_position.setdefault(code, centres[path])
    for path, (code, depth) in by_path.items():
        # Current communes sit directly under the city ("/31/cNNNNN/").
        if depth != 1 or "/c" not in path:
            continue
        if path in SUCCESSOR_OF_DISTRICT and SUCCESSOR_OF_DISTRICT[path] in centres:
            centres[path] = centres[SUCCESSOR_OF_DISTRICT[path]]
        elif code in old_commune_position:
            centres[path] = old_commune_position[code]
    return centres


def assign_centres(Unit) -> int:
    """Writes the schematic centres into AdministrativeUnit.latitude/longitude; returns how many were set."""
    rows = list(Unit.objects.values_list("path", "code", "depth"))
    centres = compute_centres(rows)
    changed = []
    for unit in Unit.objects.filter(path__in=list(centres)):
        lat, lng = centres[unit.path]
        if unit.latitude != lat or unit.longitude != lng:
            unit.latitude, unit.longitude = lat, lng
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=500)
    return len(changed)


def clear_centres(Unit) -> None:
    """Undoes assign_centres: the units it placed get no position again."""
    rows = list(Unit.objects.values_list("path", "code", "depth"))
    Unit.objects.filter(path__in=list(compute_centres(rows))).update(latitude=None, longitude=None)
