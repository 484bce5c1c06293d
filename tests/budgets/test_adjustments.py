"""Formal adjustments of approved amounts under a decision, and settlement before a đề án is closed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from budgets import services
from budgets.models import FundingAdjustment, FundingLine, Settlement
from projects.models import Decision, DecisionKind, ProjectStatus
from projects.services import project_transition
from tests.budgets.factories import line
from tests.factories import ProjectFactory


@pytest.fixture
def decision(db):
    return Decision.objects.create(
        number="45/QĐ-UBND", signed_on=date(2021, 9, 1), issuing_body="UBND thành phố", kind=DecisionKind.ADJUSTMENT
    )


@pytest.fixture
def money_line(db):
    return line(ProjectFactory(funded=True, contents=["4.1"]), estimated=200_000_000, approved=150_000_000)


def test_staff_records_an_adjustment_keeping_both_amounts_and_the_decision(login, staff, money_line, decision):
    response = login(staff).post(
        f"/kinh-phi/dong/{money_line.pk}/dieu-chinh/",
        {"adjusted_amount": "180.000.000", "decision": decision.pk, "reason": "Bổ sung học viên"},
    )
    assert response.status_code == 302
    adjustment = FundingAdjustment.objects.get()
    assert (adjustment.approved_amount, adjustment.adjusted_amount, adjustment.decision) == (
        150_000_000,
        180_000_000,
        decision,
    )
    money_line.refresh_from_db()
    assert money_line.approved_amount == 180_000_000
    assert money_line.history.first().history_change_reason == "Bổ sung học viên"
    page = login(staff).get(f"/kinh-phi/de-an/{money_line.project_id}/").content.decode()
    assert "45/QĐ-UBND" in page and "180.000.000" in page


def test_an_adjustment_below_what_was_paid_or_without_decision_is_refused(login, staff, money_line, decision):
    FundingLine.objects.filter(pk=money_line.pk).update(disbursed_total=100_000_000)
    response = login(staff).post(
        f"/kinh-phi/dong/{money_line.pk}/dieu-chinh/",
        {"adjusted_amount": "99.999.999", "decision": decision.pk, "reason": "Cắt giảm"},
    )
    assert response.status_code == 400 and "Không thấp hơn số đã giải ngân" in response.content.decode()
    with pytest.raises(ValidationError):
        services.funding_line_adjust(actor=staff, line=money_line, adjusted_amount=120_000_000, reason="x")
    assert not FundingAdjustment.objects.exists()


def test_adjustments_are_for_staff_in_the_area(login, leader, officer_b, money_line, decision):
    data = {"adjusted_amount": "1", "decision": decision.pk, "reason": "x"}
    assert login(leader).post(f"/kinh-phi/dong/{money_line.pk}/dieu-chinh/", data).status_code == 403
    assert login(officer_b).post(f"/kinh-phi/dong/{money_line.pk}/dieu-chinh/", data).status_code == 404


def test_a_project_is_settled_only_after_every_line_is(staff, money_line):
    project = money_line.project
    project.status = ProjectStatus.CONTRACT_CLOSED
    project.save()
    with pytest.raises(ValidationError) as refused:
        project_transition(actor=staff, project=project, to=ProjectStatus.SETTLED)
    assert "Chưa quyết toán" in str(refused.value)
    services.settlement_record(
        actor=staff, line=money_line, amount=140_000_000, settled_on=date(2021, 12, 20), document_number="QT"
    )
    project.refresh_from_db()
    project_transition(actor=staff, project=project, to=ProjectStatus.SETTLED)
    project.refresh_from_db()
    assert project.status == ProjectStatus.SETTLED and Settlement.objects.get().amount == 140_000_000
