"""The periodic Excel report: scope, neutralised text, bad input, query count."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.reports import ReportRequest, build_workbook, safe_text
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory, unit
from tests.monitoring.factories import communes, make_line, random_programme


def _detail(content):
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(content))["Chi tiết đề án"].iter_rows()]


def test_formula_like_text_is_neutralised(db, leader, login):
    p = ProjectFactory(monitored=True, code="F-1", unit=communes(AREA_A, 1)[0])
    p.title = '=HYPERLINK("http://x","bấm")'
    p.save()
    make_line(p, "kcdp", approved=10_000_000)
    response = login(leader).get(reverse("monitoring:report"), {"year": 2021, "period": "ca-nam"})
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Chi tiết đề án"]
    values = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert values and all(c.data_type == "s" and not c.value.startswith("=") for c in values)
    assert safe_text("+1") == "'+1" and safe_text("-x") == "'-x" and safe_text("@a") == "'@a"
    assert safe_text("Máy đúc") == "Máy đúc"


def test_an_officer_report_covers_only_their_area(db, officer_a, login):
    mine = ProjectFactory(monitored=True, code="O-A", unit=communes(AREA_A, 1)[0])
    other = ProjectFactory(monitored=True, code="O-B", unit=communes(AREA_B, 1)[0])
    make_line(mine, "kcdp", approved=100_000_000)
    make_line(other, "kcdp", approved=900_000_000)
    response = login(officer_a).get(reverse("monitoring:report"), {"year": 2021, "period": "ca-nam"})
    rows = _detail(response.content)
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "O-A" in text and "O-B" not in text
    total = next(r for r in rows if r[1] == "TỔNG CỘNG")
    assert float(total[6]) == 100.0
    assert f"Phạm vi: {unit(AREA_A).name};" in text and "toàn thành phố" not in text


def test_missing_year_shows_the_form_with_an_error(leader, login):
    response = login(leader).get(reverse("monitoring:report"), {"period": "ca-nam", "year": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["year"]
    assert 'value="ca-nam" selected' in response.text or "ca-nam" in response.text  # the choice is kept


def test_report_query_count_does_not_grow_with_the_data(db, leader):
    random_programme(seed=11, n=5)
    with CaptureQueriesContext(connection) as small:
        build_workbook(user=type(leader).objects.get(pk=leader.pk), req=ReportRequest(year=2021))
    random_programme(seed=12, n=30)
    with CaptureQueriesContext(connection) as large:
        build_workbook(user=type(leader).objects.get(pk=leader.pk), req=ReportRequest(year=2021))
    assert len(small) == len(large)


def test_report_totals_equal_the_dashboard_on_random_data(db, leader):
    from monitoring.selectors import DashboardFilters, dashboard

    random_programme(seed=13, n=30)
    _content, totals = build_workbook(user=leader, req=ReportRequest(year=2021))
    board = dashboard(user=leader, filters=DashboardFilters(year=2021))
    assert totals["all"] == board["money_total"]["approved"]
    assert totals["disbursed"] == board["money_total"]["disbursed"]
    assert totals["settled"] == board["money_total"]["settled"]
    by_source = {s["source"]: s["approved"] for s in board["sources"]}
    assert by_source == {src: totals[src] for src in ("kcqg", "kcdp", "doi_ung", "khac") if totals[src]}
