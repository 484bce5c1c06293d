"""Recording payments (tạm ứng, thanh toán) and settlement through the pages."""

from datetime import date

import pytest

from budgets.models import Disbursement, FundingLine, Settlement
from projects.models import ProjectStatus
from tests.budgets.factories import line
from tests.conftest import AREA_A
from tests.factories import ProjectFactory


@pytest.fixture
def project(db):
    return ProjectFactory(funded=True)


@pytest.fixture
def money_line(project):
    return line(project, estimated=200_000_000, approved=150_000_000)


def _post(client, project, money_line, **overrides):
    data = {
        "line": money_line.pk,
        "kind": "tam_ung",
        "paid_on": "15/05/2021",
        "amount": "100.000.000",
        "document_number": "UNC-01",
        "note": "",
    }
    data.update(overrides)
    return client.post(f"/kinh-phi/de-an/{project.pk}/giai-ngan/", data)


def test_staff_records_a_payment_and_the_line_keeps_the_total(login, staff, project, money_line):
    response = _post(login(staff), project, money_line)
    assert response.status_code == 302
    money_line.refresh_from_db()
    assert money_line.disbursed_total == 100_000_000
    payment = Disbursement.objects.get()
    assert (payment.paid_on, payment.recorded_by, payment.history.count()) == (date(2021, 5, 15), staff, 1)
    page = login(staff).get(f"/kinh-phi/de-an/{project.pk}/")
    assert "100.000.000" in page.content.decode() and "UNC-01" in page.content.decode()


def test_sending_the_same_document_twice_pays_once(login, staff, project, money_line):
    client = login(staff)
    _post(client, project, money_line)
    response = _post(client, project, money_line)
    assert response.status_code == 400
    assert "đã được ghi" in response.content.decode()
    money_line.refresh_from_db()
    assert money_line.disbursed_total == 100_000_000 and Disbursement.objects.count() == 1


def test_paying_more_than_remains_is_refused_and_the_typed_values_are_kept(login, staff, project, money_line):
    client = login(staff)
    _post(client, project, money_line)
    response = _post(client, project, money_line, amount="50.000.001", document_number="UNC-02")
    body = response.content.decode()
    assert response.status_code == 400
    assert "còn 50.000.000 đồng" in body
    assert 'value="50.000.001"' in body and 'value="UNC-02"' in body
    money_line.refresh_from_db()
    assert money_line.disbursed_total == 100_000_000


def test_bad_input_gets_a_vietnamese_message_and_writes_nothing(login, staff, project, money_line):
    response = _post(login(staff), project, money_line, amount="mười triệu", paid_on="32/13/2021")
    assert response.status_code == 400
    assert "Nhập số tiền bằng đồng" in response.content.decode()
    assert 'value="mười triệu"' in response.content.decode()
    assert not Disbursement.objects.exists()


def test_anonymous_is_sent_to_login(client, project, money_line):
    response = _post(client, project, money_line)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Disbursement.objects.exists()


def test_a_leader_sees_the_money_but_cannot_pay(login, leader, project, money_line):
    client = login(leader)
    assert client.get(f"/kinh-phi/de-an/{project.pk}/").status_code == 200
    assert _post(client, project, money_line).status_code == 403
    assert not Disbursement.objects.exists()


def test_an_officer_of_another_area_gets_404(login, officer_a, officer_b, project, money_line):
    assert project.unit.path.startswith(AREA_A)
    assert login(officer_b).get(f"/kinh-phi/de-an/{project.pk}/").status_code == 404
    assert _post(login(officer_b), project, money_line).status_code == 404
    assert login(officer_a).get(f"/kinh-phi/de-an/{project.pk}/").status_code == 200
    assert _post(login(officer_a), project, money_line).status_code == 403


def test_a_draft_project_cannot_be_paid(login, staff, money_line):
    project = money_line.project
    project.status = ProjectStatus.DRAFT
    project.save()
    assert _post(login(staff), project, money_line).status_code == 403


def test_settlement_is_recorded_and_refused_above_approved(login, staff, project, money_line):
    project.status = ProjectStatus.ACCEPTED
    project.save()
    client = login(staff)
    url = f"/kinh-phi/dong/{money_line.pk}/quyet-toan/"
    data = {"amount": "150.000.001", "settled_on": "20/12/2021", "document_number": "QT-01", "note": ""}
    response = client.post(url, data)
    assert response.status_code == 400 and "vượt kinh phí phê duyệt" in response.content.decode()
    assert not Settlement.objects.exists()
    assert client.post(url, {**data, "amount": "149.000.000"}).status_code == 302
    assert client.post(url, {**data, "amount": "148.500.000"}).status_code == 302  # a correction edits it
    money_line.refresh_from_db()
    settlement = Settlement.objects.get()
    assert money_line.settled_amount == settlement.amount == 148_500_000
    assert settlement.history.count() == 2
    assert login(staff).get(url).status_code == 200


def test_settlement_needs_an_accepted_project(login, staff, project, money_line):
    response = login(staff).post(
        f"/kinh-phi/dong/{money_line.pk}/quyet-toan/",
        {"amount": "1", "settled_on": "20/12/2021", "document_number": "QT-01"},
    )
    assert response.status_code == 403
    assert FundingLine.objects.get().settled_amount == 0
