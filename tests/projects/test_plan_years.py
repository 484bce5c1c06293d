"""The đề án list's year choices (issue 18): one MIN/MAX query answered from the year index, never every đề án's
year read into Python."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.selectors import plan_years
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory


def test_years_run_from_the_first_to_the_last_in_one_query(db, staff):
    assert plan_years(user=staff) == []
    for year in (2021, 2024, 2024, 2022):
        ProjectFactory(plan_year=year)
    with CaptureQueriesContext(connection) as queries:
        years = plan_years(user=staff)
    assert years == [2024, 2023, 2022, 2021]
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "MIN(" in sql and "MAX(" in sql


def test_an_officer_gets_the_years_of_the_own_area(db, officer_a):
    ProjectFactory(area=AREA_A, plan_year=2022)
    ProjectFactory(area=AREA_A, plan_year=2023)
    ProjectFactory(area=AREA_B, plan_year=2025)
    assert plan_years(user=officer_a) == [2023, 2022]


def test_the_list_offers_the_years_and_filters_by_one(db, staff, login):
    ProjectFactory(plan_year=2021, code="Y-1")
    ProjectFactory(plan_year=2023, code="Y-3")
    page = login(staff).get(reverse("projects:list"), {"year": 2023})
    assert page.status_code == 200
    assert 'value="2022"' in page.text and 'value="2021"' in page.text
    assert "Y-3" in page.text and "Y-1" not in page.text


def test_on_postgresql_the_bounds_come_from_an_index_not_a_full_scan(db, staff):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN of PostgreSQL")
    ProjectFactory(plan_year=2022)
    with CaptureQueriesContext(connection) as queries:
        plan_years(user=staff)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan and "Index" in plan, plan
