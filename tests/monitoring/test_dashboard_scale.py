"""Issue 18: the dashboard and the behind-schedule page stay small and cheap whatever the data size.

The behind-schedule test runs in SQL (compared here with the rule written in Python over random dates), the
dashboard lists the most overdue few with the full count, the full list is paginated, and the area table names the
top areas and sums the rest into one row that keeps the table's total.
"""

import datetime
import math
import random
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import selectors
from monitoring.selectors import APPROVED_STATES, SCHEDULED_STATES, DashboardFilters
from projects.models import Project, ProjectStatus
from tests.conftest import AREA_A
from tests.factories import ProjectFactory
from tests.monitoring.factories import communes, make_line, make_report, random_programme

S = ProjectStatus
TODAY = datetime.date(2021, 7, 1)


def python_rule(project, progress, today, tolerance):
    """The rule as the page explains it, in plain Python: over its end date, or progress + tolerance below the
    share of time elapsed (rounded half up)."""
    if project.status not in SCHEDULED_STATES or project.start_date is None or project.end_date is None:
        return False
    if project.start_date > today:
        return False
    if project.end_date < today:
        return True
    total = max((project.end_date - project.start_date).days, 1)
    elapsed = (today - project.start_date).days
    expected = math.floor(Fraction(elapsed * 100, total) + Fraction(1, 2))
    return (progress or 0) + tolerance < expected


def test_sql_rule_matches_the_python_rule_on_random_dates(db, officer_a, settings):
    settings.MONITORING_PROGRESS_TOLERANCE = 10
    rng = random.Random(18)
    place = communes(AREA_A, 1)[0]
    progress = {}
    for i in range(60):
        start = TODAY - datetime.timedelta(days=rng.randint(-30, 400))
        # Some end exactly today, some the day the đề án starts, some a round share of the time (the .5 cases).
        end = rng.choice([TODAY, start, start + datetime.timedelta(days=rng.choice([2, 4, 10, 200, 400]))])
        p = ProjectFactory(
            monitored=True,
            code=f"T-R{i:02d}",
            unit=place,
            status=rng.choice([S.IN_PROGRESS, S.CONTRACTED, S.APPROVED, S.AWAITING_ACCEPTANCE]),
            start_date=start,
            end_date=end,
        )
        if rng.random() < 0.7:
            pct = rng.randint(0, 100)
            make_report(p, author=officer_a, progress=pct, visit_date=TODAY - datetime.timedelta(days=1))
            progress[p.pk] = pct
    want = {
        p.code for p in Project.objects.filter(code__startswith="T-R") if python_rule(p, progress.get(p.pk), TODAY, 10)
    }
    rows = selectors.behind_schedule(Project.objects.filter(code__startswith="T-R"), today=TODAY)
    assert {r.project.code for r in rows} == want
    assert want  # the random set does hold some
    # Most overdue first, and each row's figures are the ones the rule used.
    assert [r.project.end_date for r in rows] == sorted(r.project.end_date for r in rows)
    for r in rows:
        assert r.progress == progress.get(r.project.pk)
        if not r.overdue:
            assert (r.progress or 0) + 10 < r.expected <= 100


def _behind(n, place, prefix="T-B"):
    for i in range(n):
        ProjectFactory(
            monitored=True,
            code=f"{prefix}{i:03d}",
            unit=place,
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2021, 2, 1) + datetime.timedelta(days=i),
        )


def test_dashboard_lists_the_most_overdue_few_with_the_full_count(db, leader, login):
    place = communes(AREA_A, 1)[0]
    _behind(selectors.BEHIND_ON_DASHBOARD + 5, place)
    response = login(leader).get(reverse("monitoring:dashboard"), {"year": 2021})
    board = response.context["board"]
    assert board["behind_count"] == selectors.BEHIND_ON_DASHBOARD + 5
    assert [r.project.code for r in board["behind"]] == [f"T-B{i:03d}" for i in range(selectors.BEHIND_ON_DASHBOARD)]
    assert 'data-testid="behind-all"' in response.text


def test_behind_page_is_paginated(db, leader, login):
    place = communes(AREA_A, 1)[0]
    _behind(30, place)
    client = login(leader)
    first = client.get(reverse("monitoring:behind"), {"year": 2021})
    assert first.status_code == 200
    assert len(first.context["rows"]) == 25
    assert first.context["page"].paginator.count == 30
    second = client.get(reverse("monitoring:behind"), {"year": 2021, "page": 2})
    assert [r.project.code for r in second.context["rows"]] == [f"T-B{i:03d}" for i in range(25, 30)]
    # Junk page numbers give a page, not an error.
    assert client.get(reverse("monitoring:behind"), {"year": 2021, "page": "x"}).status_code == 200


def test_behind_page_queries_do_not_grow(db, leader, login):
    place = communes(AREA_A, 1)[0]
    client = login(leader)
    _behind(3, place, "T-S")
    client.get(reverse("monitoring:behind"), {"year": 2021})
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("monitoring:behind"), {"year": 2021})
    _behind(40, place, "T-L")
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("monitoring:behind"), {"year": 2021})
    assert len(small) == len(large)
    assert len(response.context["rows"]) == 25


def test_area_table_names_the_top_areas_and_sums_the_rest(db, staff, monkeypatch):
    programme = random_programme(seed=11, n=30)
    full = selectors.dashboard(user=staff, filters=DashboardFilters(year=2021))["by_area"]
    assert len(full) > 1
    short = selectors.dashboard(user=staff, filters=DashboardFilters(year=2021), area_limit=1)["by_area"]
    assert len(short) == 2
    assert [a["name"] for a in short[:1]] == [a["name"] for a in full[:1]]
    others = short[-1]
    assert others["others"] == len(full) - 1 and others["url"] is None
    for key in ("count", "approved", "disbursed"):
        assert sum(a[key] for a in short) == sum(a[key] for a in full)
    approved = [p for p in programme if p.plan_year == 2021 and p.status in APPROVED_STATES]
    assert sum(a["count"] for a in short) == len(approved)


def test_dashboard_page_stays_small_and_its_queries_constant(db, staff, login, monkeypatch):
    monkeypatch.setattr(selectors, "AREAS_ON_DASHBOARD", 2)
    client = login(staff)
    place = communes(AREA_A, 1)[0]
    random_programme(seed=3, n=4)
    _behind(selectors.BEHIND_ON_DASHBOARD, place, "T-S")
    client.get(reverse("monitoring:dashboard"), {"year": 2021})
    cache.clear()  # both counted as computed, not served from the shared figures (core.figures_cache)
    with CaptureQueriesContext(connection) as small:
        before = client.get(reverse("monitoring:dashboard"), {"year": 2021})
    random_programme(seed=5, n=40)
    _behind(40, place)
    for p in Project.objects.filter(code__startswith="T-B"):
        make_line(p, "kcdp", approved=1_000_000)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        after = client.get(reverse("monitoring:dashboard"), {"year": 2021})
    assert len(small) == len(large)
    with CaptureQueriesContext(connection) as shared:
        again = client.get(reverse("monitoring:dashboard"), {"year": 2021})
    assert len(shared) < len(large)
    for key in ("year", "previous", "states", "sources", "by_content", "by_area", "behind_count"):
        assert again.context["board"][key] == after.context["board"][key]
    board = after.context["board"]
    assert len(board["by_area"]) <= 3  # two named areas and "the others"
    assert len(board["behind"]) == selectors.BEHIND_ON_DASHBOARD
    assert board["behind_count"] >= 50
    # Many more rows, about the same page: the behind-schedule and area rows are capped (40 more listed đề án
    # would add ~30 KB); what may still grow is a row per state and per activity content.
    assert len(after.content) < len(before.content) + 10_000


@pytest.mark.parametrize("name", ["monitoring:behind"])
def test_behind_page_refuses_a_juror_and_keeps_officers_in_their_area(db, juror, officer_b, login, name):
    place = communes(AREA_A, 1)[0]
    _behind(3, place)
    assert login(juror).get(reverse(name)).status_code == 403
    response = login(officer_b).get(reverse(name), {"year": 2021})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
