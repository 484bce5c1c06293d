"""Excel import: parsing the sheets that really arrive, the preview, confirm, and every bad input writing nothing."""

import datetime
import io
import unicodedata
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from beneficiaries import services
from beneficiaries.importing import cleaning, engine
from beneficiaries.importing.addresses import UnitResolver
from beneficiaries.importing.reader import ImportFileError, read_table
from beneficiaries.models import Beneficiary, ImportBatch, ImportStatus, LegalForm
from tests.beneficiaries.workbooks import csv_bytes, messy_xlsx, realistic_rows
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def _row(**over):
    row = {
        "name": "Công ty TNHH Nước mắm Cát Hải",
        "legal_form": "Doanh nghiệp",
        "tax_code": 201234567,
        "representative": "Nguyễn Văn An",
        "phone": 912345678,
        "address": "Thôn 3, xã Tam Cường, huyện Vĩnh Bảo, TP Hải Phòng",
        "sector": "Chế biến thủy sản",
        "employees": "1.200",
        "founded": "15/03/2005",
        "women_owned": "x",
    }
    row.update(over)
    return row


def _upload(data: bytes, name: str = "danh-sach.xlsx"):
    return SimpleUploadedFile(name, data)


def _start(user, data, name="danh-sach.xlsx"):
    return services.import_batch_start(actor=user, upload=_upload(data, name))


# -- cells -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (201234567, "0201234567"),
        (201234567.0, "0201234567"),
        (" 0201234567 ", "0201234567"),
        ("0201.234.567", "0201234567"),
        ("0201234567 - 001", "0201234567-001"),
    ],
)
def test_tax_codes_come_back_as_text_with_their_leading_zero(raw, expected):
    assert cleaning.tax_code(raw) == expected


@pytest.mark.parametrize("raw", ["12-34", 12345, "020123456X"])
def test_a_wrong_tax_code_is_refused_as_written(raw):
    with pytest.raises(cleaning.CellError, match="không hợp lệ"):
        cleaning.tax_code(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2005, 2005),
        (2005.0, 2005),
        ("2005", 2005),
        (datetime.date(2005, 3, 15), 2005),
        ("15/03/2005", 2005),
        ("03/2005", 2005),
        (38426, 2005),
    ],
)
def test_founding_year_from_dates_text_and_serials(raw, expected):
    assert cleaning.year(raw) == expected


def test_a_day_that_does_not_exist_is_an_error():
    with pytest.raises(cleaning.CellError, match="không có thật"):
        cleaning.year("31/02/2005")


@pytest.mark.parametrize(("raw", "expected"), [("1.200", 1200), ("1 200", 1200), (12.0, 12), (25, 25), ("7", 7)])
def test_numbers_with_dot_thousands(raw, expected):
    assert cleaning.whole_number(raw) == expected


@pytest.mark.parametrize("raw", ["12,5", "mười", -3, 2.5])
def test_numbers_that_are_not_whole_are_errors(raw):
    with pytest.raises(cleaning.CellError):
        cleaning.whole_number(raw)


def test_text_is_nfc_and_trimmed():
    decomposed = unicodedata.normalize("NFD", "Nước mắm  Cát Hải  ")
    assert cleaning.text(decomposed) == "Nước mắm Cát Hải"


@pytest.mark.parametrize(
    ("cell", "name", "expected"),
    [
        ("HTX", "", LegalForm.COOPERATIVE),
        ("Hộ kinh doanh", "", LegalForm.HOUSEHOLD),
        ("", "Công ty TNHH A", LegalForm.ENTERPRISE),
        ("", "HTX Mây tre", LegalForm.COOPERATIVE),
    ],
)
def test_legal_form_from_the_cell_or_the_name(cell, name, expected):
    assert cleaning.legal_form(cell, name) == expected


# -- addresses -------------------------------------------------------------------------------------------------


@pytest.fixture
def resolver():
    return UnitResolver.load()


def test_an_old_commune_with_its_district_resolves_to_the_pre_reform_unit(resolver):
    result = resolver.resolve("Thôn 3, xã Tam Cường, huyện Vĩnh Bảo, TP Hải Phòng")
    assert result.unit.name == "Xã Tam Cường" and result.unit.parent.name == "Huyện Vĩnh Bảo"
    assert result.unit.valid_to is not None and not result.review_note


def test_addresses_match_without_diacritics_and_with_abbreviations(resolver):
    assert resolver.resolve("xa Tam Cuong, H. Vinh Bao").unit.name == "Xã Tam Cường"
    # The package spells "Thuỷ"; people write "Thủy", and "huyện" for what became a city in 2025.
    assert resolver.resolve("xã Liên Xuân, huyện Thủy Nguyên").unit.parent.path == "/31/d311/"


def test_a_current_commune_resolves_without_a_district(resolver):
    result = resolver.resolve("Số 5, xã Vĩnh Am, thành phố Hải Phòng")
    assert result.unit.name == "Xã Vĩnh Am" and result.unit.valid_to is None


def test_separate_commune_and_district_columns(resolver):
    assert resolver.resolve("Thôn 1", "Tam Cường", "Vĩnh Bảo").unit.name == "Xã Tam Cường"


def test_an_unknown_old_commune_falls_back_to_its_district_for_review(resolver):
    result = resolver.resolve("xã Không Có, huyện Vĩnh Bảo")
    assert result.unit.path == "/31/d316/"
    assert "xã Không Có" in result.review_note and "rà soát" in result.review_note


def test_an_unknown_district_or_current_commune_is_an_error(resolver):
    assert "huyện Không Có" in resolver.resolve("xã Tam Cường, huyện Không Có").error
    assert "xã Không Có" in resolver.resolve("xã Không Có, TP Hải Phòng").error
    assert resolver.resolve("Thôn 3").error


# -- reading ---------------------------------------------------------------------------------------------------


def test_the_header_is_found_below_the_title_and_merged_cells_are_filled():
    rows = [_row(tax_code=201234560 + i, sector="Cơ khí") for i in range(3)]
    table = read_table("a.xlsx", messy_xlsx(rows, merge_column="sector"))
    assert table.header_row == 4
    assert set(table.columns.values()) >= {"name", "tax_code", "address", "sector", "employees", "founded"}
    sector = [i for i, key in table.columns.items() if key == "sector"][0]
    assert [cells[sector] for _, cells in table.rows] == ["Cơ khí"] * 3
    assert [number for number, _ in table.rows] == [5, 6, 7]


def test_a_csv_with_semicolons_reads_like_a_sheet():
    table = read_table("a.csv", csv_bytes([_row()], delimiter=";"))
    assert table.header_row == 1 and len(table.rows) == 1


def test_a_messy_sheet_previews_every_kind_of_row(staff):
    existing = BeneficiaryFactory(tax_code="0201234570", name="Cơ sở cũ", employees=3)
    unchanged = BeneficiaryFactory(tax_code="0201234571", name="Cơ sở y nguyên")
    rows = [
        _row(),  # new, with Excel's number tax code, NFD text, "1.200" employees
        _row(
            name=unicodedata.normalize("NFD", "HTX Mây tre Đức Thắng  "),
            legal_form="",
            tax_code="0201234568 ",
            founded=datetime.date(1999, 1, 2),
            address="xã Vĩnh Am, TP Hải Phòng",
        ),
        _row(name="Cơ sở cũ", tax_code=201234570, employees=40),  # update: employees 3 → 40
        _row(name="Lỗi", tax_code="12-34"),  # error
        _row(name="Không rõ xã", tax_code=201234572, address="xã Không Có, huyện Vĩnh Bảo"),  # review
        _row(name="Sai huyện", tax_code=201234573, address="xã A, huyện Không Có"),  # error
    ]
    data = messy_xlsx(rows)
    analysis = engine.analyse("a.xlsx", data)
    counts = analysis.counts
    assert (counts["create"], counts["update"], counts["error"], counts["review"]) == (3, 1, 2, 1)
    errors = analysis.report()["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(8, "MST"), (10, "Địa chỉ")}
    assert "12-34" in errors[0]["message"]
    update = analysis.rows("update")[0]
    assert update.pk == existing.pk and update.values["employees"] == 40 and "name" not in update.values
    created = analysis.rows("create")
    assert created[0].values["tax_code"] == "0201234567" and created[0].values["employees"] == 1200
    assert created[0].values["founded_year"] == 2005 and created[0].values["phone"] == "0912345678"
    assert created[1].values["name"] == "HTX Mây tre Đức Thắng"
    assert created[1].values["legal_form"] == LegalForm.COOPERATIVE
    assert unchanged.pk  # untouched by the file
    assert not Beneficiary.objects.filter(tax_code="0201234567").exists()  # the analysis wrote nothing


# -- the service: preview, confirm, upsert, duplicate file ------------------------------------------------------


def test_preview_writes_nothing_and_confirm_writes_everything_with_history(staff):
    batch = _start(staff, messy_xlsx([_row(), _row(name="Hộ kinh doanh Gốm Bảo Ngọc", tax_code=201234568)]))
    assert batch.status == ImportStatus.PREVIEWED and batch.created_count == 2
    assert not Beneficiary.objects.exists()
    batch = services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    assert batch.status == ImportStatus.DONE and batch.confirmed_by == staff and batch.plan == []
    beneficiary = Beneficiary.objects.get(tax_code="0201234567")
    assert beneficiary.unit.name == "Xã Tam Cường" and beneficiary.created_by == staff
    assert beneficiary.search_text.startswith("cong ty tnhh nuoc mam cat hai")
    history = beneficiary.history.get()
    assert history.history_user == staff and "danh-sach.xlsx" in history.history_change_reason
    assert len(batch.sha256) == 64 and batch.file_name == "danh-sach.xlsx"


def test_a_file_with_errors_writes_nothing_unless_the_user_takes_only_the_valid_rows(staff):
    batch = _start(staff, messy_xlsx([_row(), _row(name="Lỗi", tax_code="12-34")]))
    assert batch.error_count == 1
    with pytest.raises(services.ValidationError, match="dòng lỗi"):
        services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    assert not Beneficiary.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    batch = services.import_batch_confirm(actor=staff, batch=batch, valid_only=True)
    assert list(Beneficiary.objects.values_list("tax_code", flat=True)) == ["0201234567"]


def test_the_same_file_twice_is_refused(staff):
    data = messy_xlsx([_row()])
    services.import_batch_confirm(actor=staff, batch=_start(staff, data), valid_only=False)
    with pytest.raises(services.ValidationError, match="đã được nhập"):
        _start(staff, data)
    assert ImportBatch.objects.count() == 1 and Beneficiary.objects.count() == 1


def test_the_same_rows_in_another_file_change_nothing(staff):
    services.import_batch_confirm(actor=staff, batch=_start(staff, messy_xlsx([_row()])), valid_only=False)
    again = _start(staff, messy_xlsx([_row()], title=False))  # other bytes, same rows
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    services.import_batch_confirm(actor=staff, batch=again, valid_only=False)
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.history.count() == 1


def test_an_upsert_by_tax_code_updates_only_what_the_file_says(staff):
    existing = BeneficiaryFactory(tax_code="0201234567", name="Nước mắm cũ", representative="Trần Thị B", notes="giữ")
    batch = _start(staff, messy_xlsx([_row(notes=None)]))
    assert batch.updated_count == 1
    services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    existing.refresh_from_db()
    assert existing.name == "Công ty TNHH Nước mắm Cát Hải" and existing.representative == "Nguyễn Văn An"
    assert existing.notes == "giữ"  # an empty cell keeps the stored value
    assert existing.history.latest().history_type == "~"


def test_a_duplicate_identifier_inside_the_file_is_an_error(staff):
    batch = _start(staff, messy_xlsx([_row(), _row(name="Bản sao")]))
    assert batch.error_count == 1 and "dòng 5" in batch.report["errors"][0]["message"]


def test_confirm_refuses_when_the_registry_moved_since_the_preview(staff):
    batch = _start(staff, messy_xlsx([_row()]))
    BeneficiaryFactory(tax_code="0201234567")  # someone registered it meanwhile
    batch = services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    assert batch.status == ImportStatus.FAILED and "thay đổi" in batch.message
    assert Beneficiary.objects.count() == 1


def test_a_confirmed_batch_cannot_be_confirmed_twice(staff):
    batch = services.import_batch_confirm(actor=staff, batch=_start(staff, messy_xlsx([_row()])), valid_only=False)
    with pytest.raises(services.ValidationError):
        services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    assert Beneficiary.objects.count() == 1


def test_a_large_file_goes_to_the_worker(staff, settings, django_capture_on_commit_callbacks, monkeypatch):
    from beneficiaries import tasks

    # Run the task in-process whatever the broker (the real worker has its own test below).
    monkeypatch.setattr(tasks.analyse_import, "delay", lambda pk: tasks.analyse_import.apply(args=[pk]))
    monkeypatch.setattr(tasks.write_import, "delay", lambda pk: tasks.write_import.apply(args=[pk]))
    settings.IMPORT_INLINE_MAX_BYTES = 10  # every file is "large"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = _start(staff, messy_xlsx(realistic_rows(30)))
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and batch.created_count == 30
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and Beneficiary.objects.count() == 30


# -- bad input: a clear message, nothing written ---------------------------------------------------------------


def _password_protected_xlsx() -> bytes:
    # What Excel writes for a password: an OLE compound file holding an "EncryptedPackage" stream.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (200 * 1024 * 1024))
    return buffer.getvalue()


def _empty_xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _no_header_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Báo cáo", "quý 3"])
    workbook.active.append([1, 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BAD_FILES = [
    ("danh-sach.pdf", b"%PDF-1.4 ...", "Chỉ nhận tệp"),
    ("danh-sach.xlsx", b"PK\x03\x04 this is not a zip at all", "hỏng"),
    ("danh-sach.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "hỏng"),
    ("danh-sach.xlsx", _password_protected_xlsx(), "mật khẩu"),
    ("danh-sach.xlsx", _empty_xlsx(), "trống"),
    ("danh-sach.xlsx", _no_header_xlsx(), "dòng tiêu đề"),
    ("danh-sach.xlsx", _zip_bomb(), "giải nén ra quá lớn"),
    ("danh-sach.csv", b"\x00\x01\x02binary", "không phải văn bản"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=lambda v: v if isinstance(v, str) else "")
def test_bad_files_get_a_clear_message_and_write_nothing(login, staff, name, data, message):
    response = login(staff).post(reverse("beneficiaries:import"), {"file": _upload(data, name)})
    if response.status_code == 302:  # read after upload: the batch page shows the failure
        batch = ImportBatch.objects.get()
        assert batch.status == ImportStatus.FAILED and message in batch.message
        page = login(staff).get(response["Location"])
        assert message in page.text
    else:
        assert response.status_code == 400 and message in response.text
        assert not ImportBatch.objects.exists()
    assert not Beneficiary.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_reading(login, staff, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = login(staff).post(reverse("beneficiaries:import"), {"file": _upload(b"PK\x03\x04" + b"0" * 2000)})
    assert response.status_code == 400 and "lớn hơn giới hạn" in response.text
    assert not ImportBatch.objects.exists() and not Beneficiary.objects.exists()


def test_the_zip_bomb_is_refused_before_inflating(monkeypatch):
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", None)  # would explode if reached
    with pytest.raises(ImportFileError, match="quá lớn"):
        read_table("bomb.xlsx", _zip_bomb())


# -- pages and permissions -------------------------------------------------------------------------------------


def test_the_template_has_the_expected_columns_and_an_example_that_imports(login, staff):
    response = login(staff).get(reverse("beneficiaries:import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Tên cơ sở", "Loại hình", "Mã số thuế"]
    batch = _start(staff, response.content, "mau.xlsx")
    assert (batch.created_count, batch.error_count) == (1, 0), batch.report


def test_the_page_journey_upload_preview_confirm(login, staff):
    client = login(staff)
    response = client.post(
        reverse("beneficiaries:import"), {"file": _upload(messy_xlsx([_row(), _row(name="X", tax_code="1")]))}
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("beneficiaries:import_batch", args=[batch.pk])
    page = client.get(response["Location"])
    assert "Mã số thuế &#x27;1&#x27; không hợp lệ" in page.text or "Mã số thuế '1' không hợp lệ" in page.text
    assert "Chỉ nhập các dòng hợp lệ" in page.text
    client.post(reverse("beneficiaries:import_confirm", args=[batch.pk]))
    assert not Beneficiary.objects.exists()
    client.post(reverse("beneficiaries:import_confirm", args=[batch.pk]), {"valid_only": "on"})
    assert Beneficiary.objects.count() == 1
    status = client.get(reverse("beneficiaries:import_status", args=[batch.pk]), headers={"HX-Request": "true"})
    assert status.status_code == 204 and status["HX-Refresh"] == "true"


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("beneficiaries:import"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("persona", ["juror", "officer_a", "leader"])
def test_other_roles_cannot_import(request, login, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("beneficiaries:import")).status_code == 403
    response = client.post(reverse("beneficiaries:import"), {"file": _upload(messy_xlsx([_row()]))})
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_an_officer_cannot_confirm_a_staff_members_batch(login, staff, officer_a):
    batch = _start(staff, messy_xlsx([_row()]))
    assert login(officer_a).post(reverse("beneficiaries:import_confirm", args=[batch.pk])).status_code == 403
    assert not Beneficiary.objects.exists()


@pytest.mark.worker
def test_a_real_worker_previews_and_writes_while_the_page_polls(transactional_db, celery_worker, settings, client):
    import time

    from accounts.roles import Role
    from tests.factories import UserFactory

    # The worker process reads uploads from its own MEDIA_ROOT (tests/worker.py's, not this test's tmp dir).
    settings.MEDIA_ROOT = celery_worker.env["MEDIA_ROOT"]
    staff = UserFactory(username="staff-worker", role=Role.STAFF)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    settings.IMPORT_INLINE_MAX_BYTES = 10
    batch = _start(staff, messy_xlsx(realistic_rows(300)))

    def wait_for(status):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            batch.refresh_from_db()
            if batch.status == status:
                return
            poll = client.get(reverse("beneficiaries:import_status", args=[batch.pk]))
            assert poll.status_code == 200
            time.sleep(0.3)
        raise AssertionError(f"still {batch.status}")

    wait_for(ImportStatus.PREVIEWED)
    assert batch.created_count == 300 and not Beneficiary.objects.exists()
    services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    wait_for(ImportStatus.DONE)
    assert Beneficiary.objects.count() == 300
    batch.file.delete(save=False)


# -- registry columns: date and place of the business registration ---------------------------------------------

REGISTRY_HEADERS = ["Tên cơ sở", "Mã số thuế", "Địa chỉ", "Ngày cấp ĐKKD", "Nơi cấp", "Số lao động"]
REGISTRY_KEYS = ["name", "tax_code", "address", "registration_date", "registration_place", "employees"]


def _registry_row(**over):
    row = {
        "name": "Công ty TNHH Nước mắm Cát Hải",
        "tax_code": "0201234567",
        "address": "Thôn 3, xã Tam Cường, huyện Vĩnh Bảo",
        "registration_date": "15/03/2015",
        "registration_place": "Sở Kế hoạch và Đầu tư Hải Phòng",
        "employees": 12,
    }
    row.update(over)
    return row


def _registry_xlsx(rows):
    return messy_xlsx(rows, headers=REGISTRY_HEADERS, keys=REGISTRY_KEYS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15/03/2015", datetime.date(2015, 3, 15)),
        ("5.3.2015", datetime.date(2015, 3, 5)),
        (datetime.datetime(2015, 3, 15, 0, 0), datetime.date(2015, 3, 15)),
        (None, None),
    ],
)
def test_registration_dates_are_day_first(raw, expected):
    assert cleaning.date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2020", "2020-03-15", "15/2020", "hôm qua", 20200315])
def test_a_registration_date_not_written_dd_mm_yyyy_is_an_error(raw):
    with pytest.raises(cleaning.CellError):
        cleaning.date(raw)


def test_the_registration_date_and_place_are_stored_with_history(staff):
    batch = _start(staff, _registry_xlsx([_registry_row()]))
    assert (batch.created_count, batch.error_count) == (1, 0), batch.report
    assert "Ngày cấp ĐKKD" not in batch.report["ignored_columns"]
    services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.registration_date == datetime.date(2015, 3, 15)
    assert beneficiary.registration_place == "Sở Kế hoạch và Đầu tư Hải Phòng"
    assert beneficiary.history.get().registration_date == datetime.date(2015, 3, 15)


def test_a_changed_registration_date_is_an_update_and_the_same_one_unchanged(staff):
    services.import_batch_confirm(actor=staff, batch=_start(staff, _registry_xlsx([_registry_row()])), valid_only=False)
    same = engine.analyse("a.xlsx", _registry_xlsx([_registry_row()]))
    assert same.counts["unchanged"] == 1
    batch = _start(staff, _registry_xlsx([_registry_row(registration_date="16/03/2015")]))
    assert batch.updated_count == 1
    services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.registration_date == datetime.date(2015, 3, 16) and beneficiary.history.count() == 2


@pytest.mark.parametrize(
    ("over", "column", "fragment"),
    [
        ({"registration_date": "31/02/2020"}, "Ngày cấp ĐKKD", "31/02/2020"),
        ({"registration_date": "2020-03-15"}, "Ngày cấp ĐKKD", "dd/mm/yyyy"),
        ({"registration_date": "01/01/2099"}, "Ngày cấp ĐKKD", "sau hôm nay"),
        ({"employees": -3}, "Số lao động", "số âm"),
        ({"employees": "mười"}, "Số lao động", "số nguyên"),
    ],
)
def test_a_known_column_with_a_bad_value_is_a_row_error_and_nothing_is_written(staff, over, column, fragment):
    batch = _start(staff, _registry_xlsx([_registry_row(tax_code="0201234568"), _registry_row(**over)]))
    assert batch.error_count == 1
    [error] = batch.report["errors"]
    assert (error["row"], error["column"]) == (6, column) and fragment in error["message"]
    with pytest.raises(services.ValidationError, match="dòng lỗi"):
        services.import_batch_confirm(actor=staff, batch=batch, valid_only=False)
    assert not Beneficiary.objects.exists()
