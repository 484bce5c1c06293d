"""Reference data pages: admins edit, leaders read, others are refused; a ceiling in force is never rewritten."""

import datetime as dt

import pytest
from django.urls import reverse

from administration.reference import KINDS
from beneficiaries.models import CraftVillage
from budgets.models import SupportCeiling
from documents.models import IssuingBody
from tests.conftest import AREA_A
from tests.factories import first_commune


@pytest.mark.parametrize("kind", list(KINDS))
def test_admins_and_leaders_read_every_list_and_others_are_refused(login, admin_user, leader, staff, officer_a, kind):
    url = reverse("administration:reference", args=[kind])
    assert login(admin_user).get(url).status_code == 200
    page = login(leader).get(url)
    assert page.status_code == 200 and "Thêm mới" not in page.text
    assert login(staff).get(url).status_code == 403
    assert login(officer_a).get(url).status_code == 403
    assert login(admin_user).get(reverse("administration:reference_create", args=[kind])).status_code == 200


def test_an_unknown_kind_is_a_404(login, admin_user):
    assert login(admin_user).get("/quan-tri/danh-muc/khong-co/").status_code == 404


def test_the_admin_adds_a_craft_village_with_its_history_and_a_leader_cannot(login, admin_user, leader):
    data = {"name": "Làng nghề mây tre đan", "unit": first_commune(AREA_A).pk, "recognised": "on"}
    url = reverse("administration:reference_create", args=["lang-nghe"])
    assert login(leader).post(url, data).status_code == 403
    assert not CraftVillage.objects.filter(name=data["name"]).exists()
    assert login(admin_user).post(url, data).status_code == 302
    village = CraftVillage.objects.get(name=data["name"])
    assert village.recognised and village.history.latest().history_user == admin_user
    page = login(admin_user).get(reverse("administration:reference_edit", args=["lang-nghe", village.pk]))
    assert "Lịch sử thay đổi" in page.text


def test_a_ceiling_in_force_keeps_its_rule_only_end_date_and_notes_change(login, admin_user):
    ceiling = SupportCeiling.objects.filter(effective_from__lte=dt.date.today()).first()
    assert ceiling is not None, "the seeded ceilings are missing"
    before = (ceiling.percent_cap, ceiling.amount_cap, ceiling.effective_from)
    url = reverse("administration:reference_edit", args=["muc-ho-tro", ceiling.pk])
    page = login(admin_user).get(url)
    assert "chỉ sửa được ngày hết hiệu lực và ghi chú" in page.text and 'name="amount_cap"' not in page.text
    login(admin_user).post(url, {"effective_to": "31/12/2030", "notes": "Hết hiệu lực", "amount_cap": "1"})
    ceiling.refresh_from_db()
    assert (ceiling.percent_cap, ceiling.amount_cap, ceiling.effective_from) == before
    assert ceiling.effective_to == dt.date(2030, 12, 31) and ceiling.notes == "Hết hiệu lực"


def test_the_issuing_body_is_edited_with_who_did_it(login, admin_user):
    body = IssuingBody.objects.filter(active=True).first()
    assert body is not None
    url = reverse("administration:reference_edit", args=["co-quan-ban-hanh", body.pk])
    data = {
        "parent_name": body.parent_name,
        "name": body.name,
        "abbreviation": body.abbreviation,
        "place": body.place,
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Mới",
        "archive_units": body.archive_units,
        "recipients": body.recipients,
        "active": "on",
    }
    assert login(admin_user).post(url, data).status_code == 302
    body.refresh_from_db()
    assert body.signer_name == "Nguyễn Văn Mới" and body.history.latest().history_user == admin_user


def test_the_administration_page_links_every_reference_list(login, admin_user):
    # A list reachable only by typing its address is one nobody finds: the implementing units (the contract's
    # party) had no card.
    html = login(admin_user).get(reverse("administration:index")).content.decode()
    for code in KINDS:
        assert reverse("administration:reference", args=[code]) in html
