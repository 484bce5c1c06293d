from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contest.documents import certificate_data
from contest.models import Certificate, ContestState, certificate_valid_until
from contest.services import certificates_issue, contest_transition
from tests.contest.conftest import score


@pytest.mark.parametrize(
    ("issued", "valid"),
    [
        (date(2021, 11, 30), date(2024, 12, 31)),
        (date(2021, 1, 1), date(2024, 12, 31)),
        (date(2021, 12, 31), date(2024, 12, 31)),
        (date(2022, 1, 1), date(2025, 12, 31)),
        (date(2024, 2, 29), date(2027, 12, 31)),
    ],
)
def test_a_certificate_is_valid_to_31_december_of_the_fourth_year(issued, valid):
    assert certificate_valid_until(issued) == valid


def _published(staff, jurors, contest):
    a, b, c = contest.entries.order_by("number")
    for juror in jurors[:3]:
        score(juror, a, [35, 35, 8, 8])
        score(juror, b, [30, 30, 8, 8])
        score(juror, c, [30, 30, 4, 4])
    contest_transition(actor=staff, contest=contest, to_state=ContestState.CLOSED)
    contest = contest_transition(
        actor=staff,
        contest=contest,
        to_state=ContestState.PUBLISHED,
        result_decision_number="1234/QĐ-UBND",
        result_decision_date=date(2026, 11, 30),
    )
    return contest, (a, b, c)


@pytest.mark.django_db
def test_the_secretary_issues_one_certificate_per_passing_entry(login, staff, jurors, contest):
    contest, (a, b, c) = _published(staff, jurors, contest)
    client = login(staff)
    url = reverse("contest:certificates", args=[contest.pk])
    assert client.post(url, {"issued_on": "05/12/2026"}).status_code == 302
    certificates = list(Certificate.objects.order_by("sequence"))
    assert [x.entry for x in certificates] == [a, b]
    first = certificates[0]
    assert first.number == "01/2026/SPCNNTTB" and first.valid_until == date(2029, 12, 31)
    assert first.score == 86 and first.decision_number == "1234/QĐ-UBND" and first.issued_by == staff
    assert first.beneficiary_name == a.beneficiary.name and first.commune == a.beneficiary.unit.name
    # Asking again issues nothing new.
    response = client.post(url, {"issued_on": "06/12/2026"}, follow=True)
    assert "Không có giấy chứng nhận mới" in response.text
    assert Certificate.objects.count() == 2
    assert "01/2026/SPCNNTTB" in client.get(url).text


@pytest.mark.django_db
def test_certificates_wait_for_published_results(staff, jurors, contest):
    with pytest.raises(PermissionDenied, match="sau khi công bố"):
        certificates_issue(actor=staff, contest=contest)
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_certificates_are_for_the_office(login, staff, leader, jurors, contest, officer_a):
    contest, _ = _published(staff, jurors, contest)
    url = reverse("contest:certificates", args=[contest.pk])
    assert login(leader).post(url, {"issued_on": "05/12/2026"}).status_code == 403
    assert login(jurors[0]).get(url).status_code == 403
    assert login(officer_a).get(url).status_code == 403
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_a_bad_issue_date_is_explained_and_nothing_issued(login, staff, jurors, contest):
    contest, _ = _published(staff, jurors, contest)
    response = login(staff).post(reverse("contest:certificates", args=[contest.pk]), {"issued_on": "31/02/2026"})
    assert response.status_code == 400 and "31/02/2026" in response.text
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_the_public_page_lists_certified_products_without_login_or_personal_data(client, staff, jurors, contest):
    contest, (a, b, c) = _published(staff, jurors, contest)
    a.beneficiary.phone = "0912345678"
    a.beneficiary.representative = "Trần Văn Đại Diện"
    a.beneficiary.save()
    certificates_issue(actor=staff, contest=contest, issued_on=date(2026, 12, 5))
    response = client.get(reverse("contest:public", args=[contest.pk]))
    assert response.status_code == 200
    assert a.product_name in response.text and b.product_name in response.text and c.product_name not in response.text
    assert a.beneficiary.unit.name in response.text and "31/12/2029" in response.text
    for private in ("0912345678", "Trần Văn Đại Diện", a.beneficiary.tax_code, a.beneficiary.address):
        assert private not in response.text
    assert client.get(reverse("contest:public_index")).status_code == 200


@pytest.mark.django_db
def test_an_unpublished_contest_has_no_public_page(client, contest):
    assert client.get(reverse("contest:public", args=[contest.pk])).status_code == 404


@pytest.mark.django_db
def test_the_establishment_page_shows_its_certified_products(login, staff, jurors, contest):
    contest, (a, _b, _c) = _published(staff, jurors, contest)
    certificates_issue(actor=staff, contest=contest, issued_on=date(2026, 12, 5))
    page = login(staff).get(reverse("beneficiaries:detail", args=[a.beneficiary.pk]))
    assert 'data-testid="certified-products"' in page.text
    assert a.product_name in page.text and "31/12/2029" in page.text


def test_certificate_data_uses_what_was_copied_at_issue_time(db, staff, jurors, contest):
    contest, (a, _b, _c) = _published(staff, jurors, contest)
    certificates_issue(actor=staff, contest=contest, issued_on=date(2026, 12, 5))
    a.beneficiary.name = "Tên mới sau khi cấp"
    a.beneficiary.save()
    data = certificate_data(Certificate.objects.get(entry=a))
    assert data["beneficiary_name"] != "Tên mới sau khi cấp" and data["valid_until"] == "31/12/2029"
    assert data["issued_on"] == "2026-12-05" and data["number"] == "01/2026/SPCNNTTB"
