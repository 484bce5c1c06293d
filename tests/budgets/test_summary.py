"""The annual budget summary: the 2021 figures of the demo data, the database doing the sums, the scope of an
area officer, a constant number of queries, and the .xlsx export carrying the same totals."""

from io import BytesIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from budgets.excel import safe
from budgets.models import FundingLine
from budgets.selectors import SummaryFilters, budget_summary
from tests.budgets.factories import line
from tests.factories import ProjectFactory, first_commune


def test_the_2021_demo_reproduces_the_article_figures(demo, staff):
    summary = budget_summary(user=staff, filters=SummaryFilters(year=2021))
    by_source = {row.key: row.approved for row in summary.by_source}
    assert summary.total.approved == 3_108_129_000
    assert by_source == {"kcqg": 600_000_000, "kcdp": 986_629_000, "doi_ung": 1_521_500_000}
    assert summary.counts == {"de_an": 8, "du_toan": 1}
    assert {row.key: row.projects for row in summary.by_level} == {"kcqg": 1, "kcdp": 8}
    # Paid and settled never exceed approved, anywhere.
    assert 0 < summary.total.disbursed <= summary.total.approved
    assert summary.total.settled <= summary.total.approved


def test_the_2021_summary_page_shows_the_figures_in_vietnamese_format(demo, login, leader):
    body = login(leader).get("/kinh-phi/?year=2021").content.decode()
    assert "3.108,129 triệu đồng" in body and "3.108.129.000" in body
    assert "600 triệu đồng" in body and "986,629 triệu đồng" in body and "1.521,5 triệu đồng" in body
    assert "600,000" not in body and "1.521,500" not in body
    assert "8 đề án và 1 dự toán" in body
    assert "KCQG-2021-01" in body and "KCĐP-2021-DT1" in body


def test_loading_the_demo_twice_changes_nothing(demo):
    before = list(FundingLine.objects.order_by("id").values_list("approved_amount", "disbursed_total"))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(FundingLine.objects.order_by("id").values_list("approved_amount", "disbursed_total")) == before


def test_filters_and_drill_down(demo, login, staff):
    client = login(staff)
    body = client.get("/kinh-phi/?year=2021&level=kcqg").content.decode()
    assert "KCQG-2021-01" in body and "KCĐP-2021-02" not in body
    body = client.get("/kinh-phi/?year=2021&source=kcdp").content.decode()
    assert "986,629 triệu đồng" in body and "KCQG-2021-01" not in body
    assert client.get("/kinh-phi/?year=abc").status_code == 400


def test_an_area_officer_sees_only_the_money_of_their_area(db, login, officer_a, officer_b):
    mine = ProjectFactory(funded=True, code="KCĐP-A", unit=first_commune("/31/d311/"))
    theirs = ProjectFactory(funded=True, code="KCĐP-B", unit=first_commune("/31/d317/"))
    line(mine, approved=100_000_000, estimated=100_000_000)
    line(theirs, approved=7_000_000, estimated=7_000_000)
    summary = budget_summary(user=officer_a, filters=SummaryFilters(year=2021))
    assert summary.total.approved == 100_000_000
    body = login(officer_b).get("/kinh-phi/?year=2021").content.decode()
    assert "KCĐP-B" in body and "KCĐP-A" not in body
    assert login(officer_b).get(f"/kinh-phi/de-an/{mine.pk}/").status_code == 404


def test_the_summary_takes_the_same_number_of_queries_for_few_or_many_projects(db, login, staff):
    client = login(staff)

    def count(n):
        for _ in range(n):
            project = ProjectFactory(funded=True, contents=["4.1"])
            line(project, approved=10, estimated=10)
            line(project, source="doi_ung", approved=5, estimated=5)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/kinh-phi/?year=2021&per_page=100")
        assert response.status_code == 200
        return len(queries)

    assert count(2) == count(30)


def test_juror_and_anonymous_cannot_see_the_summary(client, login, juror, db):
    assert "/accounts/login/" in client.get("/kinh-phi/")["Location"]
    assert login(juror).get("/kinh-phi/").status_code == 403
    assert login(juror).get("/kinh-phi/tong-hop.xlsx?year=2021").status_code == 403


def test_the_excel_export_opens_and_carries_the_same_totals(demo, login, staff):
    response = login(staff).get("/kinh-phi/tong-hop.xlsx?year=2021")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    sources = workbook["Theo nguồn kinh phí"]
    rows = {row[0]: row for row in sources.iter_rows(min_row=2, values_only=True)}
    assert rows["Kinh phí khuyến công quốc gia"][3] == 600_000_000
    assert rows["Kinh phí khuyến công địa phương"][3] == 986_629_000
    assert rows["Vốn đối ứng của cơ sở"][3] == 1_521_500_000
    assert rows["Tổng cộng"][3] == 3_108_129_000
    projects = list(workbook["Đề án"].iter_rows(min_row=2, values_only=True))
    assert len(projects) == 9
    assert sum(row[10] for row in projects) == 3_108_129_000


def test_formula_like_text_is_neutralised_in_the_export(db, login, staff):
    project = ProjectFactory(funded=True, title='=HYPERLINK("http://x","bấm")')
    line(project, approved=1, estimated=1)
    workbook = load_workbook(BytesIO(login(staff).get("/kinh-phi/tong-hop.xlsx?year=2021").content))
    title = next(workbook["Đề án"].iter_rows(min_row=2, values_only=True))[1]
    assert title.startswith("'=")
    assert safe("-1") == "'-1" and safe("+x") == "'+x" and safe("@a") == "'@a" and safe("Đề án") == "Đề án"
