"""The 2021 Hải Phòng figures of domain.md §9, read from the demo data through the dashboard and the report."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from budgets.models import FundingLine
from monitoring import selectors
from monitoring.selectors import DashboardFilters
from projects.models import Level, Project


@pytest.fixture
def lanhdao(demo):  # the whole demo, loaded once per test process (tests/snapshots.py)
    return User.objects.get(username="lanhdao")


def test_2021_counts_match_the_article(lanhdao):
    board = selectors.dashboard(user=lanhdao, filters=DashboardFilters(year=2021))
    assert board["year"].by_level[Level.NATIONAL] == {"projects": 1, "tasks": 0}
    assert board["year"].by_level[Level.LOCAL] == {"projects": 7, "tasks": 1}


def test_2021_money_matches_the_article(lanhdao):
    board = selectors.dashboard(user=lanhdao, filters=DashboardFilters(year=2021))
    by_source = {s["source"]: s["approved"] for s in board["sources"]}
    assert board["money_total"]["approved"] == 3_108_129_000
    assert by_source["kcqg"] == 600_000_000
    assert by_source["kcdp"] == 986_629_000
    # Independently, from the rows.
    lines = FundingLine.objects.filter(project__plan_year=2021)
    assert sum(line.approved_amount for line in lines) == 3_108_129_000
    assert sum(line.disbursed_total for line in lines) == board["money_total"]["disbursed"]
    assert sum(line.settled_amount for line in lines) == board["money_total"]["settled"]


def test_2021_level_filters_split_the_total(lanhdao):
    national = selectors.dashboard(user=lanhdao, filters=DashboardFilters(year=2021, level=Level.NATIONAL))
    local = selectors.dashboard(user=lanhdao, filters=DashboardFilters(year=2021, level=Level.LOCAL))
    assert national["year"].projects == 1
    assert national["money_total"]["approved"] + local["money_total"]["approved"] == 3_108_129_000


def test_the_dashboard_page_shows_the_article_figures(lanhdao, login):
    html = login(lanhdao).get(reverse("monitoring:dashboard"), {"year": 2021}).text
    assert "3.108,129" in html
    assert ">600</a>" in html and "600,000" not in html
    assert "986,629" in html


def test_annual_report_totals_equal_the_dashboard(lanhdao, login):
    response = login(lanhdao).get(reverse("monitoring:report"), {"year": 2021, "period": "ca-nam"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bao-cao-khuyen-cong-ca-nam-2021.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Chi tiết đề án"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in cells for v in row if v is not None]
    assert "Đơn vị tính: triệu đồng" in flat
    assert any(isinstance(v, str) and "NĂM 2021" in v for v in flat)
    total_row = next(row for row in cells if row[1] == "TỔNG CỘNG")
    board = selectors.dashboard(user=lanhdao, filters=DashboardFilters(year=2021))
    to_m = lambda v: round(v / 1_000_000, 3)  # noqa: E731
    assert float(total_row[6]) == to_m(board["money_total"]["approved"]) == 3108.129
    assert float(total_row[7]) == to_m(600_000_000)
    assert float(total_row[8]) == to_m(986_629_000)
    assert float(total_row[11]) == to_m(board["money_total"]["disbursed"])
    assert float(total_row[12]) == to_m(board["money_total"]["settled"])
    # One row per approved đề án of 2021, under its level.
    numbered = [row for row in cells[9:] if isinstance(row[0], int)]
    assert len(numbered) == Project.objects.filter(plan_year=2021).count() == 9
    summary = wb["Tổng hợp theo nguồn"]
    summary_total = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Tổng cộng")
    assert float(summary_total[2]) == 3108.129


def test_half_year_report_counts_payments_up_to_30_june(lanhdao, login):
    from budgets.models import Disbursement

    response = login(lanhdao).get(reverse("monitoring:report"), {"year": 2021, "period": "6-thang"})
    ws = load_workbook(io.BytesIO(response.content))["Chi tiết đề án"]
    total_row = next(r for r in ws.iter_rows(values_only=True) if r[1] == "TỔNG CỘNG")
    paid = sum(d.amount for d in Disbursement.objects.filter(line__project__plan_year=2021, paid_on__lte="2021-06-30"))
    assert float(total_row[11]) == round(paid / 1_000_000, 3)
    assert "6 THÁNG ĐẦU NĂM 2021" in str(ws.cell(4, 1).value)
