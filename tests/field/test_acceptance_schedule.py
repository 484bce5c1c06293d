"""Staff plan a nghiệm thu (date, place, council) before it is held; the council members who have an account are
told once; an officer of another area is told nothing."""

import datetime

import pytest
from django.urls import reverse

from field.models import AcceptanceSchedule
from notifications.models import Notification
from projects.models import ProjectStatus
from tests.conftest import AREA_A
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(staff):
    return ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff, status=ProjectStatus.AWAITING_ACCEPTANCE)


def _day(days=7):
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _post(client, project, **over):
    data = {"planned_on": _day(), "planned_time": "09:00", "place": "Nhà văn hóa thôn 3", "other_members": ""}
    data.update(over)
    return client.post(reverse("field:acceptance_schedule", args=[project.pk]), data)


def _notices(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_staff_schedule_and_only_the_council_members_with_an_account_are_told_once(
    login, staff, leader, officer_a, officer_b, awaiting
):
    client = login(staff)
    page = client.get(reverse("field:project", args=[awaiting.pk])).text
    assert 'data-testid="schedule-acceptance"' in page
    response = _post(client, awaiting, members=[leader.pk, officer_a.pk, officer_b.pk], other_members="Ông Ba, UBND xã")
    assert response.status_code == 302
    schedule = AcceptanceSchedule.objects.get()
    assert schedule.scheduled_by == staff and schedule.place == "Nhà văn hóa thôn 3"
    assert set(schedule.members.all()) == {leader, officer_a, officer_b}
    assert len(_notices(leader)) == 1 and awaiting.code in _notices(leader)[0]
    assert len(_notices(officer_a)) == 1
    assert _notices(officer_b) == []  # another area: told nothing, even when named
    assert _notices(staff) == []  # nobody is told of their own action
    _post(client, awaiting, members=[leader.pk, officer_a.pk, officer_b.pk])  # a double click
    assert AcceptanceSchedule.objects.count() == 1 and len(_notices(leader)) == 1
    page = client.get(reverse("field:project", args=[awaiting.pk])).text
    assert 'data-testid="acceptance-schedule"' in page and "Nhà văn hóa thôn 3" in page


def test_a_new_date_is_a_new_schedule_and_a_new_notice(login, staff, leader, awaiting):
    client = login(staff)
    _post(client, awaiting, members=[leader.pk])
    _post(client, awaiting, members=[leader.pk], planned_on=_day(14))
    assert AcceptanceSchedule.objects.count() == 2 and len(_notices(leader)) == 2


def test_a_date_in_the_past_or_a_bad_date_is_refused_and_the_form_keeps_what_was_typed(login, staff, awaiting):
    client = login(staff)
    response = _post(client, awaiting, planned_on=_day(-1))
    assert response.status_code == 400 and "không được trước hôm nay" in response.text
    assert "Nhà văn hóa thôn 3" in response.text
    response = _post(client, awaiting, planned_on="31/02/2026")
    assert response.status_code == 400 and not AcceptanceSchedule.objects.exists()


def test_anonymous_wrong_role_other_area_and_wrong_state(client, login, staff, leader, officer_a, officer_b, awaiting):
    url = reverse("field:acceptance_schedule", args=[awaiting.pk])
    assert client.get(url).status_code == 302
    assert login(leader).get(url).status_code == 403
    assert login(officer_a).get(url).status_code == 403
    assert login(officer_b).get(url).status_code == 404
    awaiting.status = ProjectStatus.IN_PROGRESS
    awaiting.save()
    assert login(staff).get(url).status_code == 403
    assert (
        'data-testid="schedule-acceptance"' not in login(staff).get(reverse("field:project", args=[awaiting.pk])).text
    )
    assert _post(login(staff), awaiting).status_code == 403 and not AcceptanceSchedule.objects.exists()
