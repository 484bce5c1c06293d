"""Role home pages: what waits for each role, counted over their scope, in a constant number of queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from field.models import FollowUpAction, Inspection
from projects.models import Adjustment, AdjustmentKind, Authority, ProjectStatus
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory
from tests.monitoring.factories import communes, make_report

S = ProjectStatus


@pytest.fixture
def work(db, staff, officer_a):
    a, b = communes(AREA_A, 1)[0], communes(AREA_B, 1)[0]
    ProjectFactory(monitored=True, code="W-REG", unit=a, status=S.REGISTERED)
    ProjectFactory(monitored=True, code="W-APP", unit=b, status=S.APPROVED)
    ProjectFactory(monitored=True, code="W-ACC", unit=a, status=S.AWAITING_ACCEPTANCE)
    running = ProjectFactory(monitored=True, code="W-RUN", unit=a, status=S.IN_PROGRESS)
    ProjectFactory(monitored=True, code="W-B-RUN", unit=b, status=S.IN_PROGRESS)
    inspection = Inspection.objects.create(project=running, kind="kiem_tra", planned_date=datetime.date(2021, 5, 1))
    FollowUpAction.objects.create(
        inspection=inspection, description="Bổ sung hóa đơn máy", owner=staff, due_date=datetime.date(2021, 6, 1)
    )
    make_report(running, author=officer_a, progress=30, visit_date=timezone.localdate(), problem=True)
    return running


def test_staff_home_lists_what_needs_their_action(work, staff, login):
    response = login(staff).get(reverse("home"))
    assert "Việc của chuyên viên" in response.text
    sections = {s["key"]: s for s in response.context["work"]["sections"]}
    assert [p.code for p in sections["appraisal"]["items"]] == ["W-REG"]
    assert sections["contract"]["count"] == 1
    assert sections["acceptance"]["count"] == 1
    assert sections["appraisal"]["url"].endswith("?status=registered")
    assert response.context["work"]["overdue_actions_count"] == 1
    assert response.context["work"]["problems_count"] == 1
    assert "Bổ sung hóa đơn máy" in response.text
    assert 'data-testid="open-problems"' in response.text  # the field app's block is kept


def test_an_officer_sees_their_area_and_the_visits_they_owe(work, officer_a, officer_b, login):
    response = login(officer_a).get(reverse("home"))
    overview = response.context["overview"]
    assert overview["project_total"] == 3  # W-REG, W-ACC, W-RUN: not Cát Hải's
    owed = [p.code for p in overview["visits_owed"]]
    # W-RUN was visited today; W-ACC (awaiting acceptance) has never been visited.
    assert owed == ["W-ACC"]
    other = login(officer_b).get(reverse("home")).context["overview"]
    assert [p.code for p in other["visits_owed"]] == ["W-APP", "W-B-RUN"]


def test_a_leader_sees_decisions_waiting_and_the_year_figures(db, leader, staff, login):
    year = timezone.localdate().year
    running = ProjectFactory(
        monitored=True, code="L-1", unit=communes(AREA_A, 1)[0], status=S.IN_PROGRESS, plan_year=year
    )
    Adjustment.objects.create(
        project=running,
        kind=AdjustmentKind.PLACE_BENEFICIARY_TIMING,
        reason="Đổi địa điểm lắp máy",
        authority=Authority.DEPARTMENT,
        requested_by=staff,
    )
    response = login(leader).get(reverse("home"))
    assert "Tổng quan chương trình" in response.text
    assert response.context["queue"]["adjustment_count"] == 1
    assert "L-1" in response.text
    assert response.context["figures"].projects == 1


def test_admin_home_shows_imports(admin_user, login):
    response = login(admin_user).get(reverse("home"))
    assert "Quản trị hệ thống" in response.text
    assert any(i["url"] == reverse("projects:import") for i in response.context["activity"]["imports"])


def test_admin_home_shows_failed_jobs_and_recent_imports(admin_user, staff, login):
    from django.core.files.base import ContentFile

    from beneficiaries.models import ImportBatch
    from documents.models import DocumentJob

    DocumentJob.objects.create(
        kind="beneficiary_list", params={}, params_key="x", requested_by=staff, status="failed", error="Hết bộ nhớ"
    )
    ImportBatch.objects.create(
        file=ContentFile(b"x", name="ds.xlsx"), file_name="danh-sach-xa.xlsx", sha256="0" * 64, created_by=staff
    )
    page = login(admin_user).get(reverse("home"))
    assert "Hết bộ nhớ" in page.text
    assert "danh-sach-xa.xlsx" in page.text


def _count(client):
    cache.clear()  # counted as computed, not served from the shared figures (core.figures_cache)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("persona", ["staff", "leader", "officer_a"])
def test_home_query_count_does_not_grow_with_the_data(request, db, login, persona, officer_a):
    client = login(request.getfixturevalue(persona))
    a = communes(AREA_A, 1)[0]
    ProjectFactory(monitored=True, code="C-0", unit=a, status=S.REGISTERED)
    small = _count(client)
    for i in range(12):
        p = ProjectFactory(
            monitored=True, code=f"C-{i + 1}", unit=a, status=[S.REGISTERED, S.APPROVED, S.IN_PROGRESS][i % 3]
        )
        make_report(p, author=officer_a, progress=10, visit_date=datetime.date(2021, 1, 1), problem=i % 2 == 0)
    assert _count(client) == small
