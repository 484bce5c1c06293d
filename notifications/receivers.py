"""Receivers of core.events: each decides who is told and words the notice (Vietnamese). Run inside the sender's
transaction; they only write rows (notifications.services.notify) and enqueue e-mails through the outbox."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.roles import Role
from core import events
from notifications.models import Event
from notifications.recipients import area_officers_of, responsible_staff, with_role
from notifications.services import notify


def _project_url(project) -> str:
    return reverse("projects:detail", args=[project.pk])


def project_registered(sender, project, actor=None, **kwargs):
    notify(
        recipients=with_role(Role.STAFF),
        event=Event.PROJECT_REGISTERED,
        key=f"project_registered:{project.pk}",
        title=_("Đề án %(project)s đã đăng ký") % {"project": project},
        body=_("Người đăng ký: %(actor)s.") % {"actor": actor or "—"},
        url=_project_url(project),
        unit=project.unit,
        actor=actor,
    )


def project_appraised(sender, project, actor=None, **kwargs):
    notify(
        recipients=with_role(Role.LEADER),
        event=Event.PROJECT_APPRAISED,
        key=f"project_appraised:{project.pk}:{project.appraised_on}",
        title=_("Đề án %(project)s đã thẩm định: %(result)s")
        % {"project": project, "result": project.get_appraisal_result_display()},
        body=project.appraisal_remarks,
        url=_project_url(project),
        unit=project.unit,
        actor=actor,
    )


def project_approved(sender, project, actor=None, decision=None, **kwargs):
    notify(
        recipients=with_role(Role.STAFF) + area_officers_of(project.unit),
        event=Event.PROJECT_APPROVED,
        key=f"project_approved:{project.pk}",
        title=_("Đề án %(project)s đã được phê duyệt") % {"project": project},
        body=_("Quyết định: %(decision)s.") % {"decision": decision or "—"},
        url=_project_url(project),
        unit=project.unit,
        actor=actor,
    )


def adjustment_requested(sender, adjustment, actor=None, **kwargs):
    project = adjustment.project
    notify(
        recipients=with_role(Role.LEADER),
        event=Event.ADJUSTMENT_REQUESTED,
        key=f"adjustment_requested:{adjustment.pk}",
        title=_("Đề nghị điều chỉnh đề án %(project)s: %(kind)s")
        % {"project": project, "kind": adjustment.get_kind_display()},
        body=adjustment.reason,
        url=reverse("projects:adjustment_detail", args=[project.pk, adjustment.pk]),
        unit=project.unit,
        actor=actor,
    )


def adjustment_decided(sender, adjustment, actor=None, **kwargs):
    project = adjustment.project
    notify(
        recipients=[adjustment.requested_by],
        event=Event.ADJUSTMENT_DECIDED,
        key=f"adjustment_decided:{adjustment.pk}",
        title=_("Đề nghị điều chỉnh đề án %(project)s: %(status)s")
        % {"project": project, "status": adjustment.get_status_display()},
        body=adjustment.decision_comment,
        url=reverse("projects:adjustment_detail", args=[project.pk, adjustment.pk]),
        unit=project.unit,
        actor=actor,
    )


def budget_exception_requested(sender, exception, actor=None, **kwargs):
    project = exception.project
    notify(
        recipients=with_role(Role.LEADER),
        event=Event.EXCEPTION_REQUESTED,
        key=f"exception_requested:{exception.pk}",
        title=_("Đề nghị ngoại lệ kinh phí đề án %(project)s") % {"project": project},
        body=exception.reason,
        url=reverse("budgets:exception_decide", args=[exception.pk]),
        unit=project.unit,
        actor=actor,
    )


def budget_exception_decided(sender, exception, actor=None, **kwargs):
    project = exception.project
    notify(
        recipients=[exception.requested_by],
        event=Event.EXCEPTION_DECIDED,
        key=f"exception_decided:{exception.pk}",
        title=_("Đề nghị ngoại lệ kinh phí đề án %(project)s: %(status)s")
        % {"project": project, "status": exception.get_status_display()},
        body=exception.decision_comment,
        url=reverse("budgets:project", args=[project.pk]),
        unit=project.unit,
        actor=actor,
    )


def payment_recorded(sender, disbursement, actor=None, **kwargs):
    from core.money import format_dong

    project = disbursement.line.project
    notify(
        recipients=responsible_staff(project),
        event=Event.PAYMENT_RECORDED,
        key=f"payment_recorded:{disbursement.pk}",
        title=_("Đã ghi giải ngân %(amount)s đồng cho đề án %(project)s")
        % {"amount": format_dong(disbursement.amount), "project": project},
        body=_("Chứng từ %(number)s, ngày %(date)s.")
        % {"number": disbursement.document_number, "date": disbursement.paid_on.strftime("%d/%m/%Y")},
        url=reverse("budgets:project", args=[project.pk]),
        unit=project.unit,
        actor=actor,
    )


def acceptance_scheduled(sender, acceptance, actor=None, **kwargs):
    project = acceptance.project
    members = [m.user for m in acceptance.council.select_related("user") if m.user_id]
    notify(
        recipients=members,
        event=Event.ACCEPTANCE,
        key=f"acceptance:{acceptance.pk}",
        title=_("Hội đồng nghiệm thu đề án %(project)s, ngày %(date)s")
        % {"project": project, "date": acceptance.held_on.strftime("%d/%m/%Y")},
        body=acceptance.place,
        url=reverse("field:acceptance_detail", args=[acceptance.pk]),
        unit=project.unit,
        actor=actor,
    )


def acceptance_planned(sender, schedule, actor=None, **kwargs):
    project = schedule.project
    when = schedule.planned_on.strftime("%d/%m/%Y")
    if schedule.planned_time:
        when = f"{schedule.planned_time:%H:%M} {when}"
    notify(
        recipients=list(schedule.members.all()),
        event=Event.ACCEPTANCE,
        key=f"acceptance_planned:{schedule.pk}",
        title=_("Lịch nghiệm thu đề án %(project)s: %(when)s") % {"project": project, "when": when},
        body=_("Địa điểm: %(place)s. Bạn là thành viên hội đồng nghiệm thu.") % {"place": schedule.place},
        url=reverse("field:project", args=[project.pk]),
        unit=project.unit,
        actor=actor,
    )


def field_problem_reported(sender, report, **kwargs):
    subject = report.project or report.beneficiary
    notify(
        recipients=responsible_staff(report.project, report.unit) if report.project else _staff_for_unit(report),
        event=Event.FIELD_PROBLEM,
        key=f"field_problem:{report.pk}",
        title=_("Vướng mắc tại %(subject)s") % {"subject": report.project.code if report.project else subject},
        body=_("%(author)s báo cáo kiểm tra ngày %(date)s: %(problem)s\nKiến nghị: %(recommendations)s")
        % {
            "author": report.author,
            "date": report.visit_date.strftime("%d/%m/%Y") if report.visit_date else "—",
            "problem": report.problem,
            "recommendations": report.recommendations or "—",
        },
        url=reverse("field:report_detail", args=[report.pk]),
        unit=report.unit,
    )


def _staff_for_unit(report) -> list:
    staff = report.responsible_staff
    return [staff] if staff is not None else with_role(Role.STAFF)


def document_finished(sender, job, **kwargs):
    done = job.status == "done"
    notify(
        recipients=list(job.requesters.all()) + ([job.requested_by] if job.requested_by_id else []),
        event=Event.DOCUMENT_FINISHED,
        key=f"document_finished:{job.pk}:{job.status}:{job.attempts}",
        title=(_("Văn bản đã tạo xong: %(title)s") if done else _("Không tạo được văn bản: %(title)s"))
        % {"title": job.title or _kind_title(job.kind)},
        url=reverse("documents:detail", args=[job.uid]),
        unit=job.unit,
    )


def _kind_title(code: str) -> str:
    from django.http import Http404

    from documents.kinds import get_kind

    try:
        return str(get_kind(code).title)
    except Http404:  # a kind removed since: its code still names it
        return code


def contest_scoring_opened(sender, contest, actor=None, **kwargs):
    notify(
        recipients=list(contest.jurors.all()),
        event=Event.CONTEST_SCORING,
        key=f"contest_scoring:{contest.pk}",
        title=_("Mời chấm điểm: %(contest)s") % {"contest": contest},
        url=reverse("contest:juror_entries", args=[contest.pk]),
        actor=actor,
    )


def import_finished(sender, batch, **kwargs):
    if batch.created_by_id is None:
        return
    notify(
        recipients=[batch.created_by],
        event=Event.IMPORT_FINISHED,
        key=f"import_finished:{batch.pk}",
        title=_("Nhập tệp %(name)s: %(status)s") % {"name": batch.file_name, "status": batch.get_status_display()},
        body=batch.message,
        url=reverse("beneficiaries:import_batch", args=[batch.pk]),
    )


_RECEIVERS = {
    events.project_registered: project_registered,
    events.project_appraised: project_appraised,
    events.project_approved: project_approved,
    events.adjustment_requested: adjustment_requested,
    events.adjustment_decided: adjustment_decided,
    events.budget_exception_requested: budget_exception_requested,
    events.budget_exception_decided: budget_exception_decided,
    events.payment_recorded: payment_recorded,
    events.acceptance_scheduled: acceptance_scheduled,
    events.acceptance_planned: acceptance_planned,
    events.field_problem_reported: field_problem_reported,
    events.document_finished: document_finished,
    events.contest_scoring_opened: contest_scoring_opened,
    events.import_finished: import_finished,
}


def _in_vietnamese(receiver):
    # Notices are stored once, in Vietnamese, whatever the language of the person whose action caused them.
    def wrapped(*args, **kwargs):
        with override("vi"):
            return receiver(*args, **kwargs)

    return wrapped


def connect() -> None:
    for signal, receiver in _RECEIVERS.items():
        signal.connect(_in_vietnamese(receiver), weak=False, dispatch_uid=f"notifications.{receiver.__name__}")
