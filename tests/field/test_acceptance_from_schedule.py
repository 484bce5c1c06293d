"""The biên bản nghiệm thu starts from the acceptance schedule: the planned day, time, place and council fill the
new form, the user may change any of it, and the page says where the values came from."""

import datetime

import pytest
from django.urls import reverse

from field.models import Acceptance, AcceptanceSchedule, CouncilMember
from projects.models import ProjectStatus
from tests.conftest import AREA_A
from tests.factories import ProjectFactory
from tests.field.test_acceptance import _form

pytestmark = pytest.mark.django_db

NOTE = 'data-testid="from-schedule"'


@pytest.fixture
def awaiting(staff):
    return ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff, status=ProjectStatus.AWAITING_ACCEPTANCE)


@pytest.fixture
def schedule(awaiting, staff, leader, officer_a):
    leader.title = "Phó Giám đốc Sở"
    leader.save()
    plan = AcceptanceSchedule.objects.create(
        project=awaiting,
        planned_on=datetime.date(2021, 12, 3),
        planned_time=datetime.time(14, 30),
        place="Nhà văn hóa thôn Đông, xã Lập Lễ",
        other_members="Bùi Văn Hưng, Chủ nhiệm, Hợp tác xã Nước mắm Cát Hải\nÔng Ba, UBND xã Lập Lễ",
        scheduled_by=staff,
    )
    plan.members.set([leader, officer_a])
    return plan


def _url(project):
    return reverse("field:acceptance_create", args=[project.pk])


def _value(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    tag = page[page.rindex("<", 0, start) : page.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0] if 'value="' in tag else ""


def test_the_form_opens_with_the_schedules_day_time_place_and_council(login, staff, leader, officer_a, schedule):
    page = login(staff).get(_url(schedule.project)).text
    assert NOTE in page and "theo lịch nghiệm thu ngày 03/12/2021" in page
    assert _value(page, "held_on") == "03/12/2021"
    assert _value(page, "held_at_time") == "14:30"
    assert _value(page, "place") == "Nhà văn hóa thôn Đông, xã Lập Lễ"
    rows = [
        (
            _value(page, f"council-{i}-full_name"),
            _value(page, f"council-{i}-position"),
            _value(page, f"council-{i}-organisation"),
        )
        for i in range(4)
    ]
    assert rows == [
        (leader.get_full_name(), "Phó Giám đốc Sở", "Sở Công Thương thành phố Hải Phòng"),
        (officer_a.get_full_name(), "", ""),  # an area officer's organisation is not known: typed on the day
        ("Bùi Văn Hưng", "Chủ nhiệm", "Hợp tác xã Nước mắm Cát Hải"),
        ("Ông Ba", "", "UBND xã Lập Lễ"),
    ]
    # The prefilled rows are suggestions (extra forms), followed by two blank ones.
    assert 'name="council-INITIAL_FORMS" value="0"' in page
    assert 'name="council-TOTAL_FORMS" value="6"' in page
    assert _value(page, "council-4-full_name") == ""


def test_what_the_user_typed_is_recorded_not_the_schedule(login, staff, schedule):
    project = schedule.project
    data = _form(project, held_on="02/12/2021", held_at_time="08:00", place="Xưởng của Hợp tác xã")
    response = login(staff).post(_url(project), data)
    assert response.status_code == 302
    acceptance = Acceptance.objects.get()
    assert acceptance.held_on == datetime.date(2021, 12, 2)
    assert acceptance.held_at_time == datetime.time(8, 0)
    assert acceptance.place == "Xưởng của Hợp tác xã"
    assert list(CouncilMember.objects.values_list("full_name", flat=True)) == ["Phạm Minh Đức", "Trần Thị Hồng"]


def test_a_prefilled_row_the_user_empties_is_left_out(login, staff, leader, schedule):
    project = schedule.project
    data = _form(project)
    data.update({"council-TOTAL_FORMS": "4", "council-3-full_name": "", "council-3-position": ""})
    data.update({"council-3-organisation": "", "council-3-role": "member"})
    assert login(staff).post(_url(project), data).status_code == 302
    assert CouncilMember.objects.count() == 2


def test_without_a_schedule_the_form_is_blank_as_before(login, staff, awaiting):
    page = login(staff).get(_url(awaiting)).text
    assert NOTE not in page
    assert _value(page, "held_on") == ""
    assert _value(page, "council-0-full_name") == ""
    assert 'name="council-TOTAL_FORMS" value="6"' in page


def test_the_schedule_of_a_session_already_recorded_is_not_offered_again(login, staff, schedule):
    project = schedule.project
    data = _form(project, held_on="03/12/2021", result="failed", fixes_required="Bổ sung hóa đơn")
    assert login(staff).post(_url(project), data).status_code == 302
    page = login(staff).get(_url(project)).text
    assert NOTE not in page and _value(page, "held_on") == ""
    later = AcceptanceSchedule.objects.create(
        project=project, planned_on=datetime.date(2021, 12, 20), place="Hội trường UBND xã", scheduled_by=staff
    )
    page = login(staff).get(_url(project)).text
    assert NOTE in page and _value(page, "held_on") == "20/12/2021" and _value(page, "place") == later.place


def test_other_area_is_404_wrong_role_403_anonymous_to_login(client, login, leader, officer_a, officer_b, schedule):
    url = _url(schedule.project)
    assert client.get(url).status_code == 302
    assert login(officer_b).get(url).status_code == 404
    assert login(leader).get(url).status_code == 403
    assert login(officer_a).get(url).status_code == 403
    assert not Acceptance.objects.exists()
