"""Follow-up actions due soon or overdue tell their owner once; a finished import tells who started it."""

import datetime as dt

from django.utils import timezone

from core import events
from field.models import FollowUpAction, Inspection
from notifications.followups import followups_notify
from notifications.models import Event, Notification
from tests.conftest import AREA_A
from tests.factories import ProjectFactory, UserFactory


def _action(project, owner, due):
    inspection = Inspection.objects.create(
        project=project,
        kind="kiem_tra",
        status="done",
        planned_date=dt.date(2021, 9, 1),
        done_date=dt.date(2021, 9, 2),
        created_by=owner,
    )
    return FollowUpAction.objects.create(
        inspection=inspection, description="Gửi hóa đơn máy", owner=owner, due_date=due
    )


def test_an_action_due_in_three_days_and_one_overdue_tell_their_owners_once(staff, officer_a, officer_b):
    today = dt.date(2026, 12, 1)
    project = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)
    soon = _action(project, officer_a, today + dt.timedelta(days=3))
    late = _action(project, staff, today - dt.timedelta(days=1))
    _action(project, staff, today + dt.timedelta(days=10))  # not yet
    done = _action(project, staff, today - dt.timedelta(days=5))
    done.done, done.done_at = True, timezone.now()
    done.save()

    assert followups_notify(today=today) == 2
    assert followups_notify(today=today) == 0
    assert followups_notify(today=today + dt.timedelta(days=1)) == 0
    assert set(Notification.objects.values_list("event", "recipient__username", "key")) == {
        (Event.FOLLOWUP_DUE, "officer_a", f"followup_due:{soon.pk}"),
        (Event.FOLLOWUP_OVERDUE, "staff", f"followup_overdue:{late.pk}"),
    }
    # Once the due-soon action is late, its owner hears about that too, once.
    assert followups_notify(today=today + dt.timedelta(days=4)) == 1
    assert officer_b.notifications.count() == 0


def test_a_finished_import_tells_who_started_it(staff, leader):
    from beneficiaries.models import ImportBatch

    starter = UserFactory(username="starter", role="staff")
    batch = ImportBatch.objects.create(file_name="co-so.xlsx", status="done", created_by=starter, confirmed_by=leader)
    events.import_finished.send(sender=ImportBatch, batch=batch)
    events.import_finished.send(sender=ImportBatch, batch=batch)
    notice = Notification.objects.get()
    assert notice.recipient == starter and "co-so.xlsx" in notice.title
    assert notice.url == f"/co-so/import/{batch.pk}/"
