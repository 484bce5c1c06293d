"""Each event tells exactly the right people, once, and nobody outside the record's area."""

import datetime as dt
import uuid

import pytest
from django.core import mail

from accounts.roles import Role
from budgets import services as budget_services
from budgets.models import ExceptionKind
from contest.models import ContestState
from field import services as field_services
from field.models import FieldAssignment
from notifications.models import EmailDelivery, Event, Notification
from projects.models import AdjustmentKind, AppraisalResult, DecisionItem, ProjectStatus
from projects.services import adjustment_decide, adjustment_request, project_transition
from tests.budgets.factories import line
from tests.conftest import AREA_A
from tests.factories import DecisionFactory, ProjectFactory, UserFactory, unit

S = ProjectStatus


@pytest.fixture(autouse=True)
def _eager(eager):
    return None


def told(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


@pytest.fixture
def everyone(staff, leader, officer_a, officer_b, admin_user, juror):
    return {"staff": staff, "leader": leader, "officer_a": officer_a, "officer_b": officer_b}


def test_a_registered_project_tells_the_other_staff_only(everyone, staff, django_capture_on_commit_callbacks):
    other_staff = UserFactory(username="staff2", role=Role.STAFF)
    UserFactory(username="staff_gone", role=Role.STAFF, is_active=False)
    project = ProjectFactory(status=S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        project_transition(actor=staff, project=project, to=S.REGISTERED)
    # The staff member who registered it is not told of their own action.
    assert told(Event.PROJECT_REGISTERED) == {other_staff.username}
    notice = Notification.objects.get(recipient=other_staff)
    assert project.code in notice.title and notice.url == f"/de-an/{project.pk}/"
    assert notice.unit == project.unit
    # One e-mail per recipient, in Vietnamese, with an absolute link.
    assert [m.to for m in mail.outbox] == [[other_staff.email]]
    assert "đã đăng ký" in mail.outbox[0].subject and "http://testserver.example/de-an/" in mail.outbox[0].body


def test_an_appraisal_tells_the_leaders(everyone, staff, leader):
    project = ProjectFactory(status=S.REGISTERED)
    project_transition(
        actor=staff, project=project, to=S.APPRAISED, appraisal_result=AppraisalResult.PASSED, appraisal_remarks="Đạt"
    )
    assert told(Event.PROJECT_APPRAISED) == {"leader"}


def test_an_approval_tells_the_staff_and_the_officers_of_its_area_but_not_of_another(everyone, admin_user):
    project = ProjectFactory(status=S.APPRAISED, appraisal_result=AppraisalResult.PASSED)
    decision = DecisionFactory()
    DecisionItem.objects.create(decision=decision, project=project)
    project_transition(actor=admin_user, project=project, to=S.APPROVED, decision=decision)
    assert told(Event.PROJECT_APPROVED) == {"staff", "officer_a"}


def test_an_officer_is_never_told_about_another_area_even_when_named_directly(officer_b, staff):
    from notifications.services import notify

    project = ProjectFactory()  # area A
    created = notify(recipients=[officer_b, staff], event=Event.PROJECT_APPROVED, key="x", title="t", unit=project.unit)
    assert [n.recipient for n in created] == [staff]


def test_an_adjustment_request_tells_the_leaders_and_the_decision_tells_the_requester(everyone, officer_a, leader):
    project = ProjectFactory(status=S.IN_PROGRESS, end_date=dt.date(2021, 12, 31), start_date=dt.date(2021, 3, 1))
    adjustment = adjustment_request(
        actor=officer_a,
        project=project,
        kind=AdjustmentKind.PLACE_BENEFICIARY_TIMING,
        reason="Lùi lịch giao máy",
        changes={"end_date": dt.date(2022, 3, 31)},
    )
    assert told(Event.ADJUSTMENT_REQUESTED) == {"leader"}
    adjustment_decide(actor=leader, adjustment=adjustment, approve=False, comment="Chưa đủ căn cứ")
    assert told(Event.ADJUSTMENT_DECIDED) == {"officer_a"}


def test_a_budget_exception_tells_the_leaders_then_the_requester(everyone, staff, leader):
    project = ProjectFactory(funded=True)
    exception = budget_services.exception_request(
        actor=staff, project=project, kind=ExceptionKind.CEILING, amount=1_000_000, reason="Máy đặc chủng"
    )
    assert told(Event.EXCEPTION_REQUESTED) == {"leader"}
    budget_services.exception_decide(actor=leader, exception=exception, approve=True, comment="Đồng ý")
    assert told(Event.EXCEPTION_DECIDED) == {"staff"}


def test_a_payment_tells_the_staff_member_following_the_project(everyone, staff, admin_user):
    follower = UserFactory(username="follower", role=Role.STAFF)
    project = ProjectFactory(funded=True)
    FieldAssignment.objects.create(project=project, staff=follower)
    money = line(project, estimated=200_000_000, approved=150_000_000)
    budget_services.disbursement_create(
        actor=staff, line=money, kind="tam_ung", paid_on=dt.date(2021, 5, 15), amount=1_000_000, document_number="U1"
    )
    assert told(Event.PAYMENT_RECORDED) == {"follower"}
    assert "1.000.000" in Notification.objects.get().title


def test_a_field_problem_tells_the_assigned_staff_and_a_repeated_submission_tells_nobody_again(
    everyone, officer_a, staff, django_capture_on_commit_callbacks
):
    follower = UserFactory(username="follower", role=Role.STAFF)
    FieldAssignment.objects.create(unit=unit(AREA_A), staff=follower)
    project = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)
    client_id = uuid.uuid4()
    data = {"visit_date": project.contract_date, "has_problem": True, "problem": "Máy hỏng"}
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            field_services.field_report_save(
                actor=officer_a, client_id=client_id, project=project, data=data, submit=True
            )
    assert told(Event.FIELD_PROBLEM) == {"follower"}
    assert EmailDelivery.objects.filter(sent_at__isnull=False).count() == 1


def test_opening_a_contest_for_scoring_tells_its_jurors(staff, juror, settings, tmp_path):
    from contest import services as contest_services
    from contest.models import DocumentKind, EntryDocument, EntryPhoto
    from tests.factories import ContestFactory, EntryFactory, contest_pdf, contest_photo

    settings.MEDIA_ROOT = tmp_path
    other_juror = UserFactory(username="juror2", role=Role.JUROR)
    contest = ContestFactory(jurors=[juror], secretaries=[staff])
    entry = EntryFactory(contest=contest)
    for i in range(3):
        EntryPhoto.objects.create(entry=entry, image=contest_photo(f"a{i}.jpg"))
    EntryDocument.objects.create(
        entry=entry, kind=DocumentKind.REGISTRATION_FORM, file=contest_pdf(), original_name="p.pdf"
    )
    contest_services.contest_transition(actor=staff, contest=contest, to_state=ContestState.SCORING)
    assert told(Event.CONTEST_SCORING) == {"juror"}
    assert other_juror.notifications.count() == 0


def test_a_finished_document_tells_whoever_requested_it(staff, leader, beneficiary_a, settings, tmp_path):
    from documents.models import JobStatus
    from documents.services import document_render, document_request

    settings.MEDIA_ROOT = tmp_path
    job = document_request(actor=staff, kind="beneficiary_sheet", params={"beneficiary": beneficiary_a.pk})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert told(Event.DOCUMENT_FINISHED) == {"staff"}
    # The same job delivered again does not tell anyone twice.
    document_render(job_id=job.pk)
    assert Notification.objects.count() == 1
