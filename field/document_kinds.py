"""The field app's documents, produced by the document jobs (documents app):

- `acceptance_record` — the biên bản nghiệm thu of one acceptance session (from the acceptance page);
- `field_report` — a visit report with its photos (from the report page);
- `inspection_record` — the biên bản kiểm tra / giám sát of one done inspection, with the photos of the field
  reports written on that đề án on the day of the visit (from the inspection page).

Who may have them: whoever may read the record (office roles, leaders, area officers) — the record is fetched
through the app's scoped selector, so another area's record is a 404, and the job's unit is the đề án's (or the
report's) unit, so another area's job is a 404 too. A draft report or an inspection not yet done cannot be
printed (403 with the reason).

Each one is dated by its record (the session, the submission, the visit), so asking again another day returns
the same file while nothing changed; any change of what the paper shows (a council member, a quantity, a new
photo — its stored name and SHA-256 are in the data) makes a new version.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from areas.labels import place_label
from budgets.sources import FundingSource
from core.numwords import amount_in_words
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_ROLES, DocumentKind
from field import permissions, selectors
from field.models import Acceptance, CouncilRole, FieldReport, Inspection, InspectionStatus, ReportStatus

FIELD_ROLES = DEPARTMENT_ROLES | {Role.AREA_OFFICER}


def _require_field(user) -> None:
    allowed, reason = permissions.can_view_field(user)
    if not allowed:
        raise PermissionDenied(reason)


def _decimal(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def _unit_name(unit) -> str:
    if unit is None:
        return ""
    return f"{unit.name}, {unit.parent.name}" if unit.parent_id and unit.depth >= 2 else unit.name


def _project_data(project) -> dict:
    beneficiaries = [b.name for b in project.beneficiaries.order_by("sort_name", "id")]
    return {
        "code": project.code,
        "title": project.title,
        "kind": str(project.get_kind_display()),
        # "khuyến công quốc gia" for running text (the label's "(KCQG)" dropped).
        "level": str(project.get_level_display()).split(" (")[0].lower(),
        "year": project.plan_year,
        "place": place_label(project.place_detail, project.unit),
        "implementing_unit": project.implementing_unit.name,
        "beneficiaries": beneficiaries,
    }


def _photos(photos) -> list[dict]:
    """The stored images (already resized to at most 1600 px and stripped of EXIF when uploaded), named by path and
    hash so that a replaced or added photo changes the document."""
    rows = []
    for photo in photos:
        taken = timezone.localtime(photo.taken_at).strftime("%H:%M %d/%m/%Y") if photo.taken_at else ""
        rows.append(
            {
                "name": photo.image.name,
                "sha256": photo.sha256,
                "caption": photo.caption or photo.original_name,
                "taken_at": taken,
                "landscape": photo.width >= photo.height,
            }
        )
    return rows


def _photo_context(rows: list[dict]) -> list[dict]:
    """Adds each photo's URL for the renderer: file:// under MEDIA_ROOT, or a data: URI read from S3
    (documents.rendering.stored_file_url). Not in the fingerprint: the path and hash are, and the URL depends on
    where media is kept."""
    from documents.rendering import stored_file_url

    return [{**row, "url": stored_file_url(row["name"])} for row in rows]


# --- biên bản nghiệm thu ------------------------------------------------------------------------------------------


SIGNATURE_ROLES = [
    (CouncilRole.BENEFICIARY, "ĐẠI DIỆN CƠ SỞ THỤ HƯỞNG"),
    (CouncilRole.IMPLEMENTER, "ĐẠI DIỆN ĐƠN VỊ THỰC HIỆN"),
    (CouncilRole.SECRETARY, "THƯ KÝ HỘI ĐỒNG"),
    (CouncilRole.CHAIR, "CHỦ TỊCH HỘI ĐỒNG"),
]


def acceptance_data(acceptance: Acceptance) -> dict:
    project = acceptance.project
    council = [
        {
            "name": m.full_name,
            "position": m.position,
            "organisation": m.organisation,
            "role": m.role,
            "role_label": str(m.get_role_display()),
        }
        for m in acceptance.council.order_by("sort_order", "id")
    ]
    source_order = list(FundingSource.values)
    funding = sorted(
        (
            {
                "source": f.source,
                "label": str(f.get_source_display()),
                "approved": f.approved_amount,
                "used": f.used_amount,
            }
            for f in acceptance.funding.all()
        ),
        key=lambda row: source_order.index(row["source"]) if row["source"] in source_order else 99,
    )
    return {
        "acceptance": acceptance.pk,
        "attempt": acceptance.attempt,
        "held_on": acceptance.held_on.isoformat(),
        "held_at": acceptance.held_at_time.strftime("%H:%M") if acceptance.held_at_time else "",
        "place": acceptance.place,
        "contract_reference": acceptance.contract_reference,
        "contract_date": acceptance.contract_date.isoformat() if acceptance.contract_date else "",
        # Recorded with the acceptance; an older record without it cites the đề án's approval decision.
        "decision_reference": acceptance.decision_reference or selectors.approval_decision_reference(project),
        "passed": acceptance.passed,
        "result": str(acceptance.get_result_display()),
        "assessment": acceptance.assessment,
        "requests": acceptance.requests,
        "fixes_required": acceptance.fixes_required,
        "project": _project_data(project),
        "council": council,
        "outputs": [
            {
                "description": o.description,
                "unit": o.unit_of_measure,
                "planned": _decimal(o.planned_quantity),
                "achieved": _decimal(o.achieved_quantity),
                "remarks": o.remarks,
            }
            for o in acceptance.outputs.order_by("id")
        ],
        "funding": funding,
    }


@register
class AcceptanceRecord(DocumentKind):
    code = "acceptance_record"
    title = gettext_lazy("Biên bản nghiệm thu đề án")
    roles = FIELD_ROLES
    template = "field/pdf/acceptance.html"
    number_symbol = ""  # a biên bản carries the Quốc hiệu but no number…
    register_type = "BB"  # …until the records office enters it in the register (03/BB-SCT)

    def clean_params(self, raw):
        return {"acceptance": self.int_param(raw, "acceptance", label=_("Mã biên bản nghiệm thu"))}

    def target(self, user, params):
        _require_field(user)
        return selectors.acceptance_get(user=user, pk=params["acceptance"]).project.unit

    def collect(self, params):
        acceptance = Acceptance.objects.select_related("project__unit__parent", "project__implementing_unit").get(
            pk=params["acceptance"]
        )
        return acceptance_data(acceptance)

    def issue_date(self, data):
        return datetime.date.fromisoformat(data["held_on"])

    def register_entry(self, data):
        project = data["project"]
        return {
            "summary": self.document_title(data),
            "subject": f"{project['code']} — {project['title']}",
            "recipients": [],
        }

    def document_title(self, data):
        return _("Biên bản nghiệm thu %(code)s (lần %(attempt)s)") % {
            "code": data["project"]["code"],
            "attempt": data["attempt"],
        }

    def context(self, data):
        funding = data["funding"]
        used = sum(row["used"] for row in funding)
        approved = sum(row["approved"] or 0 for row in funding)
        by_role: dict[str, list[str]] = {}
        for member in data["council"]:
            by_role.setdefault(member["role"], []).append(member["name"])
        signatures = [{"title": title, "names": by_role.get(role, []), "role": role} for role, title in SIGNATURE_ROLES]
        return {
            "total_used": used,
            "total_approved": approved,
            "used_words": amount_in_words(used),
            "held_on": datetime.date.fromisoformat(data["held_on"]),
            "contract_date": datetime.date.fromisoformat(data["contract_date"]) if data["contract_date"] else None,
            "signatures": signatures,
        }


# --- báo cáo kiểm tra thực địa --------------------------------------------------------------------------------


@register
class FieldReportDocument(DocumentKind):
    code = "field_report"
    title = gettext_lazy("Báo cáo kiểm tra thực địa")
    roles = FIELD_ROLES
    template = "field/pdf/report.html"
    number_symbol = "BC"

    def clean_params(self, raw):
        return {"report": self.int_param(raw, "report", label=_("Mã báo cáo"))}

    def target(self, user, params):
        _require_field(user)
        report = selectors.report_get(user=user, pk=params["report"])
        if report.status != ReportStatus.SUBMITTED:
            raise PermissionDenied(_("Báo cáo còn là bản nháp: hãy gửi báo cáo trước khi in."))
        return report.unit

    def collect(self, params):
        report = FieldReport.objects.select_related(
            "project__unit__parent", "project__implementing_unit", "beneficiary", "author", "unit__parent"
        ).get(pk=params["report"])
        observed = [
            {
                "description": o.output.description,
                "planned": f"{_decimal(o.output.planned_quantity)} {o.output.unit_of_measure}",
                "observed": o.observed,
                "note": o.note,
            }
            for o in report.observed_outputs.select_related("output").order_by("output__sort_order", "output_id")
        ]
        submitted = timezone.localtime(report.submitted_at).date() if report.submitted_at else report.visit_date
        return {
            "report": report.pk,
            "project": _project_data(report.project) if report.project_id else None,
            "beneficiary": report.beneficiary.name if report.beneficiary_id else "",
            "beneficiary_address": report.beneficiary.address if report.beneficiary_id else "",
            "area": _unit_name(report.unit),
            "visit_date": report.visit_date.isoformat(),
            "submitted_on": submitted.isoformat(),
            "author": report.author.get_full_name() or report.author.username,
            "progress": report.progress_percent,
            "observations": report.observations,
            "has_problem": report.has_problem,
            "problem": report.problem,
            "recommendations": report.recommendations,
            "location": (
                f"{report.latitude:.6f}, {report.longitude:.6f}"
                if report.latitude is not None and report.longitude is not None
                else ""
            ),
            "accuracy": report.location_accuracy_m,
            "observed": observed,
            "photos": _photos(report.photos.order_by("id")),
        }

    def issue_date(self, data):
        return datetime.date.fromisoformat(data["submitted_on"])

    def document_title(self, data):
        subject = data["project"]["code"] if data["project"] else data["beneficiary"]
        visit = datetime.date.fromisoformat(data["visit_date"])
        return _("Báo cáo kiểm tra thực địa %(subject)s ngày %(date)s") % {
            "subject": subject,
            "date": visit.strftime("%d/%m/%Y"),
        }

    def context(self, data):
        return {
            "visit_date": datetime.date.fromisoformat(data["visit_date"]),
            "photos": _photo_context(data["photos"]),
        }


# --- biên bản kiểm tra, giám sát ------------------------------------------------------------------------------


@register
class InspectionRecord(DocumentKind):
    code = "inspection_record"
    title = gettext_lazy("Biên bản kiểm tra, giám sát đề án")
    roles = FIELD_ROLES
    template = "field/pdf/inspection.html"
    number_symbol = ""

    def clean_params(self, raw):
        return {"inspection": self.int_param(raw, "inspection", label=_("Mã đợt kiểm tra"))}

    def target(self, user, params):
        _require_field(user)
        inspection = selectors.inspection_get(user=user, pk=params["inspection"])
        if inspection.status != InspectionStatus.DONE:
            raise PermissionDenied(_("Chỉ lập biên bản cho đợt kiểm tra, giám sát đã thực hiện."))
        return inspection.project.unit

    def collect(self, params):
        from field.models import ReportPhoto

        inspection = Inspection.objects.select_related("project__unit__parent", "project__implementing_unit").get(
            pk=params["inspection"]
        )
        team = [u.get_full_name() or u.username for u in inspection.team.order_by("last_name", "first_name", "id")]
        external = [line.strip() for line in inspection.external_members.splitlines() if line.strip()]
        photos = ReportPhoto.objects.filter(
            report__project=inspection.project,
            report__status=ReportStatus.SUBMITTED,
            report__visit_date=inspection.done_date,
        ).order_by("report_id", "id")
        return {
            "inspection": inspection.pk,
            "kind": str(inspection.get_kind_display()),
            "done_on": inspection.done_date.isoformat(),
            "project": _project_data(inspection.project),
            "team": team,
            "external": external,
            "findings": inspection.findings,
            "conclusions": inspection.conclusions,
            "actions": [
                {
                    "description": a.description,
                    "owner": a.owner.get_full_name() or a.owner.username,
                    "due": a.due_date.strftime("%d/%m/%Y"),
                    "done": a.done,
                }
                for a in inspection.actions.select_related("owner").order_by("due_date", "id")
            ],
            "photos": _photos(photos),
        }

    def issue_date(self, data):
        return datetime.date.fromisoformat(data["done_on"])

    def document_title(self, data):
        done = datetime.date.fromisoformat(data["done_on"])
        return _("Biên bản %(kind)s %(code)s ngày %(date)s") % {
            "kind": data["kind"].lower(),
            "code": data["project"]["code"],
            "date": done.strftime("%d/%m/%Y"),
        }

    def context(self, data):
        return {
            "done_on": datetime.date.fromisoformat(data["done_on"]),
            "photos": _photo_context(data["photos"]),
        }
