"""The read API: tokens per client, the same scope as the pages, cursor pages, filters, updated_since, the log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiAccessLog
from api.services import client_create, client_revoke
from areas.models import AdministrativeUnit
from budgets.sources import FundingSource
from projects.models import Level, Project, ProjectStatus
from tests.conftest import AREA_A, AREA_B
from tests.factories import BeneficiaryFactory, ProjectFactory, first_commune
from tests.monitoring.factories import make_line

pytestmark = pytest.mark.django_db
PROJECTS = "/api/v1/projects/"


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


@pytest.fixture
def two_areas():
    a = ProjectFactory(code="A-1", unit=first_commune(AREA_A), beneficiaries=[BeneficiaryFactory()])
    b = ProjectFactory(code="B-1", unit=first_commune(AREA_B), level=Level.NATIONAL, plan_year=2022)
    make_line(a, FundingSource.LOCAL, approved=300_000_000, disbursed=100_000_000)
    return a, b


def test_a_province_client_reads_every_area_with_nested_data(api, province_client, two_areas):
    client, token = province_client
    response = api(token).get(PROJECTS)
    assert codes(response) == {"A-1", "B-1"}
    row = next(r for r in response.json()["results"] if r["code"] == "A-1")
    assert row["funding_lines"][0]["approved_amount"] == 300_000_000
    assert len(row["beneficiaries"]) == 1
    assert row["unit"]["path"].startswith(AREA_A)
    assert row["current_commune"] is None or row["current_commune"]["path"].startswith("/31/c")


def test_an_area_client_sees_only_its_area_and_gets_404_elsewhere(api, area_client, two_areas):
    a, b = two_areas
    _, token = area_client
    assert codes(api(token).get(PROJECTS)) == {"A-1"}
    assert api(token).get(f"{PROJECTS}{b.pk}/").status_code == 404
    assert api(token).get(f"{PROJECTS}{a.pk}/").status_code == 200
    assert api(token).get("/api/v1/funding-lines/").json()["results"][0]["project"] == "A-1"


def test_without_a_token_or_with_a_revoked_one_nothing_is_read_and_the_call_is_logged(
    api, province_client, admin_user, two_areas
):
    client, token = province_client
    assert api(None).get(PROJECTS).status_code in (401, 403)
    assert api("sai-ma-khoa").get(PROJECTS).status_code == 401
    client_revoke(actor=admin_user, client=client)
    client_revoke(actor=admin_user, client=client)  # a repeated call changes nothing
    client.refresh_from_db()
    assert not client.active and client.revoked_at is not None
    response = api(token).get(PROJECTS)
    assert response.status_code == 401
    assert "thu hồi" in response.json()["detail"]
    assert ApiAccessLog.objects.filter(path=PROJECTS, status__in=(401, 403)).count() == 3


def test_a_browser_session_of_a_leader_is_not_an_api_client(client, leader, two_areas):
    client.force_login(leader)
    assert client.get(PROJECTS).status_code in (401, 403)


def test_every_answered_call_is_logged_with_its_client(api, province_client, two_areas):
    client, token = province_client
    api(token).get(PROJECTS, {"year": 2021})
    api(token).get("/api/v1/establishments/")
    log = list(ApiAccessLog.objects.filter(client=client).order_by("id"))
    assert [(row.path, row.query, row.status) for row in log] == [
        (PROJECTS, "year=2021", 200),
        ("/api/v1/establishments/", "", 200),
    ]


def test_only_an_admin_creates_clients_and_the_token_is_stored_hashed(staff, admin_user):
    with pytest.raises(PermissionDenied):
        client_create(actor=staff, name="Không được")
    client, token = client_create(actor=admin_user, name="Bộ Công Thương")
    assert token not in client.token_hash and client.token_prefix == token[:8]
    assert not client.user.has_usable_password()


def test_filters_by_year_level_status_and_unit(api, province_client, two_areas):
    a, b = two_areas
    _, token = province_client
    assert codes(api(token).get(PROJECTS, {"year": 2022})) == {"B-1"}
    assert codes(api(token).get(PROJECTS, {"level": Level.LOCAL})) == {"A-1"}
    Project.objects.filter(pk=b.pk).update(status=ProjectStatus.SETTLED)
    assert codes(api(token).get(PROJECTS, {"status": ProjectStatus.SETTLED})) == {"B-1"}
    assert codes(api(token).get(PROJECTS, {"unit": a.unit.parent.code})) == {"A-1"}
    # A current commune finds the đề án entered with the old commune it took over whole.
    if a.unit.successor_id:
        assert codes(api(token).get(PROJECTS, {"unit": a.unit.successor.code})) == {"A-1"}
    assert codes(api(token).get(PROJECTS, {"unit": "khong-co"})) == set()
    assert api(token).get(PROJECTS, {"level": "sai"}).status_code == 400


def test_updated_since_returns_exactly_what_changed(api, province_client):
    _, token = province_client
    base = timezone.now() - datetime.timedelta(days=3)
    projects = [ProjectFactory(code=f"U-{i}") for i in range(4)]
    for i, p in enumerate(projects):
        Project.objects.filter(pk=p.pk).update(updated_at=base + datetime.timedelta(hours=i))
    since = (base + datetime.timedelta(hours=2)).isoformat()
    assert codes(api(token).get(PROJECTS, {"updated_since": since})) == {"U-2", "U-3"}
    assert api(token).get(PROJECTS, {"updated_since": "hôm qua"}).status_code == 400


def test_cursor_pages_list_every_record_once_in_update_order(api, province_client):
    _, token = province_client
    for i in range(5):
        ProjectFactory(code=f"P-{i}")
    seen, url, params = [], PROJECTS, {"page_size": 2}
    while url:
        body = api(token).get(url, params).json()
        seen += [row["code"] for row in body["results"]]
        url, params = body["next"], None
    assert sorted(seen) == [f"P-{i}" for i in range(5)] and len(seen) == 5


def test_the_project_list_runs_a_constant_number_of_queries(api, province_client):
    _, token = province_client
    ProjectFactory(code="Q-0", beneficiaries=[BeneficiaryFactory()])
    with CaptureQueriesContext(connection) as small:
        api(token).get(PROJECTS)
    for i in range(8):
        p = ProjectFactory(code=f"Q-{i + 1}", beneficiaries=[BeneficiaryFactory()], unit=first_commune(AREA_B))
        make_line(p, FundingSource.NATIONAL, approved=1_000_000)
    with CaptureQueriesContext(connection) as large:
        api(token).get(PROJECTS)
    assert len(small) == len(large)


def test_establishments_carry_no_phone_or_email(api, province_client):
    _, token = province_client
    BeneficiaryFactory(phone="0912345678", email="chu@example.vn")
    row = api(token).get("/api/v1/establishments/").json()["results"][0]
    assert "phone" not in row and "email" not in row and "0912345678" not in str(row)


def test_the_fast_project_output_equals_the_generic_serializer(province_client, two_areas):
    from api.serializers import ProjectSerializer
    from api.views import ProjectViewSet

    a, _ = two_areas
    split = AdministrativeUnit.objects.get(path__startswith=AREA_A, name="Phường Lê Hồng Phong")
    chosen = split.successor_links.order_by("successor__path").last().successor
    ProjectFactory(code="C-1", unit=split, successor_unit=chosen, outputs=2, contents=["4.1"])
    ProjectFactory(code="C-2", unit=split)  # split, not chosen yet: current commune null
    ProjectFactory(code="C-3", unit=AdministrativeUnit.objects.filter(depth=2, successor__isnull=False)[0])
    view = ProjectViewSet(action="list")
    view.request = type("R", (), {"user": province_client[0].user})()
    page = ProjectSerializer(view.get_queryset().order_by("code"), many=True).data  # the list's own loader
    instances = Project.objects.select_related("unit__successor", "successor_unit", "implementing_unit")
    for project, fast in zip(instances.order_by("code"), page, strict=True):
        generic = ProjectSerializer().generic_representation(project)
        assert dict(fast) == generic
        assert list(fast) == ProjectSerializer.Meta.fields
    by_code = {row["code"]: row for row in page}
    assert by_code["C-1"]["current_commune"]["code"] == chosen.code
    assert by_code["C-2"]["current_commune"] is None


def test_a_project_of_a_split_commune_reaches_an_area_client_of_the_chosen_successor(api, admin_user):
    split = AdministrativeUnit.objects.get(path__startswith=AREA_A, name="Phường Lê Hồng Phong")
    first, second = [link.successor for link in split.successor_links.order_by("successor__path")][:2]
    p = ProjectFactory(code="S-1", unit=split)
    _, token = client_create(actor=admin_user, name="Xã mới", unit=first)
    assert codes(api(token).get(PROJECTS)) == set()
    assert api(token).get(f"{PROJECTS}{p.pk}/").status_code == 404
    Project.objects.filter(pk=p.pk).update(successor_unit=first)
    assert codes(api(token).get(PROJECTS)) == {"S-1"}
    assert api(token).get(f"{PROJECTS}{p.pk}/").json()["current_commune"]["code"] == first.code
    _, other = client_create(actor=admin_user, name="Xã khác", unit=second)
    assert codes(api(other).get(PROJECTS)) == set()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/projects/", "/api/v1/decisions/", "/api/v1/funding-lines/", "/api/v1/establishments/"],
)
def test_each_list_runs_the_same_number_of_queries_for_one_record_or_many(api, province_client, url):
    from tests.budgets.factories import approve

    _, token = province_client

    def add(i):
        p = ProjectFactory(code=f"N-{i}", beneficiaries=[BeneficiaryFactory()], outputs=1, contents=["4.1"])
        make_line(p, FundingSource.LOCAL, approved=1_000_000, disbursed=500_000)
        approve(p, number=f"{i}/QĐ-UBND")

    add(0)
    with CaptureQueriesContext(connection) as one:
        assert api(token).get(url).status_code == 200
    for i in range(1, 7):
        add(i)
    with CaptureQueriesContext(connection) as many:
        body = api(token).get(url).json()
    assert len(body["results"]) >= 7
    assert len(one) == len(many), [q["sql"][:80] for q in many]


def test_a_decision_shows_only_the_items_of_the_clients_area(api, area_client, two_areas):
    from tests.budgets.factories import approve

    a, b = two_areas
    decision = approve(a, number="9/QĐ-UBND")
    approve(b, number="9/QĐ-UBND")  # the same decision names a đề án of area B too
    assert decision.items.count() == 2
    _, token = area_client
    rows = api(token).get("/api/v1/decisions/").json()["results"]
    assert [(row["number"], [i["project"] for i in row["items"]]) for row in rows] == [("9/QĐ-UBND", ["A-1"])]
    only_b = approve(b, number="10/QĐ-UBND")
    assert api(token).get(f"/api/v1/decisions/{only_b.pk}/").status_code == 404


def test_funding_lines_follow_the_project_scope(api, area_client, two_areas):
    a, b = two_areas
    make_line(b, FundingSource.NATIONAL, approved=5_000_000)
    _, token = area_client
    rows = api(token).get("/api/v1/funding-lines/").json()["results"]
    assert {row["project"] for row in rows} == {"A-1"}
