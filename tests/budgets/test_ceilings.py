"""Support ceilings: support ≤ min(percent × eligible cost, VND cap × units), for the rule in force on the đề án's
approval date; a breach is refused with the rule, its legal basis and the numbers; a leader's exception lets it pass."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets import services
from budgets.models import BudgetException, ExceptionKind, ExceptionStatus, FundingLine, SupportCeiling
from budgets.services import CeilingBreach, LineInput
from projects.models import ActivityContent
from tests.budgets.factories import approve
from tests.factories import ProjectFactory

MACHINERY = "Ứng dụng máy móc thiết bị tiên tiến"
MODEL = "Xây dựng mô hình trình diễn kỹ thuật"


def rule(title):
    return SupportCeiling.objects.get(title=title)


def lines(state: int, counterpart: int, *, estimated_state: int | None = None):
    return [
        LineInput(source="kcdp", cost_item="thiet_bi", estimated_cost=estimated_state or state, approved_amount=state),
        LineInput(source="doi_ung", cost_item="thiet_bi", estimated_cost=counterpart, approved_amount=counterpart),
    ]


@pytest.fixture
def model_project(db):
    project = ProjectFactory(funded=True, contents=["4.3"])
    approve(project)
    return project


def test_the_seeded_ceilings_are_the_confirmed_rows_of_the_circular(db):
    demo, machinery = rule(MODEL), rule(MACHINERY)
    assert (demo.percent_cap, demo.amount_cap, demo.basis) == (30, 1_000_000_000, "mo_hinh")
    assert (machinery.percent_cap, machinery.amount_cap, machinery.basis) == (50, 300_000_000, "co_so")
    assert rule("Ứng dụng dây chuyền công nghệ đồng bộ").amount_cap == 450_000_000
    fairs = rule("Tham gia hội chợ triển lãm ở nước ngoài")
    assert fairs.percent_cap == 100 and fairs.amount_cap is None
    assert "28/2018/TT-BTC" in demo.legal_basis and "64/2024/TT-BTC" in demo.legal_basis
    assert not SupportCeiling.objects.filter(activity_content__code="4.1").exists()  # not confirmed: no check


def test_support_exactly_at_the_percent_limit_is_accepted(staff, model_project):
    check = services.funding_lines_save(
        actor=staff, project=model_project, lines=lines(300_000_000, 700_000_000), ceiling=rule(MODEL)
    )
    assert check.limit == 300_000_000 and not check.breached
    assert FundingLine.objects.filter(project=model_project).count() == 2
    assert model_project.funding.history.count() >= 1


def test_one_dong_above_the_percent_limit_is_refused_with_rule_basis_and_numbers(staff, model_project):
    with pytest.raises(CeilingBreach) as refused:
        services.funding_lines_save(
            actor=staff,
            project=model_project,
            lines=lines(300_000_001, 700_000_000, estimated_state=300_000_000),
            ceiling=rule(MODEL),
        )
    message = refused.value.messages[0]
    assert "300.000.001" in message and "300.000.000" in message
    assert MODEL in message and "28/2018/TT-BTC" in message and "01/03/2021" in message
    assert not FundingLine.objects.filter(project=model_project).exists()


def test_the_vnd_cap_counts_per_establishment(staff, db):
    project = ProjectFactory(funded=True, contents=["4.3"])
    approve(project)
    # 50 % of 1.400.000.000 is 700.000.000, but the cap is 300.000.000 per establishment × 2.
    ok = lines(600_000_000, 800_000_000)
    check = services.funding_lines_save(
        actor=staff, project=project, lines=ok, ceiling=rule(MACHINERY), ceiling_units=2
    )
    assert check.limit == 600_000_000
    with pytest.raises(CeilingBreach):
        services.funding_lines_save(
            actor=staff,
            project=project,
            lines=[
                LineInput(
                    id=line.pk,
                    source=line.source,
                    cost_item=line.cost_item,
                    estimated_cost=line.estimated_cost,
                    approved_amount=line.approved_amount + (1 if line.source == "kcdp" else 0),
                )
                for line in FundingLine.objects.filter(project=project)
            ],
            ceiling=rule(MACHINERY),
            ceiling_units=2,
        )


def test_a_leader_exception_lets_the_breach_through_and_is_recorded(staff, leader, model_project):
    too_much = lines(300_000_001, 700_000_000, estimated_state=300_000_000)
    with pytest.raises(CeilingBreach):
        services.funding_lines_save(actor=staff, project=model_project, lines=too_much, ceiling=rule(MODEL))
    request = services.exception_request(
        actor=staff, project=model_project, kind=ExceptionKind.CEILING, amount=300_000_001, reason="Giá thiết bị tăng"
    )
    with pytest.raises(PermissionDenied):
        services.exception_decide(actor=staff, exception=request, approve=True, comment="tự duyệt")
    # Still pending: staff cannot pass yet.
    with pytest.raises(CeilingBreach):
        services.funding_lines_save(actor=staff, project=model_project, lines=too_much, ceiling=rule(MODEL))
    services.exception_decide(actor=leader, exception=request, approve=True, comment="Đồng ý theo tờ trình")
    check = services.funding_lines_save(actor=staff, project=model_project, lines=too_much, ceiling=rule(MODEL))
    assert check.breached and check.exception == request
    model_project.funding.refresh_from_db()
    assert model_project.funding.ceiling_exception == request
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ExceptionStatus.APPROVED, leader)
    assert request.history.count() == 2
    # Deciding twice is refused.
    with pytest.raises(ValidationError):
        services.exception_decide(actor=leader, exception=request, approve=False, comment="đổi ý")


def test_an_exception_covers_only_the_amount_it_names(staff, leader, model_project):
    services.exception_record(
        actor=leader, project=model_project, kind=ExceptionKind.CEILING, amount=310_000_000, reason="Tờ trình số 5"
    )
    with pytest.raises(CeilingBreach):
        services.funding_lines_save(
            actor=staff,
            project=model_project,
            lines=lines(310_000_001, 700_000_000, estimated_state=300_000_000),
            ceiling=rule(MODEL),
        )


def test_the_rule_in_force_on_the_approval_date_applies(staff, db):
    content = ActivityContent.objects.get(code="4.3")
    old = rule(MODEL)
    old.effective_to = date(2024, 12, 31)
    old.save()
    SupportCeiling.objects.create(
        title=MODEL,
        activity_content=content,
        effective_from=date(2025, 1, 1),
        percent_cap=40,
        amount_cap=1_000_000_000,
        basis="mo_hinh",
        legal_basis="Thông tư giả định",
    )
    project_2021 = ProjectFactory(funded=True, contents=["4.3"])
    approve(project_2021, signed_on=date(2021, 3, 1))
    project_2025 = ProjectFactory(funded=True, contents=["4.3"], plan_year=2025)
    approve(project_2025, signed_on=date(2025, 3, 1), number="30/QĐ-UBND")
    forty = lines(400_000_000, 600_000_000)
    with pytest.raises(CeilingBreach):
        services.funding_lines_save(actor=staff, project=project_2021, lines=forty, ceiling=old)
    check = services.funding_lines_save(actor=staff, project=project_2025, lines=forty, ceiling=old)
    assert check.rule.legal_basis == "Thông tư giả định"


def test_a_content_with_several_rules_needs_a_choice(staff, model_project):
    with pytest.raises(ValidationError) as refused:
        services.funding_lines_save(actor=staff, project=model_project, lines=lines(100, 900))
    assert "chọn mức hỗ trợ áp dụng" in str(refused.value)


def test_a_content_without_a_rule_is_not_checked(staff, db):
    project = ProjectFactory(funded=True, contents=["4.1"])
    check = services.funding_lines_save(actor=staff, project=project, lines=lines(150_000_000, 0))
    assert check.rule is None and not check.breached


def test_only_staff_save_lines_and_only_leaders_approve(leader, officer_a, model_project):
    for user in (leader, officer_a):
        with pytest.raises(PermissionDenied):
            services.funding_lines_save(actor=user, project=model_project, lines=lines(1, 9), ceiling=rule(MODEL))
    with pytest.raises(PermissionDenied):
        services.exception_record(actor=officer_a, project=model_project, kind="ceiling", amount=1, reason="x")
    assert not BudgetException.objects.exists()
