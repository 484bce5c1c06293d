"""A tracked many-to-many (an inspection's team) reads as names in the history, not a server error."""

import datetime

import pytest
from django.urls import reverse

from core.history import history_entries
from field.models import Inspection
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_team_change_shows_the_members_names(staff, leader, login):
    inspection = Inspection.objects.create(
        project=ProjectFactory(in_the_field=True), kind="kiem_tra", planned_date=datetime.date(2026, 5, 4)
    )
    inspection.team.set([staff])
    inspection.save()
    inspection.team.set([staff, leader])
    inspection.findings = "Đã kiểm tra."
    inspection.save()
    team = str(Inspection._meta.get_field("team").verbose_name)
    changes = [
        (old, new) for entry in history_entries(inspection) for label, old, new in entry.changes if label == team
    ]
    assert (str(staff), ", ".join(sorted([str(staff), str(leader)]))) in changes
    assert ("—", str(staff)) in changes
    assert login(staff).get(reverse("field:inspection_detail", args=[inspection.pk])).status_code == 200
