"""The plan-level documents a Sở Công Thương issues around an approval (docs/documents.md, domain.md §8/§10):

- `plan_submission` — KCĐP: the Tờ trình to the city People's Committee asking it to approve the year's local plan
  (`…/TTr-SCT`, numbered in the department's register), with the draft decision attached (marked DỰ THẢO, no
  number, the committee's signature block unsigned) and the draft's appendix: the đề án with the money proposed
  per source.
- `approval_decision` — KCĐP: the committee's decision itself, once the plan's decision is recorded with its number
  and date (projects' Decision): the department's electronic copy, entered in the register under the decision's
  own number (`812/QĐ-UBND`, kind.fixed_number), with its appendix (the approved amounts).
- `national_plan_registration` — KCQG: the department's letter (công văn) registering the year's national plan
  with the ministry's department before 20 June of the year before (TT 36/2013/TT-BCT as amended by TT
  17/2018/TT-BCT), with its list of đề án and the amounts proposed per source.

The appendix as a file of its own stays `approval_report` (budgets/document_kinds.py). All are city-wide
department documents (admin, staff, leader; officers and jurors 403 by role), read as DEPARTMENT_READER.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaries.models import Beneficiary
from budgets.document_kinds import (
    APPROVED_STATES,
    LEVEL_NAMES,
    LEVEL_SHORT,
    approval_rows,
    decision_data,
    decision_number,
    level_param,
    plan_row,
    plan_table,
    table_context,
    year_param,
)
from budgets.selectors import proposed_projects
from documents import rendering
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_READER, DocumentKind
from documents.models import IssuingBody
from documents.selectors import issued_document_list
from projects.models import AnnualPlan, AppraisalResult, Level, ProjectStatus
from projects.selectors import legal_bases_during, national_registration_deadline

# What the department puts forward: đề án it appraised as passing (for the city) or registered (for the ministry),
# and those approved since (a Tờ trình asked for again after the approval lists what it proposed).
SUBMITTED_STATES = (ProjectStatus.APPRAISED, *APPROVED_STATES)
REGISTERED_STATES = (ProjectStatus.REGISTERED, *SUBMITTED_STATES)

# Who issued a legal basis, from its symbol (Nghị định 30/2020, Phụ lục III abbreviations).
ISSUERS = {
    "NĐ-CP": "của Chính phủ",
    "QĐ-TTg": "của Thủ tướng Chính phủ",
    "TT-BTC": "của Bộ trưởng Bộ Tài chính",
    "TT-BCT": "của Bộ trưởng Bộ Công Thương",
    "QĐ-BCT": "của Bộ trưởng Bộ Công Thương",
}
# A legal basis's title that reads as an action after its number ("… của Chính phủ quy định …"); other titles are
# names and take "về".
VERB_STARTS = ("về ", "quy định", "hướng dẫn", "phê duyệt", "sửa đổi", "ban hành", "giao ")
KIND_WORDS = {"law": "Luật", "decree": "Nghị định", "circular": "Thông tư", "decision": "Quyết định"}

# The ministry's department that receives the KCQG registration (TT 36/2013/TT-BCT, Article 7 as amended).
MINISTRY_RECIPIENT = "Cục Công Thương địa phương - Bộ Công Thương"


def authority_of(body: IssuingBody) -> dict:
    """The People's Committee above the department, from the issuing body's parent ("UBND THÀNH PHỐ HẢI PHÒNG"):
    its heading in two lines, its name in a sentence, its short name."""
    parent = body.parent_name.strip()
    rest = parent[5:].strip() if parent.upper().startswith("UBND ") else parent
    city = rest.upper().startswith("THÀNH PHỐ")
    place_word = "thành phố" if city else "tỉnh"
    return {
        "heading": ["ỦY BAN NHÂN DÂN", rest.upper()] if rest != parent else [parent.upper()],
        "name": f"Ủy ban nhân dân {place_word} {body.place}",
        "short": f"UBND {place_word} {body.place}",
        "place_word": place_word,
        "place": body.place,
    }


def authority_signature(title: str) -> list[str]:
    """The committee's signature block (Nghị định 30/2020, Phụ lục I): "TM. ỦY BAN NHÂN DÂN" and the chair, or
    "KT. CHỦ TỊCH" over a vice-chair's title."""
    title = " ".join(title.split()).upper()
    lines = ["TM. ỦY BAN NHÂN DÂN"]
    if not title or title == "CHỦ TỊCH":
        return [*lines, "CHỦ TỊCH"] if title else [*lines, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    if title.startswith("KT."):
        return [*lines, *[part.strip() for part in title.split(",")]]
    return [*lines, "KT. CHỦ TỊCH", title]


def legal_bases(*, level: str, year: int) -> list[str]:
    """The "Căn cứ …" lines of a year's plan documents: the legal bases (reference data) in force during the year;
    a national plan leaves out the city's own decisions."""
    lines = []
    for basis in legal_bases_during(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)):
        if level == Level.NATIONAL and basis.number.endswith("-UBND"):
            continue
        word = KIND_WORDS.get(basis.kind, "Văn bản")
        suffix = basis.number.rsplit("/", 1)[-1]
        who = ISSUERS.get(suffix, "")
        if suffix.endswith("-UBND"):
            who = "của Ủy ban nhân dân thành phố"
        day = basis.issued_on
        date = f" ngày {day.day} tháng {day.month} năm {day.year}" if day else ""
        title = basis.title.strip()
        if title.lower().startswith(word.lower() + " "):  # "Nghị định về khuyến công" → "về khuyến công"
            title = title[len(word) + 1 :]
        if title.lower().startswith(VERB_STARTS):
            title = title[:1].lower() + title[1:]
        else:  # a name ("Chương trình khuyến công … giai đoạn 2021-2025"): "về Chương trình …"
            title = f"về {title}" if not title.lower().startswith("về ") else title
        lines.append(" ".join(part for part in [f"{word} số {basis.number}{date}", who, title] if part))
    return lines


def local_government_law(year: int) -> str:
    # The committee acts under the law on local government in force in the plan's year.
    if year >= 2026:
        return "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    return "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"


def proposed_rows(*, level: str, year: int, states) -> list:
    return list(
        proposed_projects(user=DEPARTMENT_READER, year=year, level=level)
        .filter(status__in=states)
        .exclude(appraisal_result=AppraisalResult.FAILED)
        .select_related("unit__parent")
        .prefetch_related(
            Prefetch("beneficiaries", queryset=Beneficiary.objects.order_by("sort_name", "id")), "contents"
        )
    )


def _plan_title(level: str, year: int) -> str:
    plan = AnnualPlan.objects.filter(level=level, year=year).first()
    return plan.title if plan else ""


class _PlanDocument(DocumentKind):
    #: The one plan level the document is made for (a missing level means it), and why another is refused.
    level: str = ""
    other_level_refused = ""

    def clean_params(self, raw):
        year = year_param(self, raw)
        level = level_param(raw, required=False) or self.level
        if level != self.level:
            raise ValidationError(self.other_level_refused)
        return {"level": level, "year": year}

    def target(self, user, params):
        return None  # city-wide: department roles only (self.roles)

    def proposed_data(self, params, *, states, missing: str) -> dict:
        """The plan data of what the department puts forward (`states`), with the money proposed; refused when
        the plan has none yet (`missing`: what they lack, "đã thẩm định đạt")."""
        level, year = params["level"], params["year"]
        projects = proposed_rows(level=level, year=year, states=states)
        if not projects:
            raise ValidationError(
                _("Kế hoạch %(level)s năm %(year)s chưa có đề án nào %(what)s.")
                % {"level": LEVEL_SHORT[level], "year": year, "what": missing}
            )
        return self.plan_data(level=level, year=year, rows=[plan_row(p, amounts="proposed") for p in projects])

    def plan_data(self, *, level: str, year: int, rows: list[dict]) -> dict:
        return {
            "level": level,
            "level_name": LEVEL_NAMES[level],
            "year": year,
            "plan_title": _plan_title(level, year),
            "legal_bases": legal_bases(level=level, year=year),
            "authority": authority_of(IssuingBody.current()),
            **plan_table(rows, level=level),
        }

    def context(self, data):
        # The year as text, for templates that join it into a string (`|add:` with a number gives "").
        return {**table_context(data), "year_text": str(data["year"])}


@register
class PlanSubmission(_PlanDocument):
    code = "plan_submission"
    title = gettext_lazy("Tờ trình đề nghị phê duyệt kế hoạch khuyến công địa phương")
    template = "budgets/pdf/plan_submission.html"
    number_symbol = "TTr"
    level = Level.LOCAL
    other_level_refused = gettext_lazy(
        "Tờ trình đề nghị phê duyệt chỉ lập cho kế hoạch KCĐP; kế hoạch KCQG được đăng ký với Bộ Công Thương."
    )

    def collect(self, params):
        return {
            **self.proposed_data(params, states=SUBMITTED_STATES, missing=_("đã thẩm định đạt")),
            **_decision_context(level=params["level"], year=params["year"], decision=None),
        }

    def document_title(self, data):
        return _("Tờ trình phê duyệt kế hoạch KCĐP năm %(year)s") % {"year": data["year"]}

    def register_entry(self, data):
        return {
            "summary": _(
                "Tờ trình về việc phê duyệt kế hoạch khuyến công địa phương năm %(year)s (kèm dự thảo Quyết định)"
            )
            % {"year": data["year"]},
            "subject": data["plan_title"],
            "recipients": [data["authority"]["name"]],
        }


def submission_reference(*, level: str, year: int, before: datetime.date) -> dict | None:
    """The issued Tờ trình of this plan (in force) that the decision answered — issued by the decision's date —
    for its "Theo đề nghị … tại Tờ trình số …"."""
    key = rendering.params_key(PlanSubmission.code, {"level": level, "year": year})
    document = (
        issued_document_list(user=DEPARTMENT_READER)
        .filter(kind=PlanSubmission.code, params_key=key, replaced_by__isnull=True, issued_on__lte=before)
        .order_by("-created_at")
        .first()
    )
    return {"symbol": document.symbol, "issued_on": document.issued_on.isoformat()} if document else None


def _decision_context(*, level: str, year: int, decision) -> dict:
    """What the decision's text (decision_body.html, decision_closing.html) reads besides the plan table, for the
    draft attached to the Tờ trình (`decision` None: no number, date or signer yet, the committee's block left
    unsigned) and for the recorded decision (projects' Decision: its number, date, signer and the issued Tờ trình
    it answers)."""
    law = local_government_law(year)
    if decision is None:
        return {"local_government_law": law, "draft_signature": authority_signature("")}
    return {
        "local_government_law": law,
        "decision": {**decision_data(decision), "signer": decision.signer, "signer_title": decision.signer_title},
        "signature": authority_signature(decision.signer_title),
        "submission": submission_reference(level=level, year=year, before=decision.signed_on),
    }


@register
class ApprovalDecision(_PlanDocument):
    code = "approval_decision"
    title = gettext_lazy("Quyết định phê duyệt kế hoạch khuyến công địa phương")
    template = "budgets/pdf/approval_decision.html"
    number_symbol = "QĐ"
    level = Level.LOCAL
    other_level_refused = gettext_lazy(
        "Quyết định phê duyệt kế hoạch KCQG do Bộ Công Thương ban hành; ở đây chỉ lập quyết định của UBND (KCĐP)."
    )

    def collect(self, params):
        level, year = params["level"], params["year"]
        plan = AnnualPlan.objects.filter(level=level, year=year).select_related("decision").first()
        if plan is None or plan.decision is None:
            raise ValidationError(
                _("Chưa ghi nhận quyết định phê duyệt kế hoạch KCĐP năm %(year)s (số và ngày ký).") % {"year": year}
            )
        decision = plan.decision
        decision_number(decision.number)  # a number the register can read, before anything is drafted
        projects = approval_rows(level=level, year=year)
        return {
            **self.plan_data(level=level, year=year, rows=[plan_row(p, amounts="approved") for p in projects]),
            **_decision_context(level=level, year=year, decision=decision),
        }

    def context(self, data):
        decision = {**data["decision"], "signed_on": datetime.date.fromisoformat(data["decision"]["signed_on"])}
        submission = data["submission"]
        if submission:
            submission = {**submission, "issued_on": datetime.date.fromisoformat(submission["issued_on"])}
        authority = data["authority"]
        issuer = {
            "parent_name": "",
            "name": " ".join(authority["heading"]),
            "abbreviation": "UBND",
            "place": authority["place"],
            "signer_authority": data["signature"][0],
            "signer_title": " / ".join(data["signature"][1:]),
            "signer_name": data["decision"]["signer"],
            "archive_units": "VT",
            "recipients": ["Như Điều 3"],
        }
        return {
            **super().context(data),
            "decision": decision,
            "submission": submission,
            "issuer": issuer,
        }

    def fixed_number(self, data):
        return decision_number(data["decision"]["number"])

    def issue_date(self, data):
        return datetime.date.fromisoformat(data["decision"]["signed_on"])

    def document_title(self, data):
        return _("Quyết định %(number)s phê duyệt kế hoạch KCĐP năm %(year)s") % {
            "number": data["decision"]["number"],
            "year": data["year"],
        }

    def register_entry(self, data):
        return {
            "summary": _("Quyết định về việc phê duyệt kế hoạch khuyến công địa phương năm %(year)s")
            % {"year": data["year"]},
            "subject": data["plan_title"],
            "recipients": [_("Như Điều 3")],
        }


@register
class NationalPlanRegistration(_PlanDocument):
    code = "national_plan_registration"
    title = gettext_lazy("Công văn đăng ký kế hoạch khuyến công quốc gia")
    template = "budgets/pdf/national_plan_registration.html"
    number_symbol = "CV"
    level = Level.NATIONAL
    other_level_refused = gettext_lazy(
        "Đăng ký với Bộ Công Thương chỉ dành cho kế hoạch KCQG; kế hoạch KCĐP được trình UBND bằng tờ trình."
    )

    def collect(self, params):
        return {
            **self.proposed_data(params, states=REGISTERED_STATES, missing=_("đã đăng ký")),
            "recipient": MINISTRY_RECIPIENT,
            "deadline": national_registration_deadline(params["year"]).isoformat(),
        }

    def context(self, data):
        return {**super().context(data), "deadline": datetime.date.fromisoformat(data["deadline"])}

    def document_title(self, data):
        return _("Đăng ký kế hoạch KCQG năm %(year)s") % {"year": data["year"]}

    def register_entry(self, data):
        return {
            "summary": _("V/v đăng ký kế hoạch khuyến công quốc gia năm %(year)s") % {"year": data["year"]},
            "subject": data["plan_title"],
            "recipients": [data["recipient"]],
        }
