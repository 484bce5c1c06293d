"""The state machine: every transition in the table, allowed for its roles and refused for the others; every
pair not in the table refused for everybody; the preconditions of each step; the timeline rows."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import hooks
from projects.models import AppraisalResult, DecisionItem, DecisionKind, Project, ProjectStatus, ProjectTransition
from projects.permissions import TRANSITIONS, available_transitions, can_transition
from projects.services import project_transition
from tests.factories import DecisionFactory, ProjectFactory

S = ProjectStatus
PERSONAS = ["staff", "leader", "officer_a", "admin_user", "juror"]
ROLE_OF = {"staff": "staff", "leader": "leader", "officer_a": "area_officer", "admin_user": "admin", "juror": "juror"}


def _prepared(from_status: str, to_status: str) -> tuple[Project, dict]:
    """A đề án in `from_status` with what `to_status` needs, and the service arguments for it."""
    project = ProjectFactory(status=from_status, appraisal_result=AppraisalResult.PASSED)
    if from_status == S.SUSPENDED:
        project.status_before_suspension = to_status if to_status != S.STOPPED else S.IN_PROGRESS
        project.save()
    kwargs = {"comment": "Ghi chú kiểm thử"}
    if to_status == S.APPRAISED:
        kwargs |= {"appraisal_result": AppraisalResult.PASSED, "appraisal_remarks": "Đạt"}
    elif to_status in (S.APPROVED, S.STOPPED):
        kind = DecisionKind.PLAN_APPROVAL if to_status == S.APPROVED else DecisionKind.STOP
        decision = DecisionFactory(kind=kind)
        DecisionItem.objects.create(decision=decision, project=project)
        kwargs["decision"] = decision
    elif to_status == S.CONTRACTED:
        kwargs |= {"contract_number": "01/2021/HĐ", "contract_date": dt.date(2021, 4, 1), "contract_parties": "A và B"}
    elif to_status == S.ACCEPTED:
        kwargs["acceptance"] = SimpleNamespace(project_id=project.pk)
    return project, kwargs


CASES = [(frm, to, persona) for (frm, to) in TRANSITIONS for persona in PERSONAS]


@pytest.mark.parametrize(("from_status", "to_status", "persona"), CASES, ids=lambda v: str(v))
def test_each_transition_is_allowed_for_its_roles_and_refused_for_the_others(
    request, beneficiary_a, from_status, to_status, persona
):
    user = request.getfixturevalue(persona)
    project, kwargs = _prepared(from_status, to_status)
    allowed = ROLE_OF[persona] in TRANSITIONS[(from_status, to_status)]
    if allowed:
        result = project_transition(actor=user, project=project, to=to_status, **kwargs)
        assert result.status == to_status
        assert result.version == 2
        row = ProjectTransition.objects.get(project=project)
        assert (row.from_status, row.to_status, row.actor, row.comment) == (
            from_status,
            to_status,
            user,
            "Ghi chú kiểm thử",
        )
    else:
        with pytest.raises(PermissionDenied):
            project_transition(actor=user, project=project, to=to_status, **kwargs)
        project.refresh_from_db()
        assert project.status == from_status
        assert project.version == 1
        assert not ProjectTransition.objects.filter(project=project).exists()


ILLEGAL = [(frm, to) for frm in S.values for to in S.values if frm != to and (frm, to) not in TRANSITIONS]


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL, ids=lambda v: str(v))
def test_a_transition_outside_the_table_is_refused_for_everybody(admin_user, from_status, to_status):
    project = ProjectFactory.build(status=from_status)
    allowed, reason = can_transition(admin_user, project, to_status)
    assert not allowed
    assert "Không thể chuyển đề án" in reason


def test_the_service_refuses_an_illegal_jump_with_a_vietnamese_message_and_writes_nothing(db, admin_user):
    project = ProjectFactory(status=S.DRAFT)
    with pytest.raises(PermissionDenied, match="từ trạng thái “Dự thảo” sang “Đang thực hiện”"):
        project_transition(actor=admin_user, project=project, to=S.IN_PROGRESS)
    assert not ProjectTransition.objects.exists()


def test_an_officer_cannot_register_a_project_outside_their_area(db, officer_b):
    project = ProjectFactory(status=S.DRAFT)  # in Thủy Nguyên, officer_b covers Cát Hải
    with pytest.raises(PermissionDenied, match="ngoài địa bàn"):
        project_transition(actor=officer_b, project=project, to=S.REGISTERED)


def test_firing_the_same_transition_twice_is_refused_the_second_time(db, staff):
    project = ProjectFactory(status=S.DRAFT)
    project_transition(actor=staff, project=project, to=S.REGISTERED)
    with pytest.raises(ValidationError, match="đã ở trạng thái"):
        project_transition(actor=staff, project=project, to=S.REGISTERED)
    assert ProjectTransition.objects.filter(project=project).count() == 1


def test_a_form_opened_before_another_change_is_refused_by_the_version_check(db, staff):
    project = ProjectFactory(status=S.DRAFT)
    project_transition(actor=staff, project=project, to=S.REGISTERED, expected_version=1)
    with pytest.raises(ValidationError, match="vừa được người khác cập nhật"):
        project_transition(actor=staff, project=project, to=S.DRAFT, expected_version=1)
    project.refresh_from_db()
    assert project.status == S.REGISTERED


class TestPreconditions:
    def test_appraisal_needs_a_result_and_remarks_when_it_fails(self, db, staff):
        project = ProjectFactory(status=S.REGISTERED)
        with pytest.raises(ValidationError) as exc:
            project_transition(actor=staff, project=project, to=S.APPRAISED)
        assert "appraisal_result" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            project_transition(actor=staff, project=project, to=S.APPRAISED, appraisal_result=AppraisalResult.FAILED)
        assert "ý kiến thẩm định" in exc.value.message_dict["appraisal_remarks"][0]
        project.refresh_from_db()
        assert project.status == S.REGISTERED and project.appraisal_result == ""

    def test_a_failed_appraisal_is_recorded_and_cannot_be_approved(self, db, staff, leader):
        project = ProjectFactory(status=S.REGISTERED)
        project = project_transition(
            actor=staff,
            project=project,
            to=S.APPRAISED,
            appraisal_result=AppraisalResult.FAILED,
            appraisal_remarks="Thiết bị không phù hợp quy mô cơ sở.",
        )
        assert project.appraisal_result == AppraisalResult.FAILED
        assert ProjectTransition.objects.get(project=project).comment == "Thiết bị không phù hợp quy mô cơ sở."
        decision = DecisionFactory()
        DecisionItem.objects.create(decision=decision, project=project)
        with pytest.raises(ValidationError, match="thẩm định đạt"):
            project_transition(actor=staff, project=project, to=S.APPROVED, decision=decision)
        project_transition(actor=leader, project=project, to=S.NOT_APPROVED, comment="Không đạt thẩm định.")
        assert Project.objects.get(pk=project.pk).status == S.NOT_APPROVED

    def test_approval_needs_an_approval_decision_that_lists_the_project(self, db, staff):
        project = ProjectFactory(status=S.APPRAISED, appraisal_result=AppraisalResult.PASSED)
        with pytest.raises(ValidationError, match="Cần chọn quyết định"):
            project_transition(actor=staff, project=project, to=S.APPROVED)
        other = DecisionFactory()
        with pytest.raises(ValidationError, match="không có đề án này"):
            project_transition(actor=staff, project=project, to=S.APPROVED, decision=other)
        stop = DecisionFactory(kind=DecisionKind.STOP)
        DecisionItem.objects.create(decision=stop, project=project)
        with pytest.raises(ValidationError, match="không phải quyết định phê duyệt"):
            project_transition(actor=staff, project=project, to=S.APPROVED, decision=stop)
        assert Project.objects.get(pk=project.pk).status == S.APPRAISED

    def test_a_contract_needs_number_date_and_parties(self, db, staff):
        project = ProjectFactory(status=S.APPROVED)
        with pytest.raises(ValidationError) as exc:
            project_transition(actor=staff, project=project, to=S.CONTRACTED, contract_number="01/HĐ")
        assert set(exc.value.message_dict) == {"contract_date", "contract_parties"}

    def test_acceptance_needs_an_acceptance_record_or_a_registered_finder(self, db, staff):
        project = ProjectFactory(status=S.AWAITING_ACCEPTANCE)
        with pytest.raises(ValidationError, match="biên bản nghiệm thu"):
            project_transition(actor=staff, project=project, to=S.ACCEPTED)
        with pytest.raises(ValidationError, match="không thuộc đề án này"):
            project_transition(
                actor=staff, project=project, to=S.ACCEPTED, acceptance=SimpleNamespace(project_id=project.pk + 1)
            )
        registered = hooks._acceptance_finder  # the field app's, restored afterwards for the tests that follow
        hooks.set_acceptance_finder(lambda p: SimpleNamespace(project_id=p.pk))
        try:
            assert project_transition(actor=staff, project=project, to=S.ACCEPTED).status == S.ACCEPTED
        finally:
            hooks.set_acceptance_finder(registered)

    def test_a_registered_guard_can_refuse_a_step(self, db, staff):
        project = ProjectFactory(status=S.CONTRACT_CLOSED)

        def needs_settlement(project, **context):
            return "Chưa có quyết toán."

        hooks.register_guard(S.SETTLED, needs_settlement)
        try:
            with pytest.raises(ValidationError, match="Chưa có quyết toán"):
                project_transition(actor=staff, project=project, to=S.SETTLED)
        finally:
            hooks.unregister_guard(S.SETTLED, needs_settlement)
        assert project_transition(actor=staff, project=project, to=S.SETTLED).status == S.SETTLED

    def test_suspension_needs_a_reason_and_resumes_to_where_it_was(self, db, leader):
        project = ProjectFactory(status=S.CONTRACTED)
        with pytest.raises(ValidationError, match="Cần ghi lý do"):
            project_transition(actor=leader, project=project, to=S.SUSPENDED)
        project = project_transition(actor=leader, project=project, to=S.SUSPENDED, comment="Cơ sở xin tạm dừng.")
        assert project.status_before_suspension == S.CONTRACTED
        assert available_transitions(leader, project) == [S.CONTRACTED, S.STOPPED]
        with pytest.raises(PermissionDenied, match="chỉ tiếp tục về trạng thái đó"):
            project_transition(actor=leader, project=project, to=S.IN_PROGRESS)
        project = project_transition(actor=leader, project=project, to=S.CONTRACTED)
        assert (project.status, project.status_before_suspension) == (S.CONTRACTED, "")

    def test_stopping_needs_a_stop_decision(self, db, leader):
        project = ProjectFactory(status=S.IN_PROGRESS)
        with pytest.raises(ValidationError) as exc:
            project_transition(actor=leader, project=project, to=S.STOPPED, comment="Cơ sở giải thể.")
        assert "decision" in exc.value.message_dict


def test_the_timeline_records_every_step_with_who_when_and_why(db, staff, leader):
    project = ProjectFactory(status=S.DRAFT)
    project_transition(actor=staff, project=project, to=S.REGISTERED, comment="Nộp hồ sơ")
    project_transition(
        actor=staff, project=project, to=S.APPRAISED, appraisal_result=AppraisalResult.PASSED, comment="Hội đồng họp"
    )
    decision = DecisionFactory()
    DecisionItem.objects.create(decision=decision, project=project)
    project_transition(actor=staff, project=project, to=S.APPROVED, decision=decision)
    rows = list(ProjectTransition.objects.filter(project=project).order_by("at", "id"))
    assert [(r.from_status, r.to_status) for r in rows] == [
        (S.DRAFT, S.REGISTERED),
        (S.REGISTERED, S.APPRAISED),
        (S.APPRAISED, S.APPROVED),
    ]
    assert [r.actor for r in rows] == [staff, staff, staff]
    assert [r.comment for r in rows][:2] == ["Nộp hồ sơ", "Hội đồng họp"]
    assert rows[2].decision == decision
    assert all(r.at is not None for r in rows)
    # The field history has a row per change, with the status change in it.
    project.refresh_from_db()
    statuses = list(project.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == [S.DRAFT, S.REGISTERED, S.APPRAISED, S.APPROVED]
