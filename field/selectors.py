"""Reads for the field app. Every queryset a user sees is scoped here with accounts.scope."""

from django.db.models import Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import Role, has_role
from accounts.scope import in_scope
from beneficiaries.models import Beneficiary
from field.models import (
    Acceptance,
    FieldAssignment,
    FieldReport,
    FollowUpAction,
    Inspection,
    ReportPhoto,
    ReportStatus,
)
from field.permissions import REPORTABLE_STATES
from projects.models import Project, ProjectStatus
from projects.selectors import latest_approval_decision, project_scope


# --- đề án and establishments, as the field pages need them -------------------------------------------------------
def project_list(*, user) -> QuerySet[Project]:
    return project_scope(user=user).select_related("unit", "implementing_unit", "created_by")


def project_get(*, user, pk: int) -> Project:
    """One đề án, or 404 outside the user's areas."""
    return get_object_or_404(project_list(user=user), pk=pk)


def reportable_projects(*, user) -> QuerySet[Project]:
    """Đề án in the user's areas on which a visit report can be written (officer's home page)."""
    return project_list(user=user).filter(status__in=REPORTABLE_STATES).order_by("-plan_year", "level", "code")


def beneficiary_get(*, user, pk: int) -> Beneficiary:
    return get_object_or_404(in_scope(Beneficiary.objects.select_related("unit"), user, "unit"), pk=pk)


# --- field reports -------------------------------------------------------------------------------------------------
def report_list(*, user) -> QuerySet[FieldReport]:
    """Reports the user may read: submitted ones in their areas, and their own drafts."""
    qs = in_scope(FieldReport.objects.all(), user, "unit")
    qs = qs.filter(Q(status=ReportStatus.SUBMITTED) | Q(author_id=user.pk))
    return qs.select_related("project", "beneficiary", "author", "unit", "problem_acknowledged_by")


def recent_reports(*, user, limit: int = 10) -> list[FieldReport]:
    """The latest submitted reports the user may read (the field home page)."""
    return list(report_list(user=user).filter(status=ReportStatus.SUBMITTED).order_by("-submitted_at")[:limit])


def recently_acknowledged(*, user, limit: int = 10) -> list[FieldReport]:
    """Problems lately taken in hand, newest first (under the open problems)."""
    qs = report_list(user=user).filter(has_problem=True, problem_acknowledged_at__isnull=False)
    return list(qs.order_by("-problem_acknowledged_at")[:limit])


def awaiting_acceptance(*, user, limit: int = 20) -> list[Project]:
    """Đề án in the user's areas waiting for their acceptance record."""
    return list(project_list(user=user).filter(status=ProjectStatus.AWAITING_ACCEPTANCE)[:limit])


def report_get(*, user, pk: int) -> FieldReport:
    qs = report_list(user=user).prefetch_related("photos", "observed_outputs__output")
    return get_object_or_404(qs, pk=pk)


def report_by_client_id(*, client_id) -> FieldReport | None:
    return FieldReport.objects.filter(client_id=client_id).first()


def reports_for_project(*, user, project: Project) -> QuerySet[FieldReport]:
    return report_list(user=user).filter(project=project).prefetch_related("photos")


def my_drafts(*, user) -> QuerySet[FieldReport]:
    return report_list(user=user).filter(author_id=user.pk, status=ReportStatus.DRAFT).order_by("-updated_at")


def open_problems(*, user) -> QuerySet[FieldReport]:
    """Submitted reports with a problem nobody has acknowledged yet, oldest first."""
    return (
        report_list(user=user)
        .filter(status=ReportStatus.SUBMITTED, has_problem=True, problem_acknowledged_at__isnull=True)
        .select_related("responsible_staff")
        .order_by("submitted_at", "id")
    )


def open_problems_for_home(*, user) -> QuerySet[FieldReport]:
    """The staff home page: open problems assigned to this person, or to nobody in particular."""
    return open_problems(user=user).filter(Q(responsible_staff=user) | Q(responsible_staff__isnull=True))


def responsible_staff_for(*, project: Project | None, unit):
    """Who hears about a problem: the đề án's assignment, else the nearest area's, else the đề án's creator
    when they are on the staff. None means "every staff member" (it shows on all staff home pages)."""
    if project is not None:
        assignment = FieldAssignment.objects.filter(project=project).select_related("staff").first()
        if assignment:
            return assignment.staff
    if unit is not None:
        prefixes = []
        parts = [p for p in unit.path.split("/") if p]
        for i in range(len(parts), 0, -1):
            prefixes.append("/" + "/".join(parts[:i]) + "/")
        assignments = FieldAssignment.objects.filter(unit__path__in=prefixes).select_related("staff", "unit")
        best = max(assignments, key=lambda a: len(a.unit.path), default=None)
        if best:
            return best.staff
    creator = project.created_by if project is not None else None
    if creator is not None and creator.is_active and has_role(creator, Role.STAFF):
        return creator
    return None


# --- inspections -----------------------------------------------------------------------------------------------
def inspection_list(*, user) -> QuerySet[Inspection]:
    return in_scope(
        Inspection.objects.all(), user, "project__unit", chosen_field="project__successor_unit"
    ).select_related("project", "created_by")


def inspections_for_project(*, user, project: Project) -> QuerySet[Inspection]:
    return (
        inspection_list(user=user)
        .filter(project=project)
        .prefetch_related("team", Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner")))
    )


def inspection_get(*, user, pk: int) -> Inspection:
    qs = inspection_list(user=user).prefetch_related(
        "team", Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner", "done_by"))
    )
    return get_object_or_404(qs, pk=pk)


def action_get(*, user, pk: int) -> FollowUpAction:
    qs = in_scope(
        FollowUpAction.objects.all(),
        user,
        "inspection__project__unit",
        chosen_field="inspection__project__successor_unit",
    ).select_related("inspection__project", "owner")
    return get_object_or_404(qs, pk=pk)


def actions_by_id(ids) -> dict[int, FollowUpAction]:
    """The follow-up actions an inspection form names by id, whatever their inspection or area: the form's check
    (permissions.can_change_action) refuses those of another inspection rather than mistaking them for new rows."""
    return {a.pk: a for a in FollowUpAction.objects.filter(pk__in=ids)}


def photo_get(*, user, pk: int) -> ReportPhoto:
    """A photo of a report the user may read, or 404."""
    return get_object_or_404(ReportPhoto.objects.filter(report__in=report_list(user=user)), pk=pk)


def overdue_actions(*, user=None, today=None) -> QuerySet[FollowUpAction]:
    """Not done and due before today. Without a user (the reminder job), all of them."""
    today = today or timezone.localdate()
    qs = FollowUpAction.objects.filter(done=False, due_date__lt=today)
    if user is not None:
        qs = in_scope(qs, user, "inspection__project__unit", chosen_field="inspection__project__successor_unit")
    return qs.select_related("inspection__project", "owner").order_by("due_date", "id")


# --- acceptance ----------------------------------------------------------------------------------------------
def acceptance_list(*, user) -> QuerySet[Acceptance]:
    return in_scope(
        Acceptance.objects.all(), user, "project__unit", chosen_field="project__successor_unit"
    ).select_related("project", "recorded_by")


def acceptances_for_project(*, user, project: Project) -> QuerySet[Acceptance]:
    return acceptance_list(user=user).filter(project=project).order_by("attempt")


def acceptance_get(*, user, pk: int) -> Acceptance:
    qs = acceptance_list(user=user).prefetch_related("council", "outputs", "funding")
    return get_object_or_404(qs, pk=pk)


def passed_acceptance(project: Project) -> Acceptance | None:
    """The acceptance finder registered with projects.hooks."""
    return Acceptance.objects.filter(project=project, result="passed").order_by("-attempt").first()


def approval_decision_reference(project: Project) -> str:
    """ "191/QĐ-UBND ngày 18/01/2021 của UBND thành phố Hải Phòng" for the decision that approved the đề án, or ""."""
    decision = latest_approval_decision(project)
    if decision is None:
        return ""
    text = f"{decision.number} ngày {decision.signed_on:%d/%m/%Y}"
    return f"{text} của {decision.issuing_body}" if decision.issuing_body else text


def acceptance_schedules_for_project(*, project) -> list:
    """The planned nghiệm thu of a đề án the caller already got through project_get (so in scope), latest first,
    with their members: two queries."""
    from field.models import AcceptanceSchedule

    return list(
        AcceptanceSchedule.objects.filter(project=project).prefetch_related("members").order_by("-planned_on", "-pk")
    )


def acceptance_schedule_to_hold(*, project):
    """The plan the next biên bản starts from (a đề án the caller got through project_get): the latest schedule
    for a day after the last session held, with its members; None when there is none. A schedule of a session
    already recorded (a failed one) is not offered again for the next attempt."""
    from field.models import AcceptanceSchedule

    schedules = AcceptanceSchedule.objects.filter(project=project)
    last_held = Acceptance.objects.filter(project=project).aggregate(day=Max("held_on"))["day"]
    if last_held is not None:
        schedules = schedules.filter(planned_on__gt=last_held)
    return schedules.prefetch_related("members").order_by("-planned_on", "-pk").first()


def department_name() -> str:
    """The name of the Sở as an organisation (projects.Organisation of kind "department"), for the council rows of
    office staff; "" unless exactly one is active."""
    from projects.models import Organisation

    names = list(
        Organisation.objects.filter(active=True, kind=Organisation.Kind.DEPARTMENT).values_list("name", flat=True)[:2]
    )
    return names[0] if len(names) == 1 else ""
