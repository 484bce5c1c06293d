"""Reads for đề án pages. Every queryset a user sees passes through accounts.scope here."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import in_scope
from areas.labels import place_without_units
from areas.models import AdministrativeUnit
from beneficiaries.models import Beneficiary
from core.search import matches
from core.text import search_words
from projects.models import (
    Adjustment,
    AnnualPlan,
    Attachment,
    Decision,
    DecisionItem,
    LegalBasis,
    Level,
    Organisation,
    Project,
    ProjectStatus,
    ProjectTransition,
)


@dataclass
class ProjectFilters:
    year: int | None = None
    level: str = ""
    kind: str = ""
    content: int | None = None
    status: str = ""
    area: AdministrativeUnit | None = None
    implementing_unit: int | None = None
    beneficiary: int | None = None
    search: str = ""


def project_scope(*, user) -> QuerySet[Project]:
    """The đề án the user may see at all (officers: those placed in their areas).

    The one definition of "a đề án this user can see": every app's reads of đề án (budgets, field, contest,
    monitoring, the forms' choices) start from this queryset and add their own joins and filters.
    """
    return in_scope(Project.objects.all(), user, "unit", chosen_field="successor_unit")


def project_list(*, user, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Đề án for the list page, filtered, with what the table shows loaded in a constant number of queries."""
    f = filters or ProjectFilters()
    qs = project_scope(user=user)
    if f.year:
        qs = qs.filter(plan_year=f.year)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.implementing_unit:
        qs = qs.filter(implementing_unit_id=f.implementing_unit)
    if f.area is not None:
        # A current commune also lists the đề án entered with the old communes it took over whole.
        qs = qs.filter(Q(unit__path__startswith=f.area.path) | Q(unit__successor=f.area))
    # M2M filters go through a subquery so that a đề án matching twice is still listed once.
    if f.content:
        qs = qs.filter(
            pk__in=Project.contents.through.objects.filter(activitycontent_id=f.content).values("project_id")
        )
    if f.beneficiary:
        qs = qs.filter(
            pk__in=Project.beneficiaries.through.objects.filter(beneficiary_id=f.beneficiary).values("project_id")
        )
    if f.search:
        for word in search_words(f.search):
            qs = qs.filter(search_text__contains=word)
    return qs.select_related("unit__parent", "implementing_unit").prefetch_related(
        Prefetch("beneficiaries", queryset=Beneficiary.objects.only("id", "name", "sort_name").order_by("sort_name")),
        "contents",
    )


def project_get(*, user, pk: int) -> Project:
    """One đề án, or 404 when it is outside the user's areas."""
    return get_object_or_404(
        project_scope(user=user).select_related(
            "unit__parent", "unit__successor", "successor_unit", "implementing_unit", "legal_basis", "created_by"
        ),
        pk=pk,
    )


def project_parts(project: Project) -> dict:
    """What the đề án page lists besides the record: establishments, planned outputs, contents, partner units and
    the files of its dossier."""
    return {
        "beneficiaries": project.beneficiaries.select_related("unit__parent").order_by("sort_name"),
        "outputs": project.outputs.all(),
        "contents": project.contents.all(),
        "partners": project.partner_units.all(),
        "attachments": project.attachments.select_related("uploaded_by"),
    }


def successor_choices(project: Project):
    """The current communes that share the đề án's split old commune (areas.UnitSuccessor), default first."""
    return project.unit.successor_links.select_related("successor").order_by("-is_default", "successor__name")


def attachment_get(project: Project, pk: int) -> Attachment:
    """A file of this đề án's dossier, or 404."""
    return get_object_or_404(project.attachments, pk=pk)


def adjustment_get(project: Project, pk: int) -> Adjustment:
    """An adjustment request of this đề án, or 404."""
    return get_object_or_404(Adjustment.objects.select_related("decision"), pk=pk, project=project)


def annual_plan_get(*, level: str, year: int) -> AnnualPlan | None:
    """The kế hoạch năm record of a level and year (with its approving decision), if one was recorded."""
    return AnnualPlan.objects.filter(level=level, year=year).select_related("decision").first()


def project_timeline(project: Project) -> list[ProjectTransition]:
    return list(project.transitions.select_related("actor", "decision").order_by("at", "id"))


def project_decisions(project: Project) -> list[DecisionItem]:
    return list(project.decision_items.select_related("decision").order_by("decision__signed_on", "id"))


def project_adjustments(project: Project) -> list[Adjustment]:
    return list(project.adjustments.select_related("requested_by", "decided_by", "decision"))


def decisions_for_choice(project: Project, kinds) -> QuerySet[Decision]:
    """Decisions that list `project` and are of one of `kinds` (for the approve/stop forms)."""
    return Decision.objects.filter(items__project=project, kind__in=kinds).distinct()


def decision_list(*, user) -> QuerySet[Decision]:
    return Decision.objects.annotate(project_count=Count("items")).order_by("-signed_on", "-id")


def decision_get(*, user, pk: int) -> Decision:
    return get_object_or_404(Decision, pk=pk)


def decision_picker(*, user, words: list[str], kinds: list[str] | None = None) -> list[Decision]:
    """Decisions a picker offers (number, issuing body, summary; diacritics ignored), newest first. A few dozen
    a year: matched in Python over the chosen kinds."""
    qs = Decision.objects.order_by("-signed_on", "-id")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return [d for d in qs if matches(f"{d.number} {d.issuing_body} {d.summary} {d.signed_on:%d/%m/%Y}", words)]


def decision_initial_from_project(*, user, project_id) -> dict:
    """What "Nhập quyết định mới" on a đề án's page fills in: that đề án, its level, a plan approval."""
    try:
        project = project_scope(user=user).get(pk=int(project_id))
    except (ValueError, TypeError, Project.DoesNotExist):
        return {}
    body = _("UBND thành phố") if project.level == Level.LOCAL else _("Bộ Công Thương")
    return {"projects": [project.pk], "level": project.level, "kind": "plan_approval", "issuing_body": body}


def decision_choice_label(d: Decision) -> str:
    return f"{d} · {d.get_kind_display()} · {d.issuing_body}"


def decision_items_visible(*, user, decision: Decision) -> QuerySet[DecisionItem]:
    return (
        decision.items.filter(project__in=project_scope(user=user))
        .select_related("project__unit", "project__implementing_unit")
        .order_by("position", "id")
    )


def beneficiary_projects(*, user, beneficiary) -> QuerySet[Project]:
    """The đề án of one establishment that the user may see (the beneficiary page lists them)."""
    return project_scope(user=user).filter(beneficiaries=beneficiary).select_related("unit").order_by("-plan_year")


def project_initial_from_beneficiary(*, user, beneficiary_id) -> dict:
    """What "Tạo đề án" on an establishment's page fills in: the establishment, its commune and address, this
    year, and the extension centre as implementing unit. Nothing for an establishment the user may not see."""
    from beneficiaries.selectors import beneficiary_picker

    try:
        beneficiary = beneficiary_picker(user=user, words=[]).get(pk=int(beneficiary_id))
    except (ValueError, TypeError, Beneficiary.DoesNotExist):
        return {}
    centre = Organisation.objects.filter(active=True, kind=Organisation.Kind.EXTENSION_CENTRE).order_by("pk").first()
    return {
        "beneficiaries": [beneficiary.pk],
        "unit": beneficiary.unit_id,
        "place_detail": place_without_units(beneficiary.address, beneficiary.unit),
        "plan_year": timezone.localdate().year,
        **({"implementing_unit": centre.pk} if centre else {}),
    }


def annual_plan_summary(*, user, level: str, year: int) -> dict:
    """Counts by status for a kế hoạch năm, over the đề án the user may see."""
    qs = project_scope(user=user).filter(level=level, plan_year=year)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    registered = sum(counts.values()) - counts.get(ProjectStatus.DRAFT, 0)
    appraised_states = set(ProjectStatus.values) - {ProjectStatus.DRAFT, ProjectStatus.REGISTERED}
    approved_states = appraised_states - {ProjectStatus.APPRAISED, ProjectStatus.NOT_APPROVED}
    return {
        "level": Level(level),
        "year": year,
        "counts": [(ProjectStatus(s).label, counts.get(s, 0)) for s in ProjectStatus.values if counts.get(s)],
        "registered": registered,
        "appraised": sum(counts.get(s, 0) for s in appraised_states),
        "approved": sum(counts.get(s, 0) for s in approved_states),
        "projects": qs.select_related("unit", "implementing_unit").order_by("kind", "code"),
    }


def plan_years(*, user) -> list[int]:
    """The years a list or a report can be narrowed to: every year from the user's first đề án to the last, newest
    first. One query of MIN and MAX, which the (plan_year, level, code) index answers from its two ends — reading
    every đề án's year into Python took 0.3 s at 50,000 đề án. A year without a đề án inside the range is offered
    too (and shows an empty list), as a programme runs every year."""
    bounds = project_scope(user=user).aggregate(first=Min("plan_year"), last=Max("plan_year"))
    if bounds["first"] is None:
        return []
    return list(range(bounds["last"], bounds["first"] - 1, -1))


def area_choices() -> QuerySet[AdministrativeUnit]:
    """Districts (before 7/2025) and current communes: the areas a list can be narrowed to."""
    return AdministrativeUnit.objects.filter(Q(depth=1)).order_by("valid_to", "name")


def adjustment_rows(adjustment: Adjustment) -> list[tuple[str, str, str]]:
    """(field label, original, adjusted) for the side-by-side view of an adjustment request."""
    rows = []
    for field, new in adjustment.adjusted.items():
        old = adjustment.original.get(field)
        label = str(Project._meta.get_field(field).verbose_name)
        rows.append((label, _display(field, old), _display(field, new)))
    return rows


def _display(field: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if field == "unit":
        unit = AdministrativeUnit.objects.select_related("parent").filter(pk=value).first()
        return str(unit) if unit else str(value)
    if field == "beneficiaries":
        return "; ".join(Beneficiary.objects.filter(pk__in=value).order_by("sort_name").values_list("name", flat=True))
    if field in ("start_date", "end_date"):
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(value)


def project_choice_label(p: Project) -> str:
    """How a đề án is named in a picker: code, title, year and state."""
    return f"{p.code} — {p.title} ({p.plan_year}, {p.get_status_display()})"


def project_picker(
    *, user, words: list[str], statuses: list[str] | None = None, not_in_decision: int | None = None
) -> QuerySet[Project]:
    """Đề án a picker offers: the user's, optionally only in some states and not yet in a decision, matching every
    folded word."""
    qs = project_scope(user=user)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if not_in_decision:
        qs = qs.exclude(decisions=not_in_decision)
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-plan_year", "level", "code")


def organisation_choice_label(o: Organisation) -> str:
    return f"{o.name} ({o.short_name})" if o.short_name else o.name


def organisation_picker(*, words: list[str]) -> list[Organisation]:
    """Active organisations matching every folded word of name or short name. Reference data of a few dozen
    rows, the same for everyone: one query, matched in Python."""
    rows = Organisation.objects.filter(active=True).order_by("name")
    return [o for o in rows if matches(f"{o.name} {o.short_name}", words)]


def legal_bases_during(*, start, end) -> list[LegalBasis]:
    """The legal bases in force at some time between `start` and `end` (the căn cứ of a year's plan documents),
    ordered by legal force as a decision cites them (law, decree, the Prime Minister's decisions, circulars,
    other decisions) and then by date. Rows without an effective date are left out: nothing says when they apply."""
    rows = LegalBasis.objects.filter(effective_from__isnull=False, effective_from__lte=end).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    )
    rank = {LegalBasis.Kind.LAW: 0, LegalBasis.Kind.DECREE: 1, LegalBasis.Kind.CIRCULAR: 3}

    def order(basis: LegalBasis):
        if basis.kind == LegalBasis.Kind.DECISION:
            position = 2 if basis.number.endswith("-TTg") else 4
        else:
            position = rank.get(basis.kind, 5)
        return (position, basis.issued_on or basis.effective_from, basis.number)

    return sorted(rows, key=order)


def national_registration_deadline(year: int) -> datetime.date:
    """The day before which the department registers the KCQG plan of `year` with the ministry: 20 June of the
    year before (TT 36/2013/TT-BCT as amended by TT 17/2018/TT-BCT; domain.md §6)."""
    return datetime.date(year - 1, 6, 20)


def contract_parties(project: Project) -> str:
    """ "Trung tâm Khuyến công … và Hợp tác xã …": whom a đề án's contract is signed between, to start the
    CONTRACTED step's form from; "" while the đề án has no establishment."""
    names = ", ".join(project.beneficiaries.order_by("sort_name", "id").values_list("name", flat=True))
    if not names or project.implementing_unit_id is None:
        return ""
    return f"{project.implementing_unit.name} và {names}"


def latest_approval_decision(project: Project) -> Decision | None:
    """The decision that last approved the đề án (an adjusting approval supersedes the first), or None."""
    from projects.models import APPROVAL_KINDS

    item = (
        DecisionItem.objects.filter(project=project, decision__kind__in=APPROVAL_KINDS)
        .select_related("decision")
        .order_by("-decision__signed_on", "-pk")
        .first()
    )
    return item.decision if item else None
