from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from areas.models import AdministrativeUnit, UnitType
from contest.models import Contest, ContestState, ContestTransition, CriteriaSet, Criterion, Entry, EntryPhoto
from contest.selectors import max_total, scoring_criteria
from contest.services import contest_transition, entry_create, sheet_save
from tests.factories import (
    BeneficiaryFactory,
    ContestFactory,
    EntryFactory,
    contest_pdf,
    contest_photo,
    tt26_criteria_set,
)

pytestmark = pytest.mark.django_db


# Criteria -----------------------------------------------------------------------------------------------------


def test_the_tt26_grid_is_seeded_as_four_groups_worth_100():
    criteria = scoring_criteria(tt26_criteria_set())
    assert [int(c.max_points) for c in criteria] == [40, 40, 10, 10]
    assert max_total(tt26_criteria_set()) == 100


def test_a_new_grid_with_sub_criteria_needs_no_code_and_jurors_score_the_sub_criteria(staff, juror):
    grid = CriteriaSet.objects.create(code="moi-2030", name="Bộ tiêu chí mới")
    market = Criterion.objects.create(criteria_set=grid, code="1", name="Thị trường", max_points=60, position=1)
    Criterion.objects.create(criteria_set=grid, parent=market, code="1.1", name="Doanh thu", max_points=30, position=2)
    Criterion.objects.create(criteria_set=grid, parent=market, code="1.2", name="Xuất khẩu", max_points=30, position=3)
    Criterion.objects.create(criteria_set=grid, code="2", name="Thẩm mỹ", max_points=40, position=4)
    assert [c.code for c in scoring_criteria(grid)] == ["1.1", "1.2", "2"] and max_total(grid) == 100
    contest = ContestFactory(criteria_set=grid, state=ContestState.SCORING, secretaries=[staff], jurors=[juror])
    entry = EntryFactory(contest=contest)
    leaves = scoring_criteria(grid)
    with pytest.raises(ValidationError, match="tối đa 30"):
        sheet_save(actor=juror, entry=entry, points={leaves[0].pk: 31, leaves[1].pk: 1, leaves[2].pk: 1}, submit=True)
    sheet = sheet_save(
        actor=juror, entry=entry, points={leaves[0].pk: 30, leaves[1].pk: 20, leaves[2].pk: 35}, submit=True
    )
    assert sheet.total == 85


def test_the_seed_can_be_undone_and_redone():
    from contest.seed import seed_criteria, unseed_criteria

    unseed_criteria(CriteriaSet, Criterion)
    assert not CriteriaSet.objects.exists()
    seed_criteria(CriteriaSet, Criterion)
    seed_criteria(CriteriaSet, Criterion)
    assert Criterion.objects.count() == 4


# Contest ------------------------------------------------------------------------------------------------------


def _contest_form(**over):
    data = {
        "name": "Bình chọn sản phẩm CNNT tiêu biểu cấp thành phố năm 2028",
        "year": "2028",
        "level": "city",
        "decision_number": "20/QĐ-SCT",
        "decision_date": "15/03/2028",
        "criteria_set": tt26_criteria_set().pk,
        "pass_mark": "70",
        "score_rule": "mean",
        "proposal_quota": "10",
        "parent_body": "UBND thành phố Hải Phòng",
        "organiser": "Sở Công Thương",
        "place": "Hải Phòng",
        "signer_title": "Giám đốc",
    }
    data.update(over)
    return data


def test_staff_creates_a_contest_and_becomes_its_secretary(login, staff, juror):
    response = login(staff).post(reverse("contest:create"), _contest_form(jurors=[juror.pk]))
    contest = Contest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("contest:detail", args=[contest.pk])
    assert contest.state == ContestState.OPEN and list(contest.secretaries.all()) == [staff]
    assert list(contest.jurors.all()) == [juror] and contest.decision_date.isoformat() == "2028-03-15"
    assert contest.history.first().history_user == staff


def test_a_district_contest_is_only_for_historical_years(login, staff):
    response = login(staff).post(reverse("contest:create"), _contest_form(level="district"))
    assert response.status_code == 200 and "không còn cấp huyện" in response.text
    assert "Bình chọn sản phẩm CNNT tiêu biểu cấp thành phố năm 2028" in response.text
    assert not Contest.objects.exists()


def test_a_leader_cannot_create_a_contest_and_anonymous_is_sent_to_login(client, login, leader):
    assert client.get(reverse("contest:create")).status_code == 302
    assert login(leader).post(reverse("contest:create"), _contest_form()).status_code == 403
    assert not Contest.objects.exists()


def test_an_area_officer_has_no_contest_pages(login, officer_a):
    assert login(officer_a).get(reverse("contest:list")).status_code == 403


def test_the_secretary_moves_the_contest_and_each_step_is_recorded(login, staff, juror):
    contest = ContestFactory(secretaries=[staff], jurors=[juror])
    entry = EntryFactory(contest=contest)
    client = login(staff)
    url = reverse("contest:transition", args=[contest.pk, "scoring"])
    response = client.post(url, follow=True)
    assert "Hồ sơ chưa đủ" in response.text and "cần ít nhất 3 ảnh" in response.text
    assert Contest.objects.get().state == ContestState.OPEN
    for i in range(3):
        EntryPhoto.objects.create(entry=entry, image=contest_photo(f"a{i}.jpg"))
    from contest.models import DocumentKind, EntryDocument

    EntryDocument.objects.create(
        entry=entry, kind=DocumentKind.REGISTRATION_FORM, file=contest_pdf(), original_name="p.pdf"
    )
    client.post(url, {"note": "Bắt đầu chấm"})
    client.post(url)  # the repeated call is refused: already in scoring
    client.post(reverse("contest:transition", args=[contest.pk, "closed"]))
    publish = reverse("contest:transition", args=[contest.pk, "published"])
    response = client.post(publish, {"result_decision_number": ""}, follow=True)
    assert "Số quyết định công nhận" in response.text or "bắt buộc" in response.text
    assert Contest.objects.get().state == ContestState.CLOSED
    client.post(publish, {"result_decision_number": "99/QĐ-UBND", "result_decision_date": "30/11/2028"})
    contest.refresh_from_db()
    assert contest.state == ContestState.PUBLISHED and contest.result_decision_number == "99/QĐ-UBND"
    steps = list(ContestTransition.objects.values_list("from_state", "to_state", "actor", "note"))
    assert steps == [
        ("open", "scoring", staff.pk, "Bắt đầu chấm"),
        ("scoring", "closed", staff.pk, ""),
        ("closed", "published", staff.pk, ""),
    ]


def test_staff_who_is_not_the_secretary_cannot_move_the_contest(login, staff, juror):
    from accounts.roles import Role
    from tests.factories import UserFactory

    other = UserFactory(username="staff2", role=Role.STAFF)
    contest = ContestFactory(secretaries=[other], jurors=[juror], state=ContestState.SCORING)
    assert login(staff).post(reverse("contest:transition", args=[contest.pk, "closed"])).status_code == 403
    assert login(juror).post(reverse("contest:transition", args=[contest.pk, "closed"])).status_code == 403
    with pytest.raises(PermissionDenied):
        contest_transition(actor=staff, contest=contest, to_state=ContestState.CLOSED)
    assert Contest.objects.get().state == ContestState.SCORING and not ContestTransition.objects.exists()


# Entries ------------------------------------------------------------------------------------------------------


def _entry_form(beneficiary, **over):
    data = {
        "product_name": "Nước mắm cốt Cát Hải",
        "group": "che_bien_thuc_pham",
        "beneficiary": beneficiary.pk,
        "description": "Ủ chượp 12 tháng",
        "photos": [contest_photo(f"anh{i}.jpg") for i in range(3)],
        "registration_form": contest_pdf(),
    }
    data.update(over)
    return data


def test_the_secretary_registers_an_entry_with_photos_and_documents(login, staff, beneficiary_b):
    contest = ContestFactory(secretaries=[staff])
    response = login(staff).post(reverse("contest:entry_create", args=[contest.pk]), _entry_form(beneficiary_b))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert entry.number == 1 and entry.photos.count() == 3 and entry.documents.get().kind == "registration_form"
    assert entry.photos.first().width == 64
    second = login(staff).post(
        reverse("contest:entry_create", args=[contest.pk]), _entry_form(beneficiary_b, product_name="Mắm tôm")
    )
    assert second.status_code == 302 and Entry.objects.get(product_name="Mắm tôm").number == 2


def test_fewer_than_three_photos_or_a_fake_photo_are_refused(login, staff, beneficiary_b):
    contest = ContestFactory(secretaries=[staff])
    client = login(staff)
    url = reverse("contest:entry_create", args=[contest.pk])
    response = client.post(url, _entry_form(beneficiary_b, photos=[contest_photo()]))
    assert response.status_code == 400 and "Cần ít nhất 3 ảnh" in response.text
    assert "Nước mắm cốt Cát Hải" in response.text
    fake = SimpleUploadedFile("anh.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(
        url, _entry_form(beneficiary_b, photos=[contest_photo("a.jpg"), contest_photo("b.jpg"), fake])
    )
    assert response.status_code == 400 and "không phải ảnh" in response.text
    renamed = SimpleUploadedFile("phieu.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    response = client.post(url, _entry_form(beneficiary_b, registration_form=renamed))
    assert response.status_code == 400 and "chỉ nhận PDF" in response.text
    assert not Entry.objects.exists() and not EntryPhoto.objects.exists()


def test_an_ineligible_establishment_cannot_enter(staff):
    ward = AdministrativeUnit.objects.filter(unit_type=UnitType.WARD, valid_to__isnull=True).first()
    beneficiary = BeneficiaryFactory(unit=ward)
    contest = ContestFactory(secretaries=[staff])
    with pytest.raises(ValidationError, match="không thuộc đối tượng"):
        entry_create(
            actor=staff, contest=contest, data={"product_name": "X", "group": "khac", "beneficiary": beneficiary}
        )
    assert not Entry.objects.exists()


def test_entries_are_closed_once_scoring_starts(login, staff, beneficiary_b):
    contest = ContestFactory(secretaries=[staff], state=ContestState.SCORING)
    response = login(staff).post(reverse("contest:entry_create", args=[contest.pk]), _entry_form(beneficiary_b))
    assert response.status_code == 403 and not Entry.objects.exists()


# Excel import -------------------------------------------------------------------------------------------------


def _workbook(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên sản phẩm", "Bộ sản phẩm", "Nhóm sản phẩm", "Mã số thuế / số ĐKKD", "Mô tả"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("ho-so.xlsx", out.getvalue())


def _eligible():
    return BeneficiaryFactory(
        unit=AdministrativeUnit.objects.filter(unit_type=UnitType.COMMUNE, valid_to__isnull=True).first()
    )


def test_the_import_previews_then_writes_everything_on_confirm(login, staff, beneficiary_b):
    beneficiary_a = _eligible()
    contest = ContestFactory(secretaries=[staff])
    client = login(staff)
    upload = _workbook(
        [
            ["Phụ tùng đúc", "không", 3, int(beneficiary_a.tax_code), "Gang cầu"],
            ["Nước mắm", "có", "Chế biến nông-lâm-thủy sản và thực phẩm", beneficiary_b.tax_code, ""],
        ]
    )
    response = client.post(reverse("contest:import", args=[contest.pk]), {"file": upload})
    assert response.status_code == 200 and "2 dòng hợp lệ" in response.text
    assert not Entry.objects.exists()  # nothing written before confirm
    response = client.post(reverse("contest:import_confirm", args=[contest.pk]))
    assert response.status_code == 302
    entries = list(Entry.objects.order_by("number"))
    assert [(e.number, e.group, e.is_product_set, e.beneficiary) for e in entries] == [
        (1, "co_khi", False, beneficiary_a),
        (2, "che_bien_thuc_pham", True, beneficiary_b),
    ]
    # Confirming again has nothing left to import.
    client.post(reverse("contest:import_confirm", args=[contest.pk]))
    assert Entry.objects.count() == 2


def test_an_import_with_bad_rows_explains_each_row_and_writes_nothing(login, staff, beneficiary_a):
    """beneficiary_a sits in a phường: not eligible, which the preview says too."""
    contest = ContestFactory(secretaries=[staff])
    client = login(staff)
    upload = _workbook(
        [
            ["Phụ tùng đúc", "không", 3, beneficiary_a.tax_code, ""],
            ["", "không", 9, "0999999999", ""],
            ["Phụ tùng đúc", "có", 3, beneficiary_a.tax_code, ""],
        ]
    )
    response = client.post(reverse("contest:import", args=[contest.pk]), {"file": upload})
    assert response.status_code == 400
    for message in (
        "không thuộc đối tượng",
        "Thiếu tên sản phẩm",
        "Nhóm sản phẩm “9” không hợp lệ",
        "Không tìm thấy cơ sở",
        "Trùng với dòng 2",
    ):
        assert message in response.text
    assert client.post(reverse("contest:import_confirm", args=[contest.pk])).status_code == 302
    assert not Entry.objects.exists()


def test_a_file_that_is_not_excel_is_refused(login, staff):
    contest = ContestFactory(secretaries=[staff])
    response = login(staff).post(
        reverse("contest:import", args=[contest.pk]), {"file": SimpleUploadedFile("x.xlsx", b"hello")}
    )
    assert response.status_code == 400 and "Không đọc được tệp" in response.text


def test_a_juror_cannot_import(login, juror, staff):
    contest = ContestFactory(secretaries=[staff], jurors=[juror])
    assert login(juror).get(reverse("contest:import", args=[contest.pk])).status_code == 403
