"""Đề án and money for the budgets tests (kept here, not in tests/factories.py, so that they do not collide
with the đề án factories of the projects tests)."""

from datetime import date

import factory

from budgets.models import BudgetAllocation, FundingLine
from budgets.sources import FundingSource
from projects.models import (
    ActivityContent,
    Decision,
    DecisionItem,
    DecisionKind,
    Level,
    Organisation,
    Project,
    ProjectStatus,
)
from tests.factories import first_commune


class BudgetProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"KCĐP-T{n:04d}")
    title = factory.Sequence(lambda n: f"Đề án thử nghiệm {n}")
    level = Level.LOCAL
    plan_year = 2021
    status = ProjectStatus.APPROVED
    implementing_unit = factory.LazyFunction(lambda: Organisation.objects.order_by("id").first())
    unit = factory.LazyFunction(lambda: first_commune("/31/d311/"))

    @factory.post_generation
    def contents(self, create, extracted, **kwargs):
        if extracted:
            self.contents.set(ActivityContent.objects.filter(code__in=extracted))


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
