"""The establishment picker's search: the user's establishments only, diacritics ignored, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import BeneficiaryStatus
from tests.conftest import AREA_A
from tests.factories import BeneficiaryFactory, first_commune

URL = reverse("beneficiaries:search")


def _values(response):
    assert response.status_code == 200
    return {int(row["value"]) for row in response.json()["results"]}


@pytest.mark.django_db
def test_staff_finds_an_establishment_without_typing_diacritics(login, staff, beneficiary_a, beneficiary_b):
    assert _values(login(staff).get(URL, {"q": "nuoc mam"})) == {beneficiary_b.pk}
    row = login(staff).get(URL, {"q": beneficiary_b.tax_code}).json()["results"][0]
    assert row["text"].startswith(f"Nước mắm Cát Hải ({beneficiary_b.tax_code}) · ")


@pytest.mark.django_db
def test_an_officer_finds_only_establishments_of_their_areas(login, officer_a, beneficiary_a, beneficiary_b):
    assert _values(login(officer_a).get(URL)) == {beneficiary_a.pk}
    assert _values(login(officer_a).get(URL, {"q": "nuoc mam"})) == set()


@pytest.mark.django_db
def test_archived_establishments_are_not_offered(login, staff, beneficiary_a):
    beneficiary_a.status = BeneficiaryStatus.ARCHIVED
    beneficiary_a.save()
    assert _values(login(staff).get(URL, {"q": "co khi"})) == set()


@pytest.mark.django_db
def test_a_juror_is_refused_and_anonymous_sent_to_login(client, login, juror):
    assert client.get(URL).status_code == 302
    assert login(juror).get(URL).status_code == 403


@pytest.mark.django_db
def test_query_count_is_the_same_for_one_and_a_full_page(login, staff):
    BeneficiaryFactory(name="Làng nghề gốm độc nhất", unit=first_commune(AREA_A))
    for n in range(25):
        BeneficiaryFactory(name=f"Cơ sở mây tre {n}", unit=first_commune(AREA_A))
    client = login(staff)
    counts = []
    for q in ("doc nhat", "may tre"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"q": q})
        counts.append(len(ctx))
    assert response.json()["more"] is True and len(response.json()["results"]) == 20
    assert counts[0] == counts[1]
