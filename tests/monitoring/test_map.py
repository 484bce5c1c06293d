"""The schematic map: centres from the data migration, the vendored outline, counts per commune, GPS points."""

import datetime
import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from areas.models import AdministrativeUnit
from areas.selectors import current_communes_from
from monitoring import geodata, maps, selectors
from monitoring.outline import clip, convex_hull, voronoi_cells
from monitoring.selectors import DashboardFilters
from tests.conftest import AREA_A, AREA_B
from tests.factories import BeneficiaryFactory, ProjectFactory, unit
from tests.monitoring.factories import communes, make_report


def test_every_unit_of_the_city_has_a_schematic_centre(db):
    assert not AdministrativeUnit.objects.filter(latitude__isnull=True).exists()
    # Centres stay near their district: Thủy Nguyên's communes within ~10 km of its centre.
    lat, lng, radius = geodata.DISTRICT_CENTRES[AREA_A]
    for c in AdministrativeUnit.objects.filter(path__startswith=AREA_A):
        assert abs(c.latitude - lat) < 0.1 and abs(c.longitude - lng) < 0.1


def test_a_current_commune_sits_where_its_predecessor_commune_was(db):
    district = unit(AREA_A)
    successors = list(current_communes_from(district))
    assert successors
    for commune in successors:
        old = AdministrativeUnit.objects.get(path__startswith=AREA_A, depth=2, code=commune.code)
        assert (commune.latitude, commune.longitude) == (old.latitude, old.longitude)


def test_the_migration_can_be_undone_and_redone(db):
    geodata.clear_centres(AdministrativeUnit)
    assert not AdministrativeUnit.objects.filter(latitude__isnull=False).exists()
    assert geodata.assign_centres(AdministrativeUnit) == AdministrativeUnit.objects.count()
    assert geodata.assign_centres(AdministrativeUnit) == 0  # a second run changes nothing


def test_the_vendored_outline_is_geojson_of_the_current_communes(db):
    path = finders.find(maps.OUTLINE_STATIC)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    assert data["type"] == "FeatureCollection"
    communes_ = [f for f in data["features"] if f["properties"]["kind"] == "commune"]
    assert len(communes_) == AdministrativeUnit.objects.filter(valid_to__isnull=True, depth=1).count() - 1  # − inset
    assert "gần đúng" in data["description"]


def test_voronoi_cells_partition_a_square():
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    cells = voronoi_cells([(0.25, 0.5), (0.75, 0.5)], square)
    xs = [sorted({round(x, 6) for x, _ in cell}) for cell in cells]
    assert xs == [[0.0, 0.5], [0.5, 1.0]]
    assert clip(square, 1, 0, -1) == []
    assert len(convex_hull([(0, 0), (1, 0), (0.5, 0.2), (1, 1), (0, 1)])) == 4


@pytest.fixture
def placed(db, officer_a):
    a1, a2 = communes(AREA_A, 2)
    b1 = communes(AREA_B, 1)[0]
    p1 = ProjectFactory(monitored=True, code="M-1", unit=a1)
    ProjectFactory(monitored=True, code="M-2", unit=a1)
    ProjectFactory(monitored=True, code="M-3", unit=a2, plan_year=2020)
    ProjectFactory(monitored=True, code="M-4", unit=b1)
    BeneficiaryFactory(unit=a1)
    BeneficiaryFactory(unit=b1)
    make_report(p1, author=officer_a, progress=50, visit_date=datetime.date(2021, 5, 1), lat=20.93, lng=106.66)
    return a1, a2, b1


def test_map_counts_per_commune_respect_year_and_scope(placed, leader, officer_a):
    a1, a2, b1 = placed
    data = selectors.map_data(user=leader, filters=DashboardFilters(year=2021))
    counts = {p["unit"].pk: (p["projects"], p["establishments"]) for p in data["places"]}
    assert counts[a1.pk] == (2, 1)
    assert a2.pk not in counts  # its đề án is of 2020
    assert counts[b1.pk] == (1, 1)
    assert len(data["gps"]) == 1
    mine = selectors.map_data(user=officer_a, filters=DashboardFilters(year=2021))
    assert {p["unit"].pk for p in mine["places"]} == {a1.pk}


def test_map_page_is_an_inline_svg_labelled_as_a_schematic(placed, login, leader):
    a1 = placed[0]
    response = login(leader).get(reverse("monitoring:map"), {"year": 2021})
    html = response.text
    assert response.status_code == 200
    assert "<svg" in html and 'data-testid="map-svg"' in html
    assert "Sơ đồ minh họa, vị trí gần đúng" in html
    assert "<script" not in html.split('data-testid="map-svg"')[1].split("</svg>")[0]
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # no tile server
    # The commune's circle links to the đề án list of its district.
    assert f"area={a1.parent_id}" in html
    drawing = response.context["drawing"]
    assert drawing["gps"] and all(0 <= g["x"] <= drawing["width"] for g in drawing["gps"])


def test_map_query_count_is_constant(db, leader, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(leader)
    ProjectFactory(monitored=True, code="Q-1", unit=communes(AREA_A, 1)[0])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("monitoring:map"), {"year": 2021})
    for i, c in enumerate(communes(AREA_B, 8) + communes("/31/d313/", 8)):
        ProjectFactory(monitored=True, code=f"Q-{i + 2}", unit=c)
        BeneficiaryFactory(unit=c)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("monitoring:map"), {"year": 2021})
    assert len(small) == len(large)
