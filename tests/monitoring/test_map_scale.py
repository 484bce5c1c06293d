"""The map at national scale (issue 18): the grey dots of every current commune are a cached, versioned image
(not rendered into each page), the projection is computed once, and a country's worth of communes with data is
grouped by province so that the page stays small."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import AdministrativeUnit
from areas.selectors import current_communes
from monitoring import maps
from tests.factories import ProjectFactory


def _base_url(html: str) -> str:
    return html.split('data-testid="map-svg"')[1].split('<image href="')[1].split('"')[0].replace("&amp;", "&")


def test_the_base_layer_is_a_versioned_cached_image_with_an_etag(db, leader, login):
    client = login(leader)
    page = client.get(reverse("monitoring:map"), {"year": 2021})
    assert page.status_code == 200
    url = _base_url(page.text)
    assert url.startswith(reverse("monitoring:map_base"))
    base = client.get(url)
    assert base.status_code == 200 and base["Content-Type"].startswith("image/svg+xml")
    assert "immutable" in base["Cache-Control"]
    assert base.content.decode().count("<circle") == current_communes().count() == 114
    again = client.get(url, HTTP_IF_NONE_MATCH=base["ETag"])
    assert again.status_code == 304 and not again.content
    # A wrong version is served (a browser with an old page) but never kept.
    stale = client.get(reverse("monitoring:map_base"), {"v": "0" * 16})
    assert stale.status_code == 200 and "immutable" not in stale["Cache-Control"]


def test_a_changed_commune_gives_the_base_layer_a_new_url(db, leader, login):
    client = login(leader)
    before = _base_url(client.get(reverse("monitoring:map"), {"year": 2021}).text)
    unit = current_communes().order_by("pk").first()
    unit.latitude += 0.01
    unit.save()  # a unit's save moves the "units" version of the shared figures (core.figures_cache)
    after = _base_url(client.get(reverse("monitoring:map"), {"year": 2021}).text)
    assert before != after


def test_the_base_layer_is_for_the_dashboard_roles_only(db, officer_a, client, login, juror):
    url = reverse("monitoring:map_base")
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    assert login(juror).get(url).status_code == 403


def _country(provinces: int, per_province: int):
    """Provinces of current communes with a đề án each, far more communes with data than MAX_PLACES."""
    units = []
    for p in range(provinces):
        province = AdministrativeUnit.objects.create(
            code=f"8{p:02d}", name=f"Tỉnh Mẫu {p:02d}", short_name=f"Mẫu {p:02d}", unit_type="tinh", path=f"/m{p:02d}/"
        )
        for c in range(per_province):
            units.append(
                AdministrativeUnit(
                    code=f"8{p:02d}{c:03d}",
                    name=f"Xã Mẫu {p:02d}-{c:03d}",
                    short_name=f"Mẫu {p:02d}-{c:03d}",
                    unit_type="xa",
                    parent=province,
                    path=f"/m{p:02d}/c{c:03d}/",
                    depth=1,
                    valid_from=datetime.date(2025, 7, 1),
                    search_name=f"xa mau {p:02d} {c:03d}",
                    latitude=10 + p + c * 0.001,
                    longitude=105 + c * 0.001,
                    area_km2=20,
                )
            )
    AdministrativeUnit.objects.bulk_create(units)
    return list(AdministrativeUnit.objects.filter(path__startswith="/m", depth=1).order_by("path"))


def _projects(units, prefix):
    """One đề án of 2024 in each unit (copies of one factory-made đề án: 400 factory calls would take a minute)."""
    from projects.models import Project

    model = ProjectFactory(code=f"{prefix}-0", unit=units[0], plan_year=2024)
    copies = []
    for i, unit in enumerate(units[1:], start=1):
        copy = Project.objects.get(pk=model.pk)
        copy.pk = None
        copy.code, copy.unit = f"{prefix}-{i}", unit
        copies.append(copy)
    Project.objects.bulk_create(copies)
    # bulk_create sends no signal: rebuild the pre-computed figures the map counts from, as bulk loads do.
    from budgets import figures

    figures.rebuild()


def test_a_country_of_communes_is_grouped_by_province_and_the_page_stays_small(db, leader, login):
    client = login(leader)
    units = _country(provinces=8, per_province=50)  # 400 communes with data > MAX_PLACES
    assert len(units) > maps.MAX_PLACES
    _projects(units, "N")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("monitoring:map"), {"year": 2024})
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="map-grouped"' in html
    table = html.split('data-testid="map-table"')[1]
    assert table.count("Tỉnh Mẫu") == 8 and "Xã Mẫu" not in table
    first = AdministrativeUnit.objects.get(path="/m00/")
    assert f"area={first.pk}" in html  # a province leads to its own map, commune by commune
    assert len(page.content) < 100_000
    # One province: its 50 communes one by one.
    province_page = client.get(reverse("monitoring:map"), {"year": 2024, "area": first.pk})
    assert 'data-testid="map-grouped"' not in province_page.text
    assert province_page.text.split('data-testid="map-table"')[1].count("Xã Mẫu 00-") == 50
    # More communes with data: the same number of queries.
    _projects(units[:100], "N2")
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("monitoring:map"), {"year": 2024})
    assert len(again) == len(queries)


def test_the_projection_is_computed_once_not_per_commune(db, monkeypatch):
    communes = list(current_communes())
    calls = []
    real = maps.offshore_ids
    monkeypatch.setattr(maps, "offshore_ids", lambda cs: calls.append(1) or real(cs))
    maps.projection_for(communes)
    assert len(calls) == 1
