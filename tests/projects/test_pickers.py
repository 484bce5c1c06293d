"""Đề án and organisation pickers: scoped, state-filtered, diacritic-insensitive searches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Organisation, ProjectStatus
from tests.conftest import AREA_B
from tests.factories import ProjectFactory, first_commune

URL = reverse("projects:search")
ORG_URL = reverse("projects:organisation_search")


def _values(response):
    assert response.status_code == 200
    return {int(row["value"]) for row in response.json()["results"]}


@pytest.mark.django_db
def test_staff_finds_a_project_by_words_without_diacritics(login, staff):
    wanted = ProjectFactory(title="Đề án đảo chượp nước mắm")
    ProjectFactory(title="Đề án máy cơ khí")
    assert _values(login(staff).get(URL, {"q": "dao chuop"})) == {wanted.pk}


@pytest.mark.django_db
def test_status_parameter_limits_the_offer(login, staff):
    registered = ProjectFactory(status=ProjectStatus.REGISTERED)
    ProjectFactory(status=ProjectStatus.DRAFT)
    assert _values(login(staff).get(URL, {"status": "registered,appraised"})) == {registered.pk}
    # An unknown status is ignored rather than an error.
    assert registered.pk in _values(login(staff).get(URL, {"status": "nonsense"}))


@pytest.mark.django_db
def test_an_officer_sees_only_projects_of_their_areas(login, officer_a):
    mine = ProjectFactory()
    ProjectFactory(unit=first_commune(AREA_B))
    assert _values(login(officer_a).get(URL)) == {mine.pk}


@pytest.mark.django_db
def test_a_juror_is_refused(login, juror):
    assert login(juror).get(URL).status_code == 403
    assert login(juror).get(ORG_URL).status_code == 403


@pytest.mark.django_db
def test_query_count_is_constant(login, staff):
    ProjectFactory(title="Đề án duy nhất lò gốm")
    for _n in range(22):
        ProjectFactory()
    client = login(staff)
    counts = []
    for q in ("lo gom", "de an"):
        with CaptureQueriesContext(connection) as ctx:
            client.get(URL, {"q": q})
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_organisations_match_without_diacritics_and_only_active_ones(login, staff):
    Organisation.objects.create(name="Hội Nông dân xã Đông Hưng", short_name="HND Đông Hưng")
    Organisation.objects.create(name="Hợp tác xã Đông Cũ", active=False)
    texts = [r["text"] for r in login(staff).get(ORG_URL, {"q": "dong"}).json()["results"]]
    assert texts == ["Hội Nông dân xã Đông Hưng (HND Đông Hưng)"]
