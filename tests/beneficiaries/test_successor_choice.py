"""An establishment entered with an old commune that was split asks, once, which new commune it belongs to;
after that, reports count it there and an officer of that commune covers it."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from areas.models import AdministrativeUnit
from beneficiaries.selectors import beneficiary_list
from tests.conftest import AREA_A
from tests.factories import BeneficiaryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_case():
    old = AdministrativeUnit.objects.get(path__startswith=AREA_A, name="Phường Lê Hồng Phong")
    links = list(old.successor_links.select_related("successor").order_by("successor__path"))
    b = BeneficiaryFactory(name="Cơ khí Lê Hồng Phong", unit=old)
    return b, [link.successor for link in links]


def url(b):
    return reverse("beneficiaries:choose_successor", args=[b.pk])


def test_the_page_asks_and_the_choice_is_recorded_once(login, officer_a, split_case):
    b, successors = split_case
    client = login(officer_a)
    page = client.get(reverse("beneficiaries:detail", args=[b.pk])).text
    assert 'data-testid="successor-prompt"' in page
    for s in successors:
        assert s.name in page
    response = client.post(url(b), {"successor": successors[0].pk})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.successor_unit == successors[0]
    assert b.unit.name == "Phường Lê Hồng Phong"  # the unit it was entered with stays
    assert b.history.first().history_change_reason.endswith(successors[0].name)
    assert 'data-testid="successor-prompt"' not in client.get(reverse("beneficiaries:detail", args=[b.pk])).text
    assert client.post(url(b), {"successor": successors[1].pk}).status_code == 403  # asked once
    b.refresh_from_db()
    assert b.successor_unit == successors[0]


def test_a_commune_that_is_not_a_successor_is_refused(login, staff, split_case):
    b, _ = split_case
    elsewhere = AdministrativeUnit.objects.filter(path__startswith="/31/c").exclude(
        predecessor_links__predecessor=b.unit
    )[0]
    login(staff).post(url(b), {"successor": elsewhere.pk})
    login(staff).post(url(b), {"successor": "abc"})
    b.refresh_from_db()
    assert b.successor_unit is None


def test_anonymous_wrong_role_and_other_area_are_refused(client, login, juror, officer_b, split_case):
    b, successors = split_case
    assert client.post(url(b), {"successor": successors[0].pk}).status_code == 302  # to the login page
    assert login(juror).post(url(b), {"successor": successors[0].pk}).status_code == 403
    assert login(officer_b).post(url(b), {"successor": successors[0].pk}).status_code == 404
    b.refresh_from_db()
    assert b.successor_unit is None


def test_an_establishment_whose_old_commune_was_not_split_is_not_asked(login, staff):
    whole = AdministrativeUnit.objects.filter(path__startswith=AREA_A, depth=2, successor__isnull=False)[0]
    b = BeneficiaryFactory(unit=whole)
    assert 'data-testid="successor-prompt"' not in login(staff).get(reverse("beneficiaries:detail", args=[b.pk])).text
    assert login(staff).post(url(b), {"successor": whole.successor_id}).status_code == 403


def test_an_officer_of_the_new_commune_covers_it_only_after_the_choice(split_case):
    b, successors = split_case
    officer = UserFactory(role=Role.AREA_OFFICER, areas=[successors[0]])
    assert b not in beneficiary_list(user=officer)
    b.successor_unit = successors[0]
    b.save()
    assert b in beneficiary_list(user=officer)
    other = UserFactory(role=Role.AREA_OFFICER, areas=[successors[1]])
    assert b not in beneficiary_list(user=other)


def test_an_officer_of_a_new_commune_covers_the_old_commune_it_took_over_whole():
    whole = AdministrativeUnit.objects.filter(path__startswith=AREA_A, depth=2, successor__isnull=False)[0]
    b = BeneficiaryFactory(unit=whole)
    officer = UserFactory(role=Role.AREA_OFFICER, areas=[whole.successor])
    assert list(beneficiary_list(user=officer)) == [b]
