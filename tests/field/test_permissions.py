"""can_* per role: state first, then role, then area."""

import pytest

from field import permissions
from field.models import FieldReport, FollowUpAction, ReportStatus
from projects.models import ProjectStatus
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(staff, leader, officer_a, officer_b, admin_user, juror):
    return {
        "staff": staff,
        "leader": leader,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "admin": admin_user,
        "juror": juror,
    }


def _allowed(personas, check):
    return {name for name, user in personas.items() if check(user)[0]}


def test_who_writes_reports_on_a_project_of_area_a(personas):
    project = ProjectFactory(in_the_field=True, area=AREA_A)
    allowed = _allowed(personas, lambda u: permissions.can_write_report(u, project=project))
    assert allowed == {"staff", "admin", "officer_a"}


@pytest.mark.parametrize("status", [ProjectStatus.STOPPED, ProjectStatus.SETTLED, ProjectStatus.NOT_APPROVED])
def test_nobody_writes_reports_on_a_closed_project(personas, status):
    project = ProjectFactory(in_the_field=True, area=AREA_A, status=status)
    assert _allowed(personas, lambda u: permissions.can_write_report(u, project=project)) == set()


def test_who_records_acceptance(personas):
    project = ProjectFactory(in_the_field=True, area=AREA_B, status=ProjectStatus.AWAITING_ACCEPTANCE)
    assert _allowed(personas, lambda u: permissions.can_record_acceptance(u, project)) == {"staff", "admin"}
    project.status = ProjectStatus.ACCEPTED
    assert _allowed(personas, lambda u: permissions.can_record_acceptance(u, project)) == set()


def test_who_manages_inspections_and_reads_the_field_pages(personas):
    assert _allowed(personas, lambda u: permissions.can_manage_inspections(u)) == {"staff", "admin"}
    assert _allowed(personas, permissions.can_view_field) == {"staff", "leader", "officer_a", "officer_b", "admin"}


def test_who_acknowledges_a_problem(personas):
    report = FieldReport(status=ReportStatus.SUBMITTED, has_problem=True, problem="x")
    assert _allowed(personas, lambda u: permissions.can_acknowledge_problem(u, report)) == {
        "staff",
        "leader",
        "admin",
    }
    report.has_problem = False
    assert _allowed(personas, lambda u: permissions.can_acknowledge_problem(u, report)) == set()


def test_only_the_author_edits_a_draft(personas):
    project = ProjectFactory(in_the_field=True, area=AREA_A)
    report = FieldReport(status=ReportStatus.DRAFT, author=personas["officer_a"], project=project, unit=project.unit)
    assert _allowed(personas, lambda u: permissions.can_edit_report(u, report)) == {"officer_a"}
    report.status = ReportStatus.SUBMITTED
    assert _allowed(personas, lambda u: permissions.can_edit_report(u, report)) == set()


def test_the_owner_or_staff_completes_an_action(personas):
    action = FollowUpAction(owner=personas["officer_b"], done=False)
    assert _allowed(personas, lambda u: permissions.can_complete_action(u, action)) == {"staff", "admin", "officer_b"}
