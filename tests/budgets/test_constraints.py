"""The money invariants hold at the database, whoever writes: direct ORM writes that break them fail."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from budgets.models import BudgetAllocation, BudgetException, Disbursement, FundingLine, Settlement
from tests.budgets.factories import line
from tests.factories import ProjectFactory


@pytest.fixture
def paid_line(db):
    return line(ProjectFactory(funded=True), estimated=100, approved=100)


def _fails(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.parametrize(
    "changes",
    [
        {"approved_amount": -1},
        {"estimated_cost": -1},
        {"disbursed_total": -1},
        {"settled_amount": -1},
        {"disbursed_total": 101},
        {"settled_amount": 101},
    ],
)
def test_a_line_refuses_negative_amounts_and_paying_or_settling_above_approved(paid_line, changes):
    _fails(lambda: FundingLine.objects.filter(pk=paid_line.pk).update(**changes))
    paid_line.refresh_from_db()
    assert (paid_line.approved_amount, paid_line.disbursed_total, paid_line.settled_amount) == (100, 0, 0)


def test_lowering_approved_below_what_was_paid_fails(paid_line):
    FundingLine.objects.filter(pk=paid_line.pk).update(disbursed_total=80)
    _fails(lambda: FundingLine.objects.filter(pk=paid_line.pk).update(approved_amount=F("disbursed_total") - 1))
    paid_line.approved_amount = 79
    paid_line.disbursed_total = 80
    _fails(paid_line.save)


def test_a_source_and_cost_item_appear_once_per_project(paid_line):
    _fails(lambda: line(paid_line.project, source=paid_line.source, cost_item=paid_line.cost_item))


def test_payments_settlements_allocations_and_exceptions_refuse_bad_amounts(paid_line):
    _fails(
        lambda: Disbursement.objects.create(
            line=paid_line, kind="tam_ung", paid_on="2021-05-01", amount=0, document_number="1"
        )
    )
    Disbursement.objects.create(line=paid_line, kind="tam_ung", paid_on="2021-05-01", amount=1, document_number="1")
    _fails(
        lambda: Disbursement.objects.create(
            line=paid_line, kind="tam_ung", paid_on="2021-05-02", amount=1, document_number="1"
        )
    )
    _fails(lambda: Settlement.objects.create(line=paid_line, amount=-1, settled_on="2021-12-01", document_number="QT"))
    _fails(lambda: BudgetAllocation.objects.create(level="kcdp", year=2021, amount=-1))
    BudgetAllocation.objects.create(level="kcdp", year=2021, amount=1)
    _fails(lambda: BudgetAllocation.objects.create(level="kcdp", year=2021, amount=2))
    _fails(
        lambda: BudgetException.objects.create(
            project=paid_line.project, kind="ceiling", amount=1, reason="x", status="approved"
        )
    )
