"""Money for the budgets tests: approval decisions, funding lines and envelopes (the đề án themselves come from
tests.factories.ProjectFactory with the `funded` trait)."""

from datetime import date

from budgets.models import BudgetAllocation, FundingLine
from budgets.sources import FundingSource
from projects.models import (
    Decision,
    DecisionItem,
    DecisionKind,
    Level,
)


def approve(project, signed_on=date(2021, 3, 1), number="12/QĐ-UBND"):
    decision, _ = Decision.objects.get_or_create(
        number=number,
        signed_on=signed_on,
        defaults={"issuing_body": "UBND thành phố Hải Phòng", "kind": DecisionKind.PLAN_APPROVAL},
    )
    DecisionItem.objects.get_or_create(decision=decision, project=project)
    return decision


def line(project, source=FundingSource.LOCAL, cost_item="thiet_bi", estimated=0, approved=0):
    return FundingLine.objects.create(
        project=project, source=source, cost_item=cost_item, estimated_cost=estimated, approved_amount=approved
    )


def allocation(level=Level.LOCAL, year=2021, amount=10_000_000_000):
    return BudgetAllocation.objects.create(level=level, year=year, amount=amount)
