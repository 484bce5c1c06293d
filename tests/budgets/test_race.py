"""Two staff acting on the same money at the same moment cannot overspend it. Each side runs in its own thread
with its own PostgreSQL connection; the services' row locks and conditional UPDATE decide who wins.

SQLite serialises whole-database writes and has no row locks, so these tests run only on PostgreSQL (and must,
when CI=true)."""

import os
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from budgets import rules, services
from budgets.models import Disbursement, FundingLine, SupportCeiling
from budgets.services import LineInput
from tests.budgets.factories import allocation, approve, line
from tests.factories import ProjectFactory


@pytest.fixture(autouse=True)
def _postgres(transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: the race tests must run on PostgreSQL (DATABASE_URL)", pytrace=False)
        pytest.skip("race tests need PostgreSQL row locks (set DATABASE_URL)")


def race(*calls):
    """Runs the calls at once, each in its own thread and connection; returns (outcome, value) per call."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except ValidationError as exc:
            results[index] = ("refused", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None and r[0] != "error" for r in results), results
    return results


def outcomes(results):
    return sorted(r[0] for r in results)


def test_two_payments_racing_for_the_same_remainder_cannot_both_pass(staff):
    money_line = line(ProjectFactory(funded=True), estimated=100_000_000, approved=100_000_000)

    def pay(number):
        return lambda: services.disbursement_create(
            actor=staff,
            line=money_line,
            kind="tam_ung",
            paid_on=money_line.created_at.date(),
            amount=60_000_000,
            document_number=number,
        )

    for attempt in range(3):  # repeated: a lucky schedule must not hide an overspend
        FundingLine.objects.filter(pk=money_line.pk).update(disbursed_total=0)
        Disbursement.objects.all().delete()
        assert outcomes(race(pay(f"A{attempt}"), pay(f"B{attempt}"))) == ["ok", "refused"]
        money_line.refresh_from_db()
        assert money_line.disbursed_total == 60_000_000 == sum(Disbursement.objects.values_list("amount", flat=True))


def test_a_double_clicked_payment_is_recorded_once_and_the_second_click_is_told_so(staff):
    money_line = line(ProjectFactory(funded=True), estimated=100_000_000, approved=100_000_000)

    def pay():
        return services.disbursement_create(
            actor=staff,
            line=money_line,
            kind="tam_ung",
            paid_on=money_line.created_at.date(),
            amount=10_000_000,
            document_number="UNC-01",
        )

    for attempt in range(5):  # repeated: the loser must be refused politely whichever way the schedule falls
        FundingLine.objects.filter(pk=money_line.pk).update(disbursed_total=0)
        Disbursement.objects.all().delete()
        results = race(pay, pay)
        assert outcomes(results) == ["ok", "refused"], attempt
        refused = next(value for outcome, value in results if outcome == "refused")
        assert "UNC-01" in str(refused.message_dict["document_number"])
        money_line.refresh_from_db()
        assert Disbursement.objects.count() == 1 and money_line.disbursed_total == 10_000_000


def test_lowering_a_line_while_someone_pays_against_it_never_leaves_it_overspent(staff):
    project = ProjectFactory(funded=True, contents=["4.1"])
    money_line = line(project, estimated=100_000_000, approved=100_000_000)

    def lower():
        return services.funding_lines_save(
            actor=staff,
            project=project,
            lines=[
                LineInput(
                    id=money_line.pk,
                    source="kcdp",
                    cost_item="thiet_bi",
                    estimated_cost=100_000_000,
                    approved_amount=50_000_000,
                )
            ],
        )

    def pay():
        return services.disbursement_create(
            actor=staff,
            line=money_line,
            kind="tam_ung",
            paid_on=money_line.created_at.date(),
            amount=80_000_000,
            document_number="UNC-1",
        )

    assert outcomes(race(lower, pay)) == ["ok", "refused"]
    money_line.refresh_from_db()
    assert money_line.disbursed_total <= money_line.approved_amount
    assert (money_line.approved_amount, money_line.disbursed_total) in {(50_000_000, 0), (100_000_000, 80_000_000)}


def test_two_staff_saving_the_same_lines_from_the_same_page_one_is_told_to_reload(staff):
    project = ProjectFactory(funded=True, contents=["4.3"])
    approve(project)
    rule = SupportCeiling.objects.get(title="Xây dựng mô hình trình diễn kỹ thuật")
    version = services.funding_for(project).version

    def save(state):
        return lambda: services.funding_lines_save(
            actor=staff,
            project=project,
            lines=[
                LineInput(source="kcdp", cost_item="thiet_bi", estimated_cost=300_000_000, approved_amount=state),
                LineInput(
                    source="doi_ung", cost_item="thiet_bi", estimated_cost=700_000_000, approved_amount=700_000_000
                ),
            ],
            ceiling=rule,
            version=version,
        )

    results = race(save(300_000_000), save(250_000_000))
    assert outcomes(results) == ["ok", "refused"]
    refused = next(r[1] for r in results if r[0] == "refused")
    assert "Người khác vừa sửa" in refused.messages[0]
    assert FundingLine.objects.filter(project=project).count() == 2


def test_two_projects_racing_for_the_last_of_the_yearly_envelope_cannot_both_take_it(staff, monkeypatch):
    allocation(amount=500_000_000)
    first, second = ProjectFactory(funded=True, contents=["4.1"]), ProjectFactory(funded=True, contents=["4.1"])
    # Widen the window between reading the level's total and writing the lines: without the lock on the
    # allocation row both would read 0 and both would pass.
    original = rules.level_approved_total

    def slow_total(*args, **kwargs):
        total = original(*args, **kwargs)
        time.sleep(0.3)
        return total

    monkeypatch.setattr(services, "level_approved_total", slow_total)

    def save(project):
        return lambda: services.funding_lines_save(
            actor=staff,
            project=project,
            lines=[
                LineInput(source="kcdp", cost_item="dao_tao", estimated_cost=300_000_000, approved_amount=300_000_000)
            ],
        )

    results = race(save(first), save(second))
    assert outcomes(results) == ["ok", "refused"]
    assert "vượt dự toán được giao" in next(r[1] for r in results if r[0] == "refused").messages[0]
    assert rules.level_approved_total("kcdp", 2021) == 300_000_000
