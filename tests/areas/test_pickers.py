"""The administrative-unit picker: one label everywhere, a scoped, diacritic-insensitive search endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.labels import unit_label
from areas.models import AdministrativeUnit
from tests.conftest import AREA_A, AREA_B

URL = reverse("unit_search")


def _bat_trang():
    return AdministrativeUnit.objects.get(name="Xã Bát Trang", valid_to__isnull=False)


def _texts(response):
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_a_pre_reform_commune_is_labelled_with_its_district_the_date_and_its_successor():
    old = _bat_trang()
    successor = AdministrativeUnit.objects.get(code="11635", valid_to__isnull=True)
    assert unit_label(old) == f"Xã Bát Trang, Huyện An Lão (trước 7/2025), nay thuộc {successor.name}"
    assert str(old) == unit_label(old)


@pytest.mark.django_db
def test_a_split_commune_names_every_successor_main_one_first():
    old = AdministrativeUnit.objects.get(code="10528", valid_to__isnull=False)
    main, other = (AdministrativeUnit.objects.get(code=c, valid_to__isnull=True) for c in ("10532", "10537"))
    assert unit_label(old).endswith(f"nay thuộc {main.name} hoặc {other.name}")


@pytest.mark.django_db
def test_current_communes_and_old_districts_carry_no_successor():
    district = AdministrativeUnit.objects.get(path=AREA_A)
    assert unit_label(district) == f"{district.name} (trước 7/2025)"
    current = AdministrativeUnit.objects.filter(depth=1, valid_to__isnull=True).first()
    assert unit_label(current) == current.name


@pytest.mark.django_db
def test_search_ignores_diacritics_and_lists_current_communes_first(login, staff):
    texts = _texts(login(staff).get(URL, {"q": "bat trang"}))
    assert any(t.startswith("Xã Bát Trang, Huyện An Lão (trước 7/2025)") for t in texts)
    accented = _texts(login(staff).get(URL, {"q": "Bát Tràng"}))
    assert accented == texts
    first_page = login(staff).get(URL).json()
    current = [u.name for u in AdministrativeUnit.objects.filter(depth=1, valid_to__isnull=True)]
    assert first_page["results"] and all(r["text"] in current for r in first_page["results"])
    assert first_page["more"] is True


@pytest.mark.django_db
def test_d_with_stroke_matches_plain_d(login, staff):
    texts = _texts(login(staff).get(URL, {"q": "dac khu"}))
    assert texts and all("Đặc khu" in t for t in texts)


@pytest.mark.django_db
def test_an_officer_searches_only_their_own_areas(login, officer_b):
    texts = _texts(login(officer_b).get(URL, {"q": "xa"}))
    allowed = {str(u) for u in AdministrativeUnit.objects.filter(path__startswith=AREA_B).select_related("parent")}
    assert texts and set(texts) <= allowed
    assert _texts(login(officer_b).get(URL, {"q": "bat trang"})) == []


@pytest.mark.django_db
def test_current_and_top_parameters_narrow_the_list(login, staff):
    current = _texts(login(staff).get(URL, {"q": "thuy nguyen", "current": "1"}))
    assert current and not any("trước 7/2025" in t for t in current)
    top = login(staff).get(URL, {"q": "an lao", "top": "1"}).json()["results"]
    assert {AdministrativeUnit.objects.get(pk=r["value"]).depth for r in top} == {1}


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_answer(login, staff):
    client = login(staff)
    client.get(URL, {"q": "xa"})  # fills the per-process cache of current names
    counts = []
    for q in ("bat trang", "xa"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"q": q}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_very_long_query_is_answered_normally(login, staff):
    response = login(staff).get(URL, {"q": " ".join(["xa"] * 2000)})
    assert response.status_code == 200


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_a_juror_finds_nothing(client, login, juror):
    assert client.get(URL, {"q": "xa"}).status_code == 302
    assert _texts(login(juror).get(URL, {"q": "xa"})) == []


@pytest.mark.django_db
def test_search_answers_only_get(login, staff):
    assert login(staff).post(URL, {"q": "xa"}).status_code == 405
