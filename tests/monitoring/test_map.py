"""The map: every current commune at its real centre (unit data), counts grouped by current commune, the GPS
points, the optional uploaded outline served as a cached image, and a light page."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from areas.models import AdministrativeUnit, BoundaryFile
from areas.selectors import current_communes
from monitoring import maps, selectors
from monitoring.boundaries import boundary_upload
from monitoring.selectors import DashboardFilters
from tests.conftest import AREA_A, AREA_B
from tests.factories import BeneficiaryFactory, ProjectFactory
from tests.monitoring.factories import communes, make_report


def whole_old_commune(district):
    return AdministrativeUnit.objects.filter(path__startswith=district, depth=2, successor__isnull=False).first()


def split_old_commune(district):
    return AdministrativeUnit.objects.filter(path__startswith=district, depth=2, successor__isnull=True).first()


@pytest.fixture
def placed(db, officer_a):
    a1 = whole_old_commune(AREA_A)
    a2 = AdministrativeUnit.objects.filter(path__startswith=AREA_A, depth=2, successor__isnull=False).exclude(
        successor=a1.successor
    )[0]
    b1 = whole_old_commune(AREA_B)
    p1 = ProjectFactory(monitored=True, code="M-1", unit=a1)
    ProjectFactory(monitored=True, code="M-2", unit=a1.successor)  # entered with the new commune: same place
    ProjectFactory(monitored=True, code="M-3", unit=a2, plan_year=2020)
    ProjectFactory(monitored=True, code="M-4", unit=b1)
    BeneficiaryFactory(unit=a1)
    BeneficiaryFactory(unit=b1)
    make_report(p1, author=officer_a, progress=50, visit_date=datetime.date(2021, 5, 1), lat=20.93, lng=106.66)
    return a1, a2, b1


def test_counts_are_grouped_by_current_commune_and_respect_year_and_scope(placed, leader, officer_a):
    a1, a2, b1 = placed
    data = selectors.map_data(user=leader, filters=DashboardFilters(year=2021))
    counts = {p["unit"].pk: (p["projects"], p["establishments"]) for p in data["places"]}
    assert counts[a1.successor_id] == (2, 1)  # the old commune's đề án and the new one's, together
    assert a2.successor_id not in counts  # its đề án is of 2020
    assert counts[b1.successor_id] == (1, 1)
    assert {p["unit"].pk for p in data["places"]} <= set(current_communes().values_list("pk", flat=True))
    assert len(data["gps"]) == 1
    mine = selectors.map_data(user=officer_a, filters=DashboardFilters(year=2021))
    assert {p["unit"].pk for p in mine["places"]} == {a1.successor_id}


def test_a_split_commune_is_counted_once_at_the_chosen_successor_or_flagged(db, leader):
    old = split_old_commune(AREA_A)
    chosen, other = [link.successor for link in old.successor_links.order_by("successor__path")[:2]]
    BeneficiaryFactory(unit=old)
    ProjectFactory(monitored=True, code="S-1", unit=old)
    data = selectors.map_data(user=leader, filters=DashboardFilters(year=2021))
    assert data["unplaced"] == {"projects": 1, "establishments": 1}
    assert not data["places"]
    BeneficiaryFactory(unit=old, successor_unit=chosen)
    data = selectors.map_data(user=leader, filters=DashboardFilters(year=2021))
    counts = {p["unit"].pk: p["establishments"] for p in data["places"]}
    assert counts == {chosen.pk: 1} and other.pk not in counts
    assert data["unplaced"]["establishments"] == 1


def test_every_current_commune_is_drawn_at_its_own_centre(db):
    units = list(current_communes())
    drawing = maps.build_map({"places": [], "gps": []}, units)
    assert len(drawing["dots"]) == len(units) == 114
    # Different communes, different places: nothing is stacked on an invented centre.
    assert len({(d["x"], d["y"]) for d in drawing["dots"]}) == len(units)
    # Bạch Long Vĩ (~110 km offshore) goes to the inset, so the mainland fills the width.
    assert "Bạch Long Vĩ" in drawing["inset"]["names"]
    xs = [d["x"] for d in drawing["dots"] if d["name"] != "Đặc khu Bạch Long Vĩ"]
    assert max(xs) - min(xs) > 0.8 * maps.WIDTH
    # Bigger commune, bigger dot.
    by_area = sorted(drawing["dots"], key=lambda d: d["area"])
    assert by_area[0]["r"] < by_area[-1]["r"]


def test_map_page_draws_real_positions_without_tiles_or_scripts(placed, login, leader):
    a1 = placed[0]
    response = login(leader).get(reverse("monitoring:map"), {"year": 2021})
    html = response.text
    assert response.status_code == 200
    assert "<svg" in html and 'data-testid="map-svg"' in html
    svg = html.split('data-testid="map-svg"')[1].split("</svg>")[0]
    assert "<script" not in svg and 'data-testid="map-outline"' not in svg  # no outline uploaded: none drawn
    assert 'data-testid="map-base"' in svg and "<title>Xã" not in svg  # the grey dots are a cached image
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # no tile server
    assert f"area={a1.successor_id}" in html
    assert len(response.content) < 300_000
    # The link leads to a list that holds the đề án entered with the old commune.
    listing = login(leader).get(reverse("projects:list"), {"year": 2021, "area": a1.successor_id})
    assert "M-1" in listing.text and "M-2" in listing.text


def test_map_query_count_is_constant(db, leader, login):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(leader)
    ProjectFactory(monitored=True, code="Q-1", unit=communes(AREA_A, 1)[0])
    cache.clear()  # both counted as computed, not served from the shared figures (core.figures_cache)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("monitoring:map"), {"year": 2021})
    for i, c in enumerate(communes(AREA_B, 8) + communes("/31/d313/", 8)):
        ProjectFactory(monitored=True, code=f"Q-{i + 2}", unit=c)
        BeneficiaryFactory(unit=c)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("monitoring:map"), {"year": 2021})
    assert len(small) == len(large)


def outline_file(units):
    """A licensed-looking GeoJSON: a small square around each of the given communes' centres."""
    features = []
    for u in units:
        d = 0.01
        ring = [[u.longitude - d, u.latitude - d], [u.longitude + d, u.latitude - d], [u.longitude + d, u.latitude + d],
                [u.longitude - d, u.latitude + d], [u.longitude - d, u.latitude - d]]  # fmt: skip
        geometry = {"type": "Polygon", "coordinates": [ring]}
        features.append({"type": "Feature", "properties": {"name": u.name}, "geometry": geometry})
    body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile("ranh-gioi.geojson", body, content_type="application/geo+json")


def test_an_uploaded_outline_is_drawn_as_a_cached_image(db, admin_user, leader, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    units = list(current_communes()[:5])
    boundary = boundary_upload(actor=admin_user, file=outline_file(units), licence="Sở TN&MT cấp, dùng nội bộ")
    client = login(leader)
    page = client.get(reverse("monitoring:map"), {"year": 2021}).text
    assert 'data-testid="map-outline"' in page
    url = page.split('data-testid="map-svg"')[1].split('<image href="')[1].split('"')[0].replace("&amp;", "&")
    assert boundary.sha256[:16] in url
    outline = client.get(url)
    assert outline.status_code == 200 and outline["Content-Type"].startswith("image/svg+xml")
    assert "immutable" in outline["Cache-Control"]
    assert outline.content.decode().count("<path") == 5
    assert "<path" not in page.split('data-testid="map-svg"')[1].split("</svg>")[0]  # not in the page itself
    # A stale URL (another version) is answered but not cached for a year.
    assert "immutable" not in client.get(reverse("monitoring:map_outline"), {"v": "0" * 16}).get("Cache-Control", "")


def test_only_an_admin_uploads_an_outline_and_only_a_real_one(db, staff, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    units = list(current_communes()[:2])
    with pytest.raises(PermissionDenied):
        boundary_upload(actor=staff, file=outline_file(units), licence="x")
    bad = SimpleUploadedFile("x.geojson", b'{"type": "FeatureCollection", "features": []}')
    with pytest.raises(ValidationError):
        boundary_upload(actor=admin_user, file=bad, licence="x")
    with pytest.raises(ValidationError):
        boundary_upload(actor=admin_user, file=outline_file(units), licence=" ")
    assert not BoundaryFile.objects.exists()
    first = boundary_upload(actor=admin_user, file=outline_file(units), licence="Giấy phép A")
    second = boundary_upload(actor=admin_user, file=outline_file(units[:1]), licence="Giấy phép B")
    first.refresh_from_db()
    assert not first.active and second.active


def test_without_an_outline_the_outline_url_is_a_404(db, leader, login):
    assert login(leader).get(reverse("monitoring:map_outline")).status_code == 404


def test_the_page_and_the_selector_count_the_same_places_with_or_without_the_base_layer(placed, leader, officer_a):
    from areas.selectors import placed_communes

    communes = placed_communes()
    for user in (leader, officer_a):
        alone = selectors.map_data(user=user, filters=DashboardFilters(year=2021))
        shared = selectors.map_data(user=user, filters=DashboardFilters(year=2021), communes=communes)
        key = lambda data: sorted((p["unit"].pk, p["projects"], p["establishments"], p["url"]) for p in data["places"])  # noqa: E731
        assert key(alone) == key(shared) and key(alone)
        assert alone["unplaced"] == shared["unplaced"]
