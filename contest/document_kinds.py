"""The contest's documents, produced by the document jobs (documents app): certificates and the scoring summary.

Who may have them:
- a certificate (`contest_certificate`, one per certificate): the office (admin, staff — so the contest's
  secretaries —, leader) for any certificate; an area officer only for establishments in their areas, from the
  establishment's page (another area's certificate is a 404, and so is its job: the job's unit is the establishment's);
- the scoring summary (`contest_summary`, one per contest): the contest's secretaries and admin, once scoring has
  started (403 for other staff; the contest itself is a 404 for whoever cannot see it). It is a city-wide job (no
  unit), so like any department document its page is readable by admin and staff who have its link.

The data is what the paper shows (contest.documents), so asking again for an unchanged certificate or summary returns
the existing file; a correction (a re-scored sheet, another signer) makes a new version. A certificate carries its own
date of issue, so it is the same document whatever day it is asked for; the summary is dated the day it is made.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from contest import permissions, selectors
from contest.documents import certificate_data, summary_data
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_ROLES, DocumentKind


@register
class ContestCertificate(DocumentKind):
    code = "contest_certificate"
    title = gettext_lazy("Giấy chứng nhận sản phẩm CNNT tiêu biểu")
    roles = DEPARTMENT_ROLES | {Role.AREA_OFFICER}
    template = "contest/pdf/certificate.html"
    number_symbol = ""  # the certificate prints its own number

    def clean_params(self, raw):
        return {"certificate": self.int_param(raw, "certificate", label=_("Mã giấy chứng nhận"))}

    def target(self, user, params):
        return selectors.certificate_get(user=user, pk=params["certificate"]).entry.beneficiary.unit

    def collect(self, params):
        from contest.models import Certificate

        return certificate_data(Certificate.objects.select_related("contest").get(pk=params["certificate"]))

    def issue_date(self, data):
        return datetime.date.fromisoformat(data["issued_on"])

    def document_title(self, data):
        return _("Giấy chứng nhận %(number)s – %(product)s") % {
            "number": data["number"],
            "product": data["product_name"],
        }

    def context(self, data):
        return {"issuer": data["issuer"]}


@register
class ContestSummary(DocumentKind):
    code = "contest_summary"
    title = gettext_lazy("Bảng tổng hợp kết quả chấm điểm")
    # Secretaries are staff members named on the contest; `target` checks that this one is.
    roles = frozenset({Role.ADMIN, Role.STAFF})
    template = "contest/pdf/summary.html"
    number_symbol = ""

    def clean_params(self, raw):
        return {"contest": self.int_param(raw, "contest", label=_("Mã cuộc bình chọn"))}

    def target(self, user, params):
        contest = selectors.contest_get(user=user, pk=params["contest"])
        allowed, reason = permissions.can_request_summary(user, contest)
        if not allowed:
            raise PermissionDenied(reason)
        return None

    def collect(self, params):
        from contest.models import Contest

        return summary_data(Contest.objects.get(pk=params["contest"]))

    def document_title(self, data):
        return _("Bảng tổng hợp kết quả chấm điểm – %(contest)s") % {"contest": data["contest_name"]}

    def context(self, data):
        return {"issuer": data["issuer"], "column_count": len(data["jurors"]) + 7}
