"""The programme dashboard: totals equal sums computed row by row, area scope, schedule, query counts, access."""

import datetime
import re
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BudgetAllocation, FundingLine
from monitoring import selectors
from monitoring.selectors import APPROVED_STATES, DashboardFilters
from projects.models import Level, Project, ProjectKind, ProjectStatus
from tests.conftest import AREA_A
from tests.factories import ProjectFactory, unit
from tests.monitoring.factories import communes, make_line, make_report, random_programme

S = ProjectStatus


def expected_figures(projects, year, level=""):
    """The dashboard's figures, recomputed in Python from the rows."""
    chosen = [p for p in projects if p.plan_year == year and (not level or p.level == level)]
    approved_ids = {p.pk for p in chosen if p.status in APPROVED_STATES}
    lines = [line for line in FundingLine.objects.all() if line.project_id in approved_ids]
    by_source = defaultdict(lambda: [0, 0, 0])
    for line in lines:
        by_source[line.source][0] += line.approved_amount
        by_source[line.source][1] += line.disbursed_total
        by_source[line.source][2] += line.settled_amount
    return {
        "states": Counter(p.status for p in chosen),
        "projects": sum(1 for p in chosen if p.pk in approved_ids and p.kind == ProjectKind.PROJECT),
        "tasks": sum(1 for p in chosen if p.pk in approved_ids and p.kind == ProjectKind.TASK),
        "approved": sum(line.approved_amount for line in lines),
        "disbursed": sum(line.disbursed_total for line in lines),
        "settled": sum(line.settled_amount for line in lines),
        "by_source": {k: tuple(v) for k, v in by_source.items()},
        "approved_ids": approved_ids,
    }


@pytest.fixture
def programme(db):
    return random_programme(seed=7, n=30)


@pytest.mark.parametrize("level", ["", Level.NATIONAL, Level.LOCAL])
def test_dashboard_totals_equal_the_sums_of_the_rows(programme, leader, level):
    board = selectors.dashboard(user=leader, filters=DashboardFilters(year=2021, level=level))
    want = expected_figures(programme, 2021, level)

    assert {s["status"]: s["count"] for s in board["states"]} == dict(want["states"])
    assert board["year"].projects == want["projects"]
    assert board["year"].tasks == want["tasks"]
    assert board["money_total"]["approved"] == want["approved"]
    assert board["money_total"]["disbursed"] == want["disbursed"]
    assert board["money_total"]["settled"] == want["settled"]
    assert {s["source"]: (s["approved"], s["disbursed"], s["settled"]) for s in board["sources"]} == want["by_source"]
    for s in board["sources"]:
        assert s["rate"] == pytest.approx(s["disbursed"] * 100 / s["approved"])
    # The area breakdown adds up to the total: every đề án is in exactly one area.
    assert sum(a["approved"] for a in board["by_area"]) == want["approved"]
    assert sum(a["count"] for a in board["by_area"]) == want["projects"] + want["tasks"]
    # The yearly envelopes of the chosen levels.
    levels = [level] if level else Level.values
    assert board["money_total"]["allocated"] == sum(
        a.amount for a in BudgetAllocation.objects.filter(year=2021, level__in=levels)
    )


def test_content_breakdown_counts_each_content_of_a_project(programme, leader):
    board = selectors.dashboard(user=leader, filters=DashboardFilters(year=2021))
    want_count, want_money = Counter(), Counter()
    approved = {p.pk: p for p in Project.objects.filter(plan_year=2021, status__in=APPROVED_STATES)}
    for p in approved.values():
        total = sum(line.approved_amount for line in p.funding_lines.all())
        for c in p.contents.all():
            want_count[c.code] += 1
            want_money[c.code] += total
    assert {r["code"]: r["count"] for r in board["by_content"]} == dict(want_count)
    assert {r["code"]: r["approved"] for r in board["by_content"]} == dict(want_money)


def test_previous_year_is_compared_with_its_own_rows(programme, leader):
    board = selectors.dashboard(user=leader, filters=DashboardFilters(year=2021))
    before = expected_figures(programme, 2020)
    assert board["previous"].year == 2020
    assert board["previous"].approved == before["approved"]
    assert board["previous"].projects == before["projects"]
    rows = {str(label): (a, b) for label, a, b, _money in board["comparison"]}
    assert rows["Kinh phí phê duyệt (mọi nguồn)"] == (before["approved"], expected_figures(programme, 2021)["approved"])


def test_an_area_officer_counts_only_their_area(programme, officer_a, leader):
    mine = [p for p in programme if p.unit.path.startswith(AREA_A)]
    assert mine and len(mine) < len(programme)  # the data set has other areas too
    board = selectors.dashboard(user=officer_a, filters=DashboardFilters(year=2021))
    want = expected_figures(mine, 2021)
    assert board["money_total"]["approved"] == want["approved"]
    assert {s["status"]: s["count"] for s in board["states"]} == dict(want["states"])
    assert [a["name"] for a in board["by_area"]] in ([], [unit(AREA_A).name])
    # The city-wide envelope is not shown against one area's money.
    assert board["money_total"]["allocated"] is None
    # A leader narrowing to the same area sees the same money.
    narrowed = selectors.dashboard(user=leader, filters=DashboardFilters(year=2021, area=unit(AREA_A)))
    assert narrowed["money_total"]["approved"] == want["approved"]


def test_an_officer_cannot_narrow_the_dashboard_to_another_area(programme, officer_a, login):
    other = unit("/31/d317/")
    response = login(officer_a).get(reverse("monitoring:dashboard"), {"year": 2021, "area": other.pk})
    assert response.status_code == 200
    # The foreign area is refused by the form: the officer's own figures are shown, not Cát Hải's.
    assert response.context["filters"].area is None
    want = expected_figures([p for p in programme if p.unit.path.startswith(AREA_A)], 2021)
    assert response.context["board"]["money_total"]["approved"] == want["approved"]


def _queries(user, filters):
    user = type(user).objects.get(pk=user.pk)  # a fresh object: no role or area cache from an earlier call
    with CaptureQueriesContext(connection) as ctx:
        selectors.dashboard(user=user, filters=filters)
    return len(ctx)


def test_query_count_does_not_grow_with_the_data(db, leader, officer_a):
    random_programme(seed=1, n=5)
    small = (_queries(leader, DashboardFilters(year=2021)), _queries(officer_a, DashboardFilters(year=2021)))
    random_programme(seed=2, n=40)
    large = (_queries(leader, DashboardFilters(year=2021)), _queries(officer_a, DashboardFilters(year=2021)))
    assert small == large
    assert large[0] <= 14


def test_dashboard_page_query_count_is_constant(db, leader, login):
    client = login(leader)
    random_programme(seed=3, n=5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("monitoring:dashboard"), {"year": 2021}).status_code == 200
    random_programme(seed=4, n=40)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("monitoring:dashboard"), {"year": 2021}).status_code == 200
    assert len(small) == len(large)


def test_behind_schedule_uses_end_date_and_latest_progress(db, officer_a, leader):
    today = datetime.date(2021, 7, 1)
    place = communes(AREA_A, 1)[0]
    half = {"start_date": datetime.date(2021, 1, 1), "end_date": datetime.date(2021, 12, 31)}  # ~50 % elapsed on 1/7
    ProjectFactory(
        monitored=True,
        code="T-OVERDUE",
        unit=place,
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 6, 1),
    )
    lagging = ProjectFactory(monitored=True, code="T-LAG", unit=place, **half)
    on_track = ProjectFactory(monitored=True, code="T-OK", unit=place, **half)
    no_report = ProjectFactory(monitored=True, code="T-NONE", unit=place, **half)
    done = ProjectFactory(
        monitored=True,
        code="T-DONE",
        unit=place,
        status=S.AWAITING_ACCEPTANCE,
        start_date=half["start_date"],
        end_date=half["end_date"],
    )
    # An older report said 60 %, the latest says 20 %: the latest counts.
    make_report(lagging, author=officer_a, progress=60, visit_date=datetime.date(2021, 3, 1))
    make_report(lagging, author=officer_a, progress=20, visit_date=datetime.date(2021, 6, 20))
    make_report(on_track, author=officer_a, progress=45, visit_date=datetime.date(2021, 6, 20))
    # A draft does not count as reported progress.
    make_report(no_report, author=officer_a, progress=90, visit_date=datetime.date(2021, 6, 20), submitted=False)

    rows = selectors.behind_schedule(Project.objects.all(), today=today)
    by_code = {r.project.code: r for r in rows}
    assert set(by_code) == {"T-OVERDUE", "T-LAG", "T-NONE"}
    assert by_code["T-OVERDUE"].overdue
    assert by_code["T-LAG"].progress == 20
    assert by_code["T-NONE"].progress is None
    assert done.code not in by_code and on_track.code not in by_code


def test_every_dashboard_number_links_to_a_list_that_counts_it(programme, leader, login):
    client = login(leader)
    board = client.get(reverse("monitoring:dashboard"), {"year": 2021}).context["board"]
    checks = [(s["url"], s["count"]) for s in board["states"]]
    checks += [(r["url"], r["count"]) for r in board["by_content"]]
    checks += [(a["url"], a["count"]) for a in board["by_area"] if a["url"]]
    # The area/content lists filter all states; compare with the same filter on the list page.
    for url, expected in checks[:12]:
        assert url.startswith(reverse("projects:list"))
        page = client.get(url)
        assert page.status_code == 200
        listed = page.context["page"].paginator.count
        if "status=" in url:
            assert listed == expected, url
        else:
            assert listed >= expected, url  # the list also shows đề án not yet approved


def test_dashboard_page_shows_key_figures_and_tables(programme, leader, login):
    response = login(leader).get(reverse("monitoring:dashboard"), {"year": 2021})
    html = response.text
    assert 'data-testid="table-sources"' in html and 'data-testid="table-states"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "cdn" not in html.lower()
    want = expected_figures(programme, 2021)
    from core.money import format_million

    assert format_million(want["approved"]) in html


@pytest.mark.parametrize("name", ["monitoring:dashboard", "monitoring:map", "monitoring:behind", "monitoring:report"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["monitoring:dashboard", "monitoring:map", "monitoring:behind", "monitoring:report"])
def test_a_juror_is_refused(juror, login, name):
    assert login(juror).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("persona", ["staff", "leader", "officer_a", "admin_user"])
def test_programme_roles_open_the_dashboard(db, request, login, persona):
    user = request.getfixturevalue(persona)
    response = login(user).get(reverse("monitoring:dashboard"))
    assert response.status_code == 200


def test_bad_filters_fall_back_to_defaults(leader, login):
    response = login(leader).get(reverse("monitoring:dashboard"), {"year": "abc", "level": "x", "area": "999999"})
    assert response.status_code == 200
    assert response.context["filters"].level == ""
    assert response.context["filters"].area is None


def test_money_of_projects_not_yet_approved_is_not_counted(db, leader):
    place = communes(AREA_A, 1)[0]
    approved = ProjectFactory(monitored=True, code="A-1", unit=place, status=S.IN_PROGRESS)
    registered = ProjectFactory(monitored=True, code="A-2", unit=place, status=S.REGISTERED)
    make_line(approved, "kcdp", approved=100_000_000, disbursed=40_000_000)
    make_line(registered, "kcdp", approved=500_000_000)
    board = selectors.dashboard(user=leader, filters=DashboardFilters(year=2021))
    assert board["money_total"]["approved"] == 100_000_000
    assert board["money_total"]["rate"] == pytest.approx(40.0)
    assert re.search(r"Đã đăng ký", str([s["label"] for s in board["states"]]))


def test_the_area_table_groups_by_pre_2025_district_or_by_current_commune_with_split_communes_flagged(login, staff):
    from areas.models import AdministrativeUnit
    from tests.budgets.factories import line

    whole = AdministrativeUnit.objects.filter(path__startswith=AREA_A, depth=2, successor__isnull=False).first()
    split = AdministrativeUnit.objects.get(path__startswith=AREA_A, name="Phường Lê Hồng Phong")
    assert split.successor_id is None and split.successor_links.count() > 1
    for i, place in enumerate((whole, whole, split)):
        p = ProjectFactory(code=f"G-{i}", status=S.APPROVED, plan_year=2021, unit=place)
        line(p, approved=(i + 1) * 100_000_000)

    by_district = selectors.dashboard(user=staff, filters=DashboardFilters(year=2021))["by_area"]
    assert [(r["name"], r["count"], r["approved"]) for r in by_district] == [(unit(AREA_A).name, 3, 600_000_000)]
    by_commune = selectors.dashboard(user=staff, filters=DashboardFilters(year=2021, group="xa"))["by_area"]
    assert [(r["name"], r["count"], r["approved"], r["unplaced"]) for r in by_commune] == [
        (whole.successor.name, 2, 300_000_000, False),
        ("Chưa chọn xã kế thừa", 1, 300_000_000, True),
    ]

    page = login(staff).get(reverse("monitoring:dashboard"), {"year": 2021, "group": "xa"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="area-unplaced"' in html
    assert 'value="xa" selected' in html  # the choice stays in the form (and so in the query string)
    bad = login(staff).get(reverse("monitoring:dashboard"), {"year": 2021, "group": "<x>"})
    assert bad.status_code == 200 and 'data-testid="area-unplaced"' not in bad.content.decode()


def test_an_officers_dashboard_page_costs_no_query_per_area_of_the_filter(db, login):
    """The area filter lists the officer's province, its districts and current communes; each label names its
    district. The labels come from one query (a query per unit made an officer's page 76 queries at national
    scale)."""
    from accounts.roles import Role
    from areas.models import AdministrativeUnit
    from tests.factories import UserFactory, unit

    client = login(UserFactory(username="officer_city", role=Role.AREA_OFFICER, areas=[unit("/31/")]))
    random_programme(seed=5, n=5)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("monitoring:dashboard"), {"year": 2021})
    assert page.status_code == 200
    areas = page.context["form"].fields["area"].queryset
    assert AdministrativeUnit.objects.filter(pk__in=areas.values("pk")).count() > 5  # a list long enough to show it
    unit_queries = [q for q in ctx.captured_queries if 'FROM "areas_administrativeunit"' in q["sql"]]
    assert len(unit_queries) <= 6, "\n".join(q["sql"][:200] for q in unit_queries)
