"""The sync cursor is a keyset on (updated_at, id): ties of a bulk change, changes during a sync, tampered cursors."""

import base64
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Project
from tests.conftest import AREA_A
from tests.factories import BeneficiaryFactory, ProjectFactory, first_commune, implementing_centre

pytestmark = pytest.mark.django_db
PROJECTS = "/api/v1/projects/"


def bulk_projects(n: int, *, at: datetime.datetime) -> list[int]:
    """n đề án in one bulk insert, all sharing one updated_at (what a bulk change leaves behind)."""
    unit, centre = first_commune(AREA_A), implementing_centre()
    Project.objects.bulk_create(
        [
            Project(
                code=f"T-{i:04d}",
                title=f"Đề án {i}",
                level="kcdp",
                plan_year=2025,
                status="in_progress",
                unit=unit,
                implementing_unit=centre,
                search_text=f"t-{i:04d}",
            )
            for i in range(n)
        ]
    )
    Project.objects.update(updated_at=at)
    return list(Project.objects.order_by("id").values_list("id", flat=True))


def walk(caller, url, params, *, between=None, link="next"):
    """Every page from url on, following `link`; `between(page_number)` runs after each page. Returns the ids in
    the order received and the SQL of each page."""
    seen, queries, number = [], [], 0
    while url:
        with CaptureQueriesContext(connection) as page_queries:
            response = caller.get(url, params)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        queries.append([q["sql"] for q in page_queries])
        seen += [row["id"] for row in body["results"]]
        url, params, number = body[link], None, number + 1
        if between:
            between(number)
    return seen, queries


def test_a_thousand_records_sharing_one_updated_at_come_exactly_once_in_constant_queries(api, province_client):
    _, token = province_client
    ids = bulk_projects(1000, at=timezone.now() - datetime.timedelta(days=1))
    seen, queries = walk(api(token), PROJECTS, {"page_size": 37})
    assert seen == ids  # every one, once, in (updated_at, id) order
    assert len(queries) == 28 and len({len(page) for page in queries}) == 1
    # The last page seeks to its place, it does not count its way through the tie (DRF's OFFSET 999).
    deep = next(sql for sql in queries[-1] if 'FROM "projects_project"' in sql and "ORDER BY" in sql)
    assert "OFFSET" not in deep
    if connection.vendor == "postgresql":
        assert '("projects_project"."updated_at", "projects_project"."id") >' in deep


def test_previous_walks_the_same_order_back(api, province_client):
    _, token = province_client
    ids = bulk_projects(50, at=timezone.now() - datetime.timedelta(days=1))
    body = api(token).get(PROJECTS, {"page_size": 7}).json()
    assert body["previous"] is None
    while body["next"]:
        last = body
        body = api(token).get(body["next"]).json()
    assert last["next"] and len(body["results"]) == 1 and body["results"][0]["id"] == ids[-1]
    back, _ = walk(api(token), body["previous"], None, link="previous")
    pages = [ids[i : i + 7] for i in range(0, 49, 7)]  # walking back gives the same pages, last to first
    assert back == [pk for page in reversed(pages) for pk in page]


def test_a_record_changed_during_a_sync_comes_again_later_and_none_is_skipped(api, province_client):
    """DRF's offset cursor skipped a record here: the change moved one row of the tie out of the offsets."""
    _, token = province_client
    ids = bulk_projects(10, at=timezone.now() - datetime.timedelta(days=1))
    seen_early, not_yet = ids[1], ids[8]

    def change(page_number):
        if page_number == 1:  # between the first and the second page
            for pk in (seen_early, not_yet):
                Project.objects.get(pk=pk).save()  # updated_at = now

    seen, _ = walk(api(token), PROJECTS, {"page_size": 3}, between=change)
    assert sorted(set(seen)) == ids
    assert seen.count(seen_early) == 2 and seen.count(not_yet) == 1
    assert seen[-2:] == [seen_early, not_yet]  # after their new updated_at, in the order they changed
    assert seen[3:-2] == [pk for pk in ids[3:] if pk != not_yet]


def test_the_cursor_holds_both_the_updated_at_and_the_id(api, province_client):
    _, token = province_client
    ids = bulk_projects(3, at=datetime.datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=datetime.UTC))
    body = api(token).get(PROJECTS, {"page_size": 2}).json()
    cursor = body["next"].split("cursor=")[1]
    decoded = base64.b64decode(cursor.replace("%3D", "=")).decode()
    assert decoded == f"p=2026-05-04T03%3A02%3A01.123456%2B00%3A00&i={ids[1]}"


@pytest.mark.parametrize(
    "raw",
    [
        "khong-phai-con-tro",
        base64.b64encode(b"o=5").decode(),  # DRF's offset-only cursor: no position
        base64.b64encode(b"p=hom-qua&i=1").decode(),
        base64.b64encode(b"p=2026-01-01T00:00:00&i=1").decode(),  # no time zone
        base64.b64encode(b"p=2026-01-01T00:00:00%2B00:00&i=-1").decode(),
        base64.b64encode(b"p=2026-01-01T00:00:00%2B00:00&i=99999999999999999999").decode(),  # beyond a bigint
        base64.b64encode("p=2026-01-01T00:00:00%2B00:00&i=١٢".encode()).decode(),
        base64.b64encode(b"p=0001-01-01T00:00:00%2B14:00&i=1").decode(),  # before year 1 in UTC
        base64.b64encode(b"p=2026-01-01T00:00:00%2B00:00&i=1&r=2").decode(),
        "%FF%FE",
    ],
)
def test_a_tampered_cursor_is_a_400_in_vietnamese(api, province_client, raw):
    _, token = province_client
    ProjectFactory(code="X-1")
    response = api(token).get(f"{PROJECTS}?cursor={raw}")
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {
        "cursor": ["Con trỏ trang không hợp lệ. Hãy dùng đúng giá trị next hoặc previous của trang trước."]
    }


def test_a_cursor_of_drfs_own_kind_resumes_at_its_instant_and_skips_nothing(api, province_client):
    """Clients mid-sync across the upgrade hold a cursor without an id: they get the rows of its updated_at again."""
    _, token = province_client
    at = timezone.now() - datetime.timedelta(days=1)
    ids = bulk_projects(4, at=at)
    legacy = base64.b64encode(f"p={at.isoformat()}".replace("+", "%2B").encode()).decode()
    seen, _ = walk(api(token), f"{PROJECTS}?cursor={legacy}", None)
    assert seen == ids


@pytest.mark.parametrize("url", ["/api/v1/funding-lines/", "/api/v1/establishments/", "/api/v1/decisions/"])
def test_every_sync_list_pages_through_a_tie(api, province_client, url):
    from beneficiaries.models import Beneficiary
    from budgets.models import FundingLine
    from budgets.sources import FundingSource
    from projects.models import Decision
    from tests.budgets.factories import approve
    from tests.monitoring.factories import make_line

    _, token = province_client
    for i in range(5):
        p = ProjectFactory(code=f"E-{i}", beneficiaries=[BeneficiaryFactory()])
        make_line(p, FundingSource.LOCAL, approved=1_000_000)
        approve(p, number=f"{i}/QĐ-UBND")
    model = {"/api/v1/funding-lines/": FundingLine, "/api/v1/establishments/": Beneficiary}.get(url, Decision)
    model.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))
    expected = list(model.objects.order_by("id").values_list("id", flat=True))
    seen, _ = walk(api(token), url, {"page_size": 2})
    assert seen == expected and len(expected) >= 5
