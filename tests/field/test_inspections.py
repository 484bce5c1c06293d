from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from field import services
from field.models import ActionReminder, FollowUpAction, Inspection, InspectionStatus
from field.tasks import remind_overdue_actions
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_a(staff):
    return ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)


def _inspection(project, actor, *, actions):
    return services.inspection_save(
        actor=actor,
        project=project,
        data={"kind": "kiem_tra", "status": "done", "planned_date": date(2021, 9, 1), "done_date": date(2021, 9, 2)},
        team=[actor],
        actions=actions,
    )


def _form(owner, **over):
    data = {
        "kind": "kiem_tra",
        "status": "done",
        "planned_date": "01/09/2021",
        "done_date": "02/09/2021",
        "external_members": "Nguyễn Văn A – UBND xã Ninh Sơn",
        "findings": "Máy đã lắp, chưa có nhật ký vận hành.",
        "conclusions": "Đạt tiến độ.",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-description": "Bổ sung nhật ký vận hành máy",
        "actions-0-owner": str(owner.pk),
        "actions-0-due_date": "30/09/2021",
        "actions-1-description": "",
        "actions-1-owner": "",
        "actions-1-due_date": "",
    }
    data.update(over)
    return data


def test_staff_records_an_inspection_with_a_follow_up_action(login, staff, project_a):
    data = _form(staff)
    data["team"] = [str(staff.pk)]
    response = login(staff).post(reverse("field:inspection_create", args=[project_a.pk]), data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.status == InspectionStatus.DONE and inspection.created_by == staff
    assert list(inspection.team.all()) == [staff]
    action = FollowUpAction.objects.get()
    assert action.owner == staff and action.due_date == date(2021, 9, 30) and not action.done
    assert inspection.history.count() >= 1 and action.history.count() == 1
    page = login(staff).get(reverse("field:project", args=[project_a.pk]))
    assert "Bổ sung nhật ký vận hành máy" in page.text


def test_a_done_inspection_needs_its_date_and_what_was_typed_is_kept(login, staff, project_a):
    response = login(staff).post(reverse("field:inspection_create", args=[project_a.pk]), _form(staff, done_date=""))
    assert response.status_code == 400
    assert "cần ngày thực hiện" in response.text and "chưa có nhật ký vận hành" in response.text
    assert not Inspection.objects.exists()


def test_officers_and_leaders_cannot_record_inspections(login, officer_a, leader, project_a):
    url = reverse("field:inspection_create", args=[project_a.pk])
    assert login(officer_a).post(url, _form(officer_a)).status_code == 403
    assert login(leader).get(url).status_code == 403
    assert not Inspection.objects.exists()


def test_an_officer_of_another_area_gets_404(login, officer_b, staff, project_a):
    inspection = _inspection(project_a, staff, actions=[])
    assert login(officer_b).get(reverse("field:inspection_detail", args=[inspection.pk])).status_code == 404


def test_the_owner_marks_an_action_done(login, staff, officer_a, project_a):
    inspection = _inspection(
        project_a, staff, actions=[{"description": "Nộp ảnh", "owner": officer_a, "due_date": date(2021, 9, 30)}]
    )
    action = inspection.actions.get()
    other = UserFactory(role="area_officer")
    assert login(other).post(reverse("field:action_complete", args=[action.pk])).status_code == 404
    assert login(officer_a).post(reverse("field:action_complete", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.done and action.done_by == officer_a and action.done_at is not None
    assert login(officer_a).post(reverse("field:action_complete", args=[action.pk])).status_code == 403


def _overdue_setup(staff, officer_a, project_a):
    today = timezone.localdate()
    return _inspection(
        project_a,
        staff,
        actions=[
            {"description": "Quá hạn 1", "owner": staff, "due_date": today - timedelta(days=3)},
            {"description": "Quá hạn 2", "owner": officer_a, "due_date": today - timedelta(days=1)},
            {"description": "Chưa đến hạn", "owner": staff, "due_date": today},
        ],
    )


def test_the_reminder_job_sends_one_email_per_overdue_action_per_day(staff, officer_a, project_a, eager):
    _overdue_setup(staff, officer_a, project_a)
    done = FollowUpAction.objects.create(
        inspection=Inspection.objects.get(),
        description="Đã xong",
        owner=staff,
        due_date=date(2021, 1, 1),
        done=True,
        done_at=timezone.now(),
    )
    assert remind_overdue_actions.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff.email, officer_a.email])
    assert any("Quá hạn 1" in m.body and "3 ngày" in m.body for m in mail.outbox)
    assert ActionReminder.objects.count() == 2 and not ActionReminder.objects.filter(action=done).exists()

    # Again the same day: nothing.
    assert remind_overdue_actions.delay().get() == 0
    assert len(mail.outbox) == 2

    # The next day: one more each.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert services.followup_remind_overdue(today=tomorrow) == 3  # "Chưa đến hạn" is now overdue too
    assert len(mail.outbox) == 5
    assert ActionReminder.objects.filter(sent_on=tomorrow).count() == 3


def test_a_failed_email_is_retried_by_a_later_run_the_same_day(staff, officer_a, project_a, monkeypatch):
    _overdue_setup(staff, officer_a, project_a)
    import field.services as field_services

    def broken(**kwargs):
        raise ConnectionError("SMTP xuống")

    monkeypatch.setattr(field_services, "send_mail", broken)
    with pytest.raises(ConnectionError):
        services.followup_remind_overdue()
    assert not ActionReminder.objects.exists()
    monkeypatch.undo()
    assert services.followup_remind_overdue() == 2


def test_the_beat_schedule_runs_the_reminder(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["field-remind-overdue-actions"]
    assert entry["task"] == remind_overdue_actions.name


def test_the_overdue_list_is_scoped_and_costs_the_same_queries_for_two_page_sizes(
    login, staff, officer_a, officer_b, project_a
):
    today = timezone.localdate()
    actions = [
        {"description": f"Việc {i}", "owner": officer_a, "due_date": today - timedelta(days=i + 1)} for i in range(30)
    ]
    _inspection(project_a, staff, actions=actions)
    project_b = ProjectFactory(in_the_field=True, area=AREA_B)
    _inspection(project_b, staff, actions=[{"description": "Việc ở Cát Hải", "owner": staff, "due_date": today}])
    FollowUpAction.objects.filter(description="Việc ở Cát Hải").update(due_date=today - timedelta(days=2))
    assert "Việc ở Cát Hải" not in login(officer_a).get(reverse("field:overdue"), {"per_page": 100}).text
    assert "Việc ở Cát Hải" in login(staff).get(reverse("field:overdue"), {"per_page": 100}).text
    client = login(staff)
    counts = []
    for size in (25, 50):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("field:overdue"), {"per_page": size}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
