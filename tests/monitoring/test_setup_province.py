"""`manage.py setup_province`: one province's units from vietnamadminunits, idempotent, records keep their units."""

import dataclasses
import datetime
import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from areas import sources
from areas.loader import load_province
from areas.models import AdministrativeUnit, UnitSuccessor, UnitType
from areas.selectors import current_communes_from
from documents.models import IssuingBody
from tests.conftest import AREA_A
from tests.factories import BeneficiaryFactory, unit

pytestmark = pytest.mark.django_db


# sha256 of the sorted (path, code) of every unit loaded for Hải Phòng (517) and Hà Nội (683), taken on 1/12/2026
# while the official codes were still read from `vietnam-provinces`: committing the table in its place
# (areas/data/official_commune_codes_2025.json) changed no code.
CODES_BEFORE = {
    "31": "97d13f8d789e9d577457085664654c6626b50ba0b11db5af4efc76ad3a7ad222",
    "01": "dcd4ac6465e77a6179cd847956d6e8dce4f63a5f17169e1df05b81fa308bae0c",
}


def _fingerprint(units) -> str:
    rows = sorted(units.values_list("path", "code"))
    return hashlib.sha256(json.dumps([list(r) for r in rows]).encode()).hexdigest()


def setup(code, *args):
    out = StringIO()
    call_command("setup_province", code, *args, stdout=out)
    return out.getvalue()


def test_running_it_again_for_the_demo_province_changes_nothing():
    before = dict(AdministrativeUnit.objects.values_list("path", "name"))
    result = load_province("31", Unit=AdministrativeUnit, Successor=UnitSuccessor)
    assert (result.created, result.updated, result.ended, result.deleted) == (0, 0, 0, 0)
    assert dict(AdministrativeUnit.objects.values_list("path", "name")) == before


def test_every_current_commune_has_its_real_centre_and_area():
    current = AdministrativeUnit.objects.filter(path__startswith="/31/c")
    assert current.count() == 114
    assert not current.filter(latitude__isnull=True).exists()
    assert not current.filter(area_km2__isnull=True).exists()
    # Hải Phòng lies between 20–21.5°N and 106–108°E (Bạch Long Vĩ included).
    for lat, lng in current.values_list("latitude", "longitude"):
        assert 20.0 < lat < 21.5 and 106.0 < lng < 108.0


def test_every_old_commune_has_a_successor_and_a_split_one_has_several():
    old = AdministrativeUnit.objects.filter(path__startswith="/31/d", depth=2)
    assert old.exists()
    assert not old.filter(successor_links__isnull=True).exists()
    # The domain brief's example: Phường Lê Hồng Phong (ex-Thủy Nguyên) went to Thiên Hương and a neighbour.
    le_hong_phong = old.get(path__startswith=AREA_A, name="Phường Lê Hồng Phong")
    assert le_hong_phong.successor is None and le_hong_phong.is_split
    links = le_hong_phong.successor_links.select_related("successor")
    assert links.get(is_default=True).successor.name == "Phường Thiên Hương"
    assert links.count() > 1
    whole = old.filter(successor__isnull=False).first()
    assert not whole.is_split and whole.successor_links.get().successor == whole.successor


def test_an_island_district_without_communes_leads_to_its_special_zone():
    assert unit("/31/d318/").successor.unit_type == UnitType.SPECIAL_ZONE


def test_current_communes_of_a_district_follow_the_official_links():
    thuy_nguyen = unit(AREA_A)
    successors = set(current_communes_from(thuy_nguyen))
    linked = {
        s.successor
        for s in UnitSuccessor.objects.filter(predecessor__path__startswith=AREA_A).select_related("successor")
    }
    assert successors == linked and all(s.is_current for s in successors)


def test_a_second_province_replaces_the_demo_units_but_keeps_those_records_use(staff):
    used = BeneficiaryFactory(unit=AdministrativeUnit.objects.filter(path__startswith="/31/c").first()).unit
    old_body = IssuingBody.objects.get(active=True)
    output = setup("01", "--signer-name", "Trần Thị Lan")
    assert "Hà Nội" in output
    hanoi = AdministrativeUnit.objects.filter(path__startswith="/01/c", valid_to__isnull=True)
    assert hanoi.count() == len([u for u in sources.province_data("01").units if u.current and u.parent_path])
    assert hanoi.filter(name="Phường Hoàn Kiếm").exists()
    # Hải Phòng's units are gone except the one a record refers to (and its parent), now ended.
    left = AdministrativeUnit.objects.filter(path__startswith="/31/")
    assert set(left.values_list("path", flat=True)) == {"/31/", used.path}
    used.refresh_from_db()
    assert used.valid_to == datetime.date.today()
    assert not AdministrativeUnit.objects.filter(path__startswith="/30/").exists()
    body = IssuingBody.objects.get(active=True)
    assert (body.parent_name, body.place, body.signer_name) == ("UBND THÀNH PHỐ HÀ NỘI", "Hà Nội", "Trần Thị Lan")
    old_body.refresh_from_db()
    assert not old_body.active  # kept: who signed before

    # The codes are those loaded while the official table came from vietnam-provinces (see CODES_BEFORE).
    assert _fingerprint(AdministrativeUnit.objects.exclude(path__startswith="/31/")) == CODES_BEFORE["01"]
    assert hanoi.get(name="Phường Cửa Nam").code == "00073"  # vietnamadminunits: 00082

    again = setup("01")
    assert "0 đơn vị mới, 0 cập nhật, 0 kết thúc hiệu lực, 0 xóa" in again
    assert "(không đổi)" in again
    assert IssuingBody.objects.get(active=True).signer_name == "Trần Thị Lan"  # the signer an admin set is kept


def test_a_correction_in_the_source_renames_and_ends_units(monkeypatch):
    data = sources.province_data("31")
    gone = next(u for u in data.units if u.path.startswith("/31/c"))
    renamed = next(u for u in data.units if u.path.startswith("/31/c") and u.path != gone.path)
    unused_old = next(
        u for u in data.units if u.path.startswith("/31/d311/w") and u.path != gone.path and u.path != renamed.path
    )
    BeneficiaryFactory(unit=unit(gone.path))
    corrected = [
        dataclasses.replace(u, name=u.name + " (sửa)") if u.path == renamed.path else u
        for u in data.units
        if u.path not in {gone.path, unused_old.path}
    ]
    links = [link for link in data.links if gone.path not in link and unused_old.path not in link]
    monkeypatch.setattr(sources, "province_data", lambda code: dataclasses.replace(data, units=corrected, links=links))
    result = load_province("31", Unit=AdministrativeUnit, Successor=UnitSuccessor)
    assert (result.updated, result.ended, result.deleted) == (1, 1, 1)
    assert unit(renamed.path).name.endswith("(sửa)")
    assert unit(gone.path).valid_to == datetime.date.today()  # a record uses it: kept, ended
    assert not AdministrativeUnit.objects.filter(path=unused_old.path).exists()


@pytest.mark.parametrize("code", ["99", "abc", "123"])
def test_an_unknown_code_is_refused_and_changes_nothing(code):
    count = AdministrativeUnit.objects.count()
    with pytest.raises(CommandError):
        setup(code)
    assert AdministrativeUnit.objects.count() == count


def test_a_unit_is_typed_by_its_official_name_even_where_the_source_column_disagrees():
    # vietnamadminunits types Phường Việt Hòa (ex-Hải Dương) as "Xã"; its name says phường.
    viet_hoa = AdministrativeUnit.objects.get(path__startswith="/31/c", name="Phường Việt Hòa")
    assert viet_hoa.unit_type == UnitType.WARD
    expected = {"Phường": UnitType.WARD, "Xã": UnitType.COMMUNE, "Đặc": UnitType.SPECIAL_ZONE}
    for name, unit_type in AdministrativeUnit.objects.filter(path__startswith="/31/c").values_list("name", "unit_type"):
        assert unit_type == expected[name.split()[0]]


def test_current_communes_carry_the_official_codes_not_the_source_packages_own():
    # vietnamadminunits numbers Phường Thành Đông 10507; QĐ 19/2025/QĐ-TTg says 10510 (the committed table).
    assert unit("/31/c10510/").name == "Phường Thành Đông"
    assert not AdministrativeUnit.objects.filter(path="/31/c10507/").exists()
    hue = {u.name: u.code for u in sources.province_data("46").units if u.current}
    assert hue["Xã Chân Mây - Lăng Cô"] == "20152"  # matched across a hyphen / en dash difference


def test_the_demo_provinces_codes_are_those_loaded_before_the_gpl_package_was_dropped():
    assert AdministrativeUnit.objects.count() == 517
    assert _fingerprint(AdministrativeUnit.objects.all()) == CODES_BEFORE["31"]


def test_every_correction_of_the_committed_table_is_applied():
    table = json.loads((Path(sources.__file__).parent / "data" / "official_commune_codes_2025.json").read_text())
    corrections = table["corrections"]
    assert table["count"] == sum(len(c) for c in corrections.values()) == 123
    assert len(corrections["31"]) == 5
    for province, fixes in corrections.items():
        loaded = {u.name: u.code for u in sources.province_data(province).units if u.current and u.parent_path}
        for source_code, fix in fixes.items():
            assert loaded[fix["name"]] == fix["code"] != source_code, (province, fix)
    # 9 corrections give a commune a code the source uses for another one; the rest are codes it lacks.
    missing = 0
    for province, fixes in corrections.items():
        rows = sources._rows("SELECT wardCode FROM admin_units WHERE provinceCode = ?", (province,))
        source_codes = {r["wardCode"] for r in rows}
        missing += sum(fix["code"] not in source_codes for fix in fixes.values())
    assert missing == 114
