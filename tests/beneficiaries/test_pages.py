import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import Beneficiary, BeneficiaryStatus, LegalForm
from tests.conftest import AREA_A, AREA_B
from tests.factories import BeneficiaryFactory, first_commune

pytestmark = pytest.mark.django_db


def _form(unit, **over):
    data = {
        "name": "Cơ sở chế biến nước mắm Hải Hưng",
        "legal_form": LegalForm.HOUSEHOLD,
        "tax_code": "201234567",
        "registration_number": "",
        "address": "Thôn 2",
        "unit": unit.pk,
        "sector": "Chế biến thủy sản",
        "employees": "12",
        "founded_year": "2005",
    }
    data.update(over)
    return data


def test_staff_creates_an_establishment_and_the_tax_code_gets_its_leading_zero(login, staff):
    unit = first_commune(AREA_B)
    response = login(staff).post(reverse("beneficiaries:create"), _form(unit))
    beneficiary = Beneficiary.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "beneficiaries:detail", args=[beneficiary.pk]
    )
    assert beneficiary.tax_code == "0201234567"
    assert beneficiary.status == BeneficiaryStatus.ACTIVE
    assert beneficiary.created_by == staff
    assert beneficiary.search_text.startswith("co so che bien nuoc mam hai hung")
    assert beneficiary.history.get().history_user == staff


def test_the_registration_date_and_place_are_entered_and_shown_on_the_page(login, staff):
    client = login(staff)
    data = _form(first_commune(AREA_B), registration_date="15/03/2015", registration_place="UBND huyện Vĩnh Bảo")
    client.post(reverse("beneficiaries:create"), data)
    beneficiary = Beneficiary.objects.get()
    assert str(beneficiary.registration_date) == "2015-03-15"
    page = client.get(reverse("beneficiaries:detail", args=[beneficiary.pk])).text
    assert "15/03/2015, UBND huyện Vĩnh Bảo" in page


def test_a_registration_date_after_today_is_refused_and_what_was_typed_is_kept(login, staff):
    data = _form(first_commune(AREA_B), registration_date="01/01/2099")
    response = login(staff).post(reverse("beneficiaries:create"), data)
    assert response.status_code == 200 and "Ngày cấp không được sau hôm nay." in response.text
    assert "01/01/2099" in response.text and not Beneficiary.objects.exists()


def test_an_officer_proposes_an_establishment_in_their_area(login, officer_a):
    login(officer_a).post(reverse("beneficiaries:create"), _form(first_commune(AREA_A)))
    assert Beneficiary.objects.get().status == BeneficiaryStatus.PROPOSED


def test_an_officer_cannot_create_one_outside_their_area(login, officer_a):
    response = login(officer_a).post(reverse("beneficiaries:create"), _form(first_commune(AREA_B)))
    assert response.status_code == 200  # the unit is not among the choices: a form error, not a save
    assert "unit" in response.context["form"].errors
    assert not Beneficiary.objects.exists()


def test_a_bad_tax_code_is_explained_and_what_was_typed_is_kept(login, staff):
    response = login(staff).post(reverse("beneficiaries:create"), _form(first_commune(AREA_A), tax_code="12-34"))
    assert response.status_code == 200
    assert "Mã số thuế" in response.text and "không hợp lệ" in response.text
    assert "Cơ sở chế biến nước mắm Hải Hưng" in response.text
    assert not Beneficiary.objects.exists()


def test_the_same_tax_code_twice_is_refused(login, staff, beneficiary_a):
    response = login(staff).post(
        reverse("beneficiaries:create"), _form(first_commune(AREA_A), tax_code=beneficiary_a.tax_code)
    )
    assert response.status_code == 200
    assert Beneficiary.objects.count() == 1


def test_an_identifier_is_required(login, staff):
    response = login(staff).post(reverse("beneficiaries:create"), _form(first_commune(AREA_A), tax_code=""))
    assert "Cần mã số thuế" in response.text
    assert not Beneficiary.objects.exists()


def test_a_malformed_tax_code_gets_its_own_message_only(login, staff):
    response = login(staff).post(reverse("beneficiaries:create"), _form(first_commune(AREA_A), tax_code="12ab"))
    assert response.status_code == 200
    errors = response.context["form"].errors["tax_code"]
    assert len(errors) == 1 and "Cần mã số thuế" not in errors[0]
    assert 'value="12ab"' in response.text  # what was typed stays
    assert not Beneficiary.objects.exists()


def test_editing_writes_a_history_row_with_who_and_what(login, staff, beneficiary_a):
    client = login(staff)
    data = _form(beneficiary_a.unit, name="Cơ khí Thủy Nguyên mới", tax_code=beneficiary_a.tax_code)
    assert client.post(reverse("beneficiaries:edit", args=[beneficiary_a.pk]), data).status_code == 302
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.name == "Cơ khí Thủy Nguyên mới"
    latest = beneficiary_a.history.order_by("-history_id").first()
    assert latest.history_type == "~" and latest.history_user == staff
    page = client.get(reverse("beneficiaries:detail", args=[beneficiary_a.pk]))
    assert "Lịch sử thay đổi" in page.text
    assert "Cơ khí Thủy Nguyên" in page.text and "Cơ khí Thủy Nguyên mới" in page.text


def test_an_officer_cannot_move_an_establishment_out_of_their_area(login, officer_a, beneficiary_a):
    data = _form(first_commune(AREA_B), tax_code=beneficiary_a.tax_code)
    login(officer_a).post(reverse("beneficiaries:edit", args=[beneficiary_a.pk]), data)
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.unit.path.startswith(AREA_A)


def test_a_leader_overrides_eligibility_with_a_reason(login, leader, beneficiary_a):
    client = login(leader)
    url = reverse("beneficiaries:override", args=[beneficiary_a.pk])
    refused = client.post(url, {"decision": "0", "reason": ""})
    assert refused.status_code == 400
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.eligibility_override is None
    client.post(url, {"decision": "0", "reason": "Cơ sở đã chuyển ra khu công nghiệp"})
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.eligibility_override is False
    assert beneficiary_a.eligibility_override_by == leader
    page = client.get(reverse("beneficiaries:detail", args=[beneficiary_a.pk]))
    assert "Cơ sở đã chuyển ra khu công nghiệp" in page.text


def test_staff_cannot_override_eligibility(login, staff, beneficiary_a):
    response = login(staff).post(
        reverse("beneficiaries:override", args=[beneficiary_a.pk]), {"decision": "1", "reason": "x"}
    )
    assert response.status_code == 403
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.eligibility_override is None


def test_search_ignores_diacritics_and_case(login, staff):
    BeneficiaryFactory(name="Nước mắm Cát Hải", search_text="nuoc mam cat hai", unit=first_commune(AREA_B))
    BeneficiaryFactory(name="Cơ khí đúc", search_text="co khi duc")
    response = login(staff).get(reverse("beneficiaries:list"), {"q": "NUOC mam"})
    assert "Nước mắm Cát Hải" in response.text
    assert "Cơ khí đúc" not in response.text


def test_the_list_runs_the_same_queries_whatever_the_page_size(login, staff):
    BeneficiaryFactory.create_batch(120)
    client = login(staff)
    client.get(reverse("beneficiaries:list"))  # warm the session
    counts = {}
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("beneficiaries:list"), {"per_page": per_page})
        assert len(response.context["page"].object_list) == per_page
        counts[per_page] = len(queries)
    assert counts[25] == counts[100], counts
    assert counts[25] <= 9, counts  # session, user, roles, count, the filter's unit choices, the page, session save


def test_the_detail_page_shows_a_missing_founding_year_as_a_dash_and_a_year_without_grouping(login, staff):
    from tests.factories import BeneficiaryFactory

    unknown = BeneficiaryFactory(founded_year=None)
    known = BeneficiaryFactory(founded_year=2005)
    client = login(staff)
    page = client.get(reverse("beneficiaries:detail", args=[unknown.pk])).content.decode()
    assert "None" not in page
    page = client.get(reverse("beneficiaries:detail", args=[known.pk])).content.decode()
    assert "2005" in page and "2.005" not in page
