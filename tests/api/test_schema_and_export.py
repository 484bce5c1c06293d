"""The OpenAPI schema is valid and documented in Vietnamese, the docs page needs no CDN, the year's export
validates against its committed JSON Schema (and the .xlsx carries the same rows)."""

import datetime
import io
import json

import jsonschema
import pytest
from drf_spectacular.validation import validate_schema
from openpyxl import load_workbook

from api.export import schema as export_schema
from budgets.sources import FundingSource
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory, first_commune
from tests.monitoring.factories import make_line

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_valid_and_in_vietnamese(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert "/api/v1/projects/" in schema["paths"]
    listing = schema["paths"]["/api/v1/projects/"]["get"]
    assert listing["summary"] == "Danh sách đề án khuyến công"
    names = {p["name"] for p in listing["parameters"]}
    assert {"year", "level", "status", "unit", "updated_since", "cursor"} <= names
    assert "maKhoa" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_vendored_assets_only(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<style" not in html and "<script>" not in html  # CSP: assets and settings as files


@pytest.fixture
def year_data():
    a = ProjectFactory(code="KCĐP-2021-01", unit=first_commune(AREA_A))
    b = ProjectFactory(code="KCQG-2021-01", level="kcqg", unit=first_commune(AREA_B))
    make_line(a, FundingSource.LOCAL, approved=986_629_000, disbursed=500_000_000)
    make_line(b, FundingSource.NATIONAL, approved=600_000_000)
    return a, b


def test_the_year_export_validates_against_its_json_schema(api, province_client, year_data):
    _, token = province_client
    response = api(token).get("/api/v1/annual-results/2021/")
    assert response.status_code == 200
    data = response.json()
    jsonschema.Draft202012Validator.check_schema(export_schema())
    jsonschema.Draft202012Validator(export_schema(), format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["totals"]["approved"] == 1_586_629_000
    assert {p["code"] for p in data["projects"]} == {"KCĐP-2021-01", "KCQG-2021-01"}
    assert data["province"]["code"] == "31"


def test_an_area_client_exports_its_area_only(api, area_client, year_data):
    _, token = area_client
    data = api(token).get("/api/v1/annual-results/2021/").json()
    assert {p["code"] for p in data["projects"]} == {"KCĐP-2021-01"}
    assert data["totals"]["approved"] == 986_629_000


def test_the_xlsx_export_has_the_same_projects(api, province_client, year_data):
    _, token = province_client
    response = api(token).get("/api/v1/annual-results/2021/xlsx/")
    assert response.status_code == 200
    assert "ket-qua-khuyen-cong-2021.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Đề án"].iter_rows(values_only=True))
    assert rows[0][0] == "code" and {r[0] for r in rows[1:]} == {"KCĐP-2021-01", "KCQG-2021-01"}


@pytest.mark.parametrize("year", ["1999", "abc", "20211"])
def test_a_bad_year_is_a_400_with_a_vietnamese_message(api, province_client, year):
    _, token = province_client
    response = api(token).get(f"/api/v1/annual-results/{year}/")
    assert response.status_code == 400
    assert "Năm phải là số" in response.content.decode()


def test_an_empty_year_still_validates(api, province_client):
    _, token = province_client
    data = api(token).get(f"/api/v1/annual-results/{datetime.date.today().year + 5}/").json()
    jsonschema.validate(data, export_schema())
    assert data["projects"] == [] and data["totals"]["approved"] == 0
