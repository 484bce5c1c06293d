"""The party blocks of the contract and of its closure: what the implementing unit's record holds is printed, a
dotted line stands only where a value is missing; the admin keeps those details on the organisation's page."""

import pytest
from django.urls import reverse

from projects.models import Organisation
from tests.documents.conftest import pdf_text
from tests.documents.test_contract import _accepted, _closure, _contract, _contracted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]

DOTS = "……"
CENTRE_DETAILS = {
    "address": "Số 16 Lạch Tray, thành phố Hải Phòng",
    "representative": "Vũ Đức Thắng",
    "representative_title": "Giám đốc",
    "phone": "0225 3846 521",
    "tax_code": "0200999901",
    "bank_account": "3713.0.1058234",
    "bank_name": "Kho bạc Nhà nước Hải Phòng",
}


def _fill(organisation, **values):
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def _party_a(text: str) -> str:
    return text[text.index("Bên A (bên giao thực hiện)") : text.index("Bên B")]


def _signatures(text: str) -> str:
    return text[text.rindex("ĐẠI DIỆN BÊN A") :]


def test_the_contract_prints_the_implementing_units_representative_tax_code_and_account(staff):
    project = _contracted()
    _fill(project.implementing_unit, **CENTRE_DETAILS)
    text = pdf_text(_contract(staff, project))
    block = _party_a(text)
    assert "Đại diện: Ông (Bà) Vũ Đức Thắng; chức vụ: Giám đốc." in block
    assert "Địa chỉ: Số 16 Lạch Tray, thành phố Hải Phòng." in block
    assert "Điện thoại: 0225 3846 521; mã số thuế: 0200999901." in block
    assert "Số tài khoản: 3713.0.1058234 tại Kho bạc Nhà nước Hải Phòng." in block
    assert DOTS not in block
    signatures = _signatures(text)
    assert signatures.startswith("ĐẠI DIỆN BÊN A GIÁM ĐỐC") and "Vũ Đức Thắng" in signatures


def test_a_missing_value_is_a_dotted_line_and_only_that_one(staff):
    project = _contracted()
    _fill(project.implementing_unit, representative="Vũ Đức Thắng", representative_title="", tax_code="0200999901")
    block = _party_a(pdf_text(_contract(staff, project)))
    assert "Đại diện: Ông (Bà) Vũ Đức Thắng; chức vụ: ……" in block
    assert "mã số thuế: 0200999901." in block
    assert "Số tài khoản: …………………………" in block and "tại …………………………" in block
    assert "Vũ Đức Thắng…" not in block and "0200999901…" not in block


def test_the_sở_itself_keeps_its_signer_and_prints_its_own_account(staff):
    project = _contracted()
    project.implementing_unit = Organisation.objects.create(
        name="Sở Công Thương (thử)",
        kind=Organisation.Kind.DEPARTMENT,
        bank_account="9523.1.1056789",
        bank_name="Kho bạc Nhà nước Hải Phòng",
        tax_code="0200999902",
    )
    project.save()
    block = _party_a(pdf_text(_contract(staff, project)))
    assert "Đại diện: Ông (Bà) Nguyễn Văn Minh; chức vụ: Phó giám đốc (KT. GIÁM ĐỐC)." in block
    assert "Số tài khoản: 9523.1.1056789 tại Kho bạc Nhà nước Hải Phòng." in block
    assert "mã số thuế: 0200999902." in block


def test_the_closure_minutes_print_the_same_party_block(staff):
    project, _record = _accepted(paid_kcdp=0)
    _fill(project.implementing_unit, **CENTRE_DETAILS)
    text = pdf_text(_closure(staff, project))
    block = _party_a(text)
    assert "Đại diện: Ông (Bà) Vũ Đức Thắng; chức vụ: Giám đốc." in block
    assert "Số tài khoản: 3713.0.1058234 tại Kho bạc Nhà nước Hải Phòng." in block
    assert DOTS not in block
    assert _signatures(text).startswith("ĐẠI DIỆN BÊN A GIÁM ĐỐC")


def test_bên_b_prints_its_data_and_dots_for_what_an_establishment_record_does_not_hold(staff):
    project = _contracted()
    beneficiary = project.beneficiaries.get()
    text = pdf_text(_contract(staff, project))
    block = text[text.index("Bên B (cơ sở thụ hưởng)") : text.index("Hai bên thống nhất")]
    assert f"Mã số thuế: {beneficiary.tax_code}." in block and f"Địa chỉ: {beneficiary.address}." in block
    assert "chức vụ: ……" in block and "Số tài khoản: ……" in block


def test_the_admin_keeps_the_details_on_the_organisation_page_and_a_bad_tax_code_is_refused(login, admin_user, leader):
    centre = Organisation.objects.get(kind=Organisation.Kind.EXTENSION_CENTRE)
    url = reverse("administration:reference_edit", args=["don-vi-thuc-hien", centre.pk])
    data = {"name": centre.name, "short_name": centre.short_name, "kind": centre.kind, "active": "on", **CENTRE_DETAILS}
    assert login(leader).post(url, data).status_code == 403
    refused = login(admin_user).post(url, {**data, "tax_code": "12345"})
    assert refused.status_code == 200 and "Mã số thuế &#x27;12345&#x27; không hợp lệ" in refused.text
    centre.refresh_from_db()
    assert centre.tax_code == ""
    assert login(admin_user).post(url, data).status_code == 302
    centre.refresh_from_db()
    assert (centre.representative, centre.bank_account) == ("Vũ Đức Thắng", "3713.0.1058234")
    assert centre.history.latest().history_user == admin_user
    page = login(leader).get(url).text  # leaders read
    assert "Vũ Đức Thắng" in page and "Kho bạc Nhà nước Hải Phòng" in page
