"""A đề án placed in an old commune that was split asks staff, once, which new commune it belongs to; after that,
reports count it there and an officer of that commune covers it (projects.selectors.project_scope)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from areas.models import AdministrativeUnit
from budgets.selectors import line_get
from projects.models import ProjectStatus
from projects.selectors import project_scope
from tests.budgets.factories import line as funding_line
from tests.conftest import AREA_A
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_case():
    old = AdministrativeUnit.objects.get(path__startswith=AREA_A, name="Phường Lê Hồng Phong")
    links = list(old.successor_links.select_related("successor").order_by("successor__path"))
    assert len(links) >= 2
    p = ProjectFactory(code="KCĐP-CHIA-01", unit=old, status=ProjectStatus.IN_PROGRESS)
    return p, [link.successor for link in links]


def url(p):
    return reverse("projects:choose_successor", args=[p.pk])


def detail(p):
    return reverse("projects:detail", args=[p.pk])


def test_staff_are_asked_once_and_the_choice_is_kept_in_the_history(login, staff, split_case):
    p, successors = split_case
    client = login(staff)
    page = client.get(detail(p)).text
    assert 'data-testid="successor-prompt"' in page
    for s in successors:
        assert s.name in page
    version = p.version
    response = client.post(url(p), {"successor": successors[0].pk})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.successor_unit == successors[0]
    assert p.unit.name == "Phường Lê Hồng Phong"  # the unit it was entered with stays
    assert p.version == version + 1
    assert p.history.first().history_change_reason.endswith(successors[0].name)
    assert p.history.first().successor_unit_id == successors[0].pk
    page = client.get(detail(p)).text
    assert 'data-testid="successor-prompt"' not in page
    assert 'data-testid="successor-unit"' in page
    # Asked once: a second post (another tab, a double click) changes nothing.
    assert client.post(url(p), {"successor": successors[1].pk}).status_code == 403
    p.refresh_from_db()
    assert p.successor_unit == successors[0]


def test_a_commune_that_is_not_a_successor_is_refused_with_a_vietnamese_message(login, staff, split_case):
    p, _ = split_case
    elsewhere = AdministrativeUnit.objects.filter(path__startswith="/31/c").exclude(
        predecessor_links__predecessor=p.unit
    )[0]
    client = login(staff)
    response = client.post(url(p), {"successor": elsewhere.pk}, follow=True)
    assert "Hãy chọn một trong các xã, phường kế thừa xã cũ." in response.text
    assert 'data-testid="successor-prompt"' in response.text  # still asked
    client.post(url(p), {"successor": "abc"})
    client.post(url(p), {})
    p.refresh_from_db()
    assert p.successor_unit is None


def test_anonymous_wrong_role_and_other_area_are_refused(client, login, juror, leader, officer_b, split_case):
    p, successors = split_case
    assert client.post(url(p), {"successor": successors[0].pk}).status_code == 302  # to the login page
    assert login(juror).post(url(p), {"successor": successors[0].pk}).status_code == 403
    assert login(leader).post(url(p), {"successor": successors[0].pk}).status_code == 403
    assert 'data-testid="successor-prompt"' not in login(leader).get(detail(p)).text
    assert login(officer_b).post(url(p), {"successor": successors[0].pk}).status_code == 404
    assert client.get(url(p)).status_code in (302, 405)
    p.refresh_from_db()
    assert p.successor_unit is None


def test_a_project_whose_old_commune_was_not_split_is_not_asked(login, staff):
    whole = AdministrativeUnit.objects.filter(path__startswith=AREA_A, depth=2, successor__isnull=False)[0]
    p = ProjectFactory(unit=whole)
    assert 'data-testid="successor-prompt"' not in login(staff).get(detail(p)).text
    assert login(staff).post(url(p), {"successor": whole.successor_id}).status_code == 403
    p.refresh_from_db()
    assert p.successor_unit is None


def test_an_officer_of_the_new_commune_covers_it_only_after_the_choice(login, staff, split_case):
    p, successors = split_case
    line = funding_line(p)
    officer = UserFactory(role=Role.AREA_OFFICER, areas=[successors[0]])
    other = UserFactory(role=Role.AREA_OFFICER, areas=[successors[1]])
    assert p not in project_scope(user=officer)
    assert login(officer).get(detail(p)).status_code == 404
    login(staff).post(url(p), {"successor": successors[0].pk})
    assert p in project_scope(user=officer)
    assert login(officer).get(detail(p)).status_code == 200
    assert line_get(user=officer, pk=line.pk) == line  # its money follows the đề án
    assert p not in project_scope(user=other)
    assert login(other).get(detail(p)).status_code == 404


def test_moving_the_project_to_another_unit_forgets_the_choice(staff, split_case):
    from projects.services import project_update

    p, successors = split_case
    p.status = ProjectStatus.DRAFT
    p.successor_unit = successors[0]
    p.save()
    whole = AdministrativeUnit.objects.filter(path__startswith=AREA_A, depth=2, successor__isnull=False)[0]
    project_update(actor=staff, project=p, data={"unit": whole})
    p.refresh_from_db()
    assert p.unit == whole and p.successor_unit is None
