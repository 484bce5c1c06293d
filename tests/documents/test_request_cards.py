"""The request cards on "Văn bản của tôi": each kind that has one brings its own form or choices through the kind
registry (kind.request_template / request_context); the documents app builds none itself."""

import pytest
from django.urls import reverse

from documents.kinds import get_kind, page_kinds
from documents.models import DocumentJob
from tests.factories import BeneficiaryFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]

LIST_CARD = "Lập danh sách cơ sở CNNT"
ANNUAL_CARD = 'data-testid="annual-report-form"'


def test_the_cards_come_from_the_apps_that_own_the_kinds_in_their_installed_order():
    assert [kind.code for kind in page_kinds()] == ["beneficiary_list", "annual_report"]
    assert type(get_kind("beneficiary_list")).__module__ == "beneficiaries.document_kinds"
    assert type(get_kind("annual_report")).__module__ == "monitoring.document_kinds"
    assert get_kind("beneficiary_sheet").request_template == ""


def test_the_annual_card_shows_only_when_there_is_a_year_to_offer(login, staff):
    client = login(staff)
    before = client.get(reverse("documents:list")).text
    assert LIST_CARD in before and ANNUAL_CARD not in before
    ProjectFactory(plan_year=2023)
    after = client.get(reverse("documents:list")).text
    assert after.index(LIST_CARD) < after.index(ANNUAL_CARD)
    assert '<option value="2023">2023</option>' in after


def test_cards_follow_the_kinds_roles(login, officer_a, juror):
    ProjectFactory(plan_year=2023)
    officer_page = login(officer_a).get(reverse("documents:list")).text
    assert LIST_CARD in officer_page and ANNUAL_CARD not in officer_page
    # No document kind is a juror's: the list itself is refused (documents.permissions.can_view_document_list).
    assert login(juror).get(reverse("documents:list")).status_code == 403


def test_a_rejected_request_is_explained_in_its_own_card(login, staff):
    ProjectFactory(plan_year=2023)
    response = login(staff).post(reverse("documents:request"), {"kind": "annual_report", "year": "1999"})
    assert response.status_code == 400
    text = response.text
    assert text.count('data-testid="request-error"') == 1
    assert text.index("Báo cáo kết quả khuyến công năm") < text.index("Năm không hợp lệ") < text.index(ANNUAL_CARD)
    assert not DocumentJob.objects.exists()


def test_a_rejected_kind_without_a_card_is_explained_above_the_cards(login, staff):
    BeneficiaryFactory()
    response = login(staff).post(reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": "abc"})
    assert response.status_code == 400
    text = response.text
    assert text.count('data-testid="request-error"') == 1
    assert text.index('data-testid="request-error"') < text.index(LIST_CARD)
    assert "Mã cơ sở không hợp lệ" in text
    assert not DocumentJob.objects.exists()


def test_anonymous_users_get_no_cards(client):
    response = client.get(reverse("documents:list"))
    assert response.status_code == 302 and LIST_CARD not in response.text
