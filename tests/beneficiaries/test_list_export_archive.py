"""List filters and order, the .xlsx export, near-duplicate warnings and archiving."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries import services
from beneficiaries.exporting import neutralise
from beneficiaries.models import Beneficiary, BeneficiaryStatus, CraftVillage, LegalForm
from core.widgets import INLINE_LIMIT
from tests.conftest import AREA_A, AREA_B
from tests.factories import BeneficiaryFactory, first_commune, unit

pytestmark = pytest.mark.django_db


def _names(response):
    return [b.name for b in response.context["page"].object_list]


def _ward():
    return unit("/31/d303/").children.filter(unit_type="phuong").first()


def test_the_list_is_in_vietnamese_order(login, staff):
    for name in ["Đức Thành", "Yên Bình", "Dũng Tiến", "Ánh Dương", "Ê Đê", "An Phú"]:
        BeneficiaryFactory(name=name)
    assert _names(login(staff).get(reverse("beneficiaries:list"))) == [
        "An Phú",
        "Ánh Dương",
        "Dũng Tiến",
        "Đức Thành",
        "Ê Đê",
        "Yên Bình",
    ]


def test_a_district_filter_covers_its_communes(login, staff):
    BeneficiaryFactory(name="Ở Thủy Nguyên", unit=first_commune(AREA_A))
    BeneficiaryFactory(name="Ở Cát Hải", unit=first_commune(AREA_B))
    response = login(staff).get(reverse("beneficiaries:list"), {"unit": unit(AREA_A).pk})
    assert _names(response) == ["Ở Thủy Nguyên"]


def test_filters_by_legal_form_sector_status_and_review(login, staff):
    BeneficiaryFactory(name="HTX A", legal_form=LegalForm.COOPERATIVE, sector="Mây tre đan", needs_review=True)
    BeneficiaryFactory(name="Công ty B", sector="Cơ khí")
    BeneficiaryFactory(name="Cũ C", status=BeneficiaryStatus.ARCHIVED)
    client = login(staff)
    url = reverse("beneficiaries:list")
    assert _names(client.get(url)) == ["Công ty B", "HTX A"]  # archived hidden by default
    assert _names(client.get(url, {"legal_form": LegalForm.COOPERATIVE})) == ["HTX A"]
    assert _names(client.get(url, {"sector": "mây tre"})) == ["HTX A"]
    assert _names(client.get(url, {"status": "archived"})) == ["Cũ C"]
    assert _names(client.get(url, {"needs_review": "yes"})) == ["HTX A"]
    assert _names(client.get(url, {"needs_review": "no"})) == ["Công ty B"]


def test_the_eligibility_filter_matches_compute_eligibility(login, staff, leader):
    from beneficiaries.eligibility import compute_eligibility

    ward = _ward()
    village = CraftVillage.objects.create(name="Làng nghề X", unit=ward, recognised=True)
    commune = unit(AREA_A).children.filter(unit_type="xa").first()
    in_commune = BeneficiaryFactory(name="Xã", unit=commune)
    in_ward = BeneficiaryFactory(name="Phường", unit=ward)
    in_village = BeneficiaryFactory(name="Làng nghề", unit=ward, craft_village=village)
    overridden = BeneficiaryFactory(name="Điều chỉnh", unit=commune)
    services.beneficiary_override_eligibility(actor=leader, beneficiary=overridden, eligible=False, reason="Đã chuyển")
    district_only = BeneficiaryFactory(name="Chỉ huyện", unit=unit(AREA_A))
    client = login(staff)
    yes = set(_names(client.get(reverse("beneficiaries:list"), {"eligible": "yes"})))
    no = set(_names(client.get(reverse("beneficiaries:list"), {"eligible": "no"})))
    assert yes == {"Xã", "Làng nghề"} and no == {"Phường", "Điều chỉnh", "Chỉ huyện"}
    for b in (in_commune, in_ward, in_village, overridden, district_only):
        b.refresh_from_db()
        assert compute_eligibility(b).eligible == (b.name in yes)


def test_the_has_project_filter_splits_establishments_with_and_without_a_de_an(login, staff):
    from tests.factories import ProjectFactory

    with_project = BeneficiaryFactory(name="Có đề án")
    BeneficiaryFactory(name="Chưa có đề án")
    ProjectFactory().beneficiaries.add(with_project)
    client = login(staff)
    assert _names(client.get(reverse("beneficiaries:list"), {"has_project": "yes"})) == ["Có đề án"]
    assert _names(client.get(reverse("beneficiaries:list"), {"has_project": "no"})) == ["Chưa có đề án"]


def test_search_without_diacritics_combines_with_filters(login, staff):
    BeneficiaryFactory(name="Nước mắm Cát Hải", search_text="nuoc mam cat hai", unit=first_commune(AREA_B))
    BeneficiaryFactory(name="Nước mắm Vạn Hương", search_text="nuoc mam van huong", unit=first_commune(AREA_A))
    response = login(staff).get(reverse("beneficiaries:list"), {"q": "nuoc mam", "unit": unit(AREA_B).pk})
    assert _names(response) == ["Nước mắm Cát Hải"]


def test_filtered_list_runs_the_same_queries_for_25_and_100_rows(login, staff):
    BeneficiaryFactory.create_batch(120, legal_form=LegalForm.ENTERPRISE)
    client = login(staff)
    client.get(reverse("beneficiaries:list"))
    counts = {}
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("beneficiaries:list"), {"per_page": per_page, "legal_form": "doanh_nghiep", "eligible": "no"}
            )
        assert len(response.context["page"].object_list) == per_page
        counts[per_page] = len(queries)
    assert counts[25] == counts[100], counts


# -- export ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text
    assert neutralise("Nước mắm") == "Nước mắm" and neutralise(12) == 12


def test_the_export_opens_in_openpyxl_with_vietnamese_headers_and_no_formula(login, staff):
    BeneficiaryFactory(name='=HYPERLINK("http://evil","Bấm")', employees=1200, founded_year=2005)
    BeneficiaryFactory(name="Cơ khí Thành Phương", tax_code="0201234567")
    response = login(staff).get(reverse("beneficiaries:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Tên cơ sở", "Loại hình", "Mã số thuế")
    names = [row[1] for row in rows[1:]]
    assert "Cơ khí Thành Phương" in names
    assert '\'=HYPERLINK("http://evil","Bấm")' in names
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)
    column = rows[0].index("Số lao động")
    employees = [row for row in sheet.iter_rows(min_row=2) if row[1].value.startswith("'=")][0][column]
    assert employees.value == 1200 and employees.number_format == "#,##0"
    assert [row[3] for row in rows[1:] if row[1] == "Cơ khí Thành Phương"] == ["0201234567"]


def test_an_officer_exports_only_their_area(login, officer_a, beneficiary_a, beneficiary_b):
    response = login(officer_a).get(reverse("beneficiaries:export"))
    names = [
        row[1] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert names == [beneficiary_a.name]


def test_the_export_follows_the_filters(login, staff, beneficiary_a, beneficiary_b):
    response = login(staff).get(reverse("beneficiaries:export"), {"q": "nuoc mam"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == ["Nước mắm Cát Hải"]


def test_a_juror_cannot_export(login, juror, beneficiary_a):
    assert login(juror).get(reverse("beneficiaries:export")).status_code == 403


def test_anonymous_cannot_export(client):
    assert client.get(reverse("beneficiaries:export")).status_code == 302


# -- near-duplicates ---------------------------------------------------------------------------------------------


def _form(unit, **over):
    data = {
        "name": "Công ty TNHH Nước Mắm Cát Hải",
        "legal_form": LegalForm.ENTERPRISE,
        "tax_code": "0201234599",
        "address": "Thôn 2",
        "unit": unit.pk,
    }
    data.update(over)
    return data


def test_a_near_duplicate_in_the_same_commune_is_warned_and_saved_only_when_confirmed(login, staff, beneficiary_b):
    client = login(staff)
    response = client.post(reverse("beneficiaries:create"), _form(beneficiary_b.unit))
    assert response.status_code == 200 and "Có thể trùng" in response.text and "Nước mắm Cát Hải" in response.text
    assert Beneficiary.objects.count() == 1
    response = client.post(reverse("beneficiaries:create"), _form(beneficiary_b.unit, confirm_duplicate="on"))
    assert response.status_code == 302 and Beneficiary.objects.count() == 2


def test_the_same_name_in_another_commune_is_no_duplicate(login, staff, beneficiary_b):
    response = login(staff).post(reverse("beneficiaries:create"), _form(first_commune(AREA_A)))
    assert response.status_code == 302


def test_editing_a_record_does_not_warn_about_itself(login, staff, beneficiary_b):
    data = _form(beneficiary_b.unit, name="Nước mắm Cát Hải", tax_code=beneficiary_b.tax_code)
    response = login(staff).post(reverse("beneficiaries:edit", args=[beneficiary_b.pk]), data)
    assert response.status_code == 302


# -- archive -----------------------------------------------------------------------------------------------------


def test_staff_archive_with_a_reason_and_restore(login, staff, beneficiary_a):
    client = login(staff)
    url = reverse("beneficiaries:archive", args=[beneficiary_a.pk])
    client.post(url, {"reason": ""})
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.status == BeneficiaryStatus.ACTIVE
    client.post(url, {"reason": "Ngừng hoạt động"})
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.status == BeneficiaryStatus.ARCHIVED
    latest = beneficiary_a.history.latest()
    assert latest.history_user == staff and latest.history_change_reason == "Ngừng hoạt động"
    assert beneficiary_a.name not in _names(client.get(reverse("beneficiaries:list")))
    assert client.post(url, {"reason": "lần nữa"}).status_code == 403  # already archived
    client.post(reverse("beneficiaries:restore", args=[beneficiary_a.pk]))
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.status == BeneficiaryStatus.ACTIVE


@pytest.mark.parametrize("persona", ["officer_a", "leader"])
def test_other_roles_cannot_archive(request, login, persona, beneficiary_a):
    response = login(request.getfixturevalue(persona)).post(
        reverse("beneficiaries:archive", args=[beneficiary_a.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.status == BeneficiaryStatus.ACTIVE


def test_archiving_outside_ones_area_is_a_404(login, officer_b, beneficiary_a):
    response = login(officer_b).post(reverse("beneficiaries:archive", args=[beneficiary_a.pk]), {"reason": "x"})
    assert response.status_code == 404


def test_anonymous_cannot_archive(client, beneficiary_a):
    assert client.post(reverse("beneficiaries:archive", args=[beneficiary_a.pk]), {"reason": "x"}).status_code == 302
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.status == BeneficiaryStatus.ACTIVE


def test_the_import_template_stays_vietnamese_for_an_english_user(login, staff):
    from django.utils import translation

    staff.language = "en"
    staff.save(update_fields=["language"])
    response = login(staff).get(reverse("beneficiaries:import_template"))
    translation.activate("vi")
    headers = [cell.value for cell in next(load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=1))]
    assert "Tên cơ sở" in headers
    assert "Mã số thuế" in headers


def test_filter_selects_keep_the_choice_and_escape_labels(login, staff):
    from areas.models import AdministrativeUnit

    district = unit(AREA_B)
    AdministrativeUnit.objects.filter(pk=district.pk).update(name="Cát Hải <b>&</b>")
    client = login(staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("beneficiaries:list"), {"unit": district.pk, "legal_form": "hop_tac_xa"})
    html = response.content.decode()
    assert f'<option value="{district.pk}" selected>Cát Hải &lt;b&gt;&amp;&lt;/b&gt; (trước 7/2025)</option>' in html
    assert '<option value="hop_tac_xa" selected>Hợp tác xã</option>' in html
    assert '<option value="" selected>Tất cả</option>' in html  # an untouched filter keeps its empty choice
    # The unit filter is a server-searched picker; without JavaScript it holds the whole list up to INLINE_LIMIT
    # options (core.widgets), the chosen one selected once.
    assert 'data-search-url="/dia-ban/tim/" id="id_unit" name="unit" data-search-select>' in html
    select = html[html.index('id="id_unit"') : html.index("</select>", html.index('id="id_unit"'))]
    assert 2 <= select.count("<option") <= INLINE_LIMIT + 1 and select.count(" selected>") == 1
    # The unit choices come from one plain query (no server-side cursor round trips).
    unit_queries = [q["sql"] for q in queries.captured_queries if "areas_administrativeunit" in q["sql"]]
    assert not any(sql.startswith(("DECLARE", "CLOSE")) for sql in unit_queries)


def test_pages_hold_the_same_rows_as_plain_slicing(login, staff):
    BeneficiaryFactory.create_batch(60)
    Beneficiary.objects.filter(pk__in=Beneficiary.objects.values("pk")[:3]).update(status=BeneficiaryStatus.ARCHIVED)
    expected = list(Beneficiary.objects.exclude(status=BeneficiaryStatus.ARCHIVED).values_list("name", flat=True))
    client = login(staff)
    seen = []
    for number in (1, 2, 3, 4):  # 4 is past the end: the last page again
        response = client.get(reverse("beneficiaries:list"), {"page": number})
        seen.append([b.name for b in response.context["page"]])
    assert seen[0] == expected[:25] and seen[1] == expected[25:50] and seen[2] == expected[50:]
    assert seen[3] == seen[2]
    assert response.context["page"].paginator.count == 57
