"""What a document kind declares. Subclass, fill in the class attributes and the four methods, `@register`."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.roles import Role, sees_everything

DocumentParamsError = ValidationError

DEPARTMENT_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER})


class DocumentKind:
    #: Stable code stored in jobs and used in URLs and forms.
    code: str = ""
    #: Vietnamese name shown in the pages ("Phiếu thông tin cơ sở CNNT").
    title = ""
    #: Roles that may request this kind at all; the object-level check is `target`.
    roles: frozenset[str] = DEPARTMENT_ROLES
    #: Template extending "documents/pdf/base.html".
    template: str = ""
    #: Document type in "Số: …/BC-SCT" (Nghị định 30/2020 appendix III); empty for documents without a number.
    number_symbol: str = "BC"
    #: Register (sổ văn bản đi) the document is numbered in when issued: a `DocumentType` value. None: the
    #: `number_symbol`; "" (with no number_symbol): the kind is never issued (a working list, a certificate that
    #: carries its own number).
    register_type: str | None = None
    #: An attached file (phụ lục): on signing, the organisation's signature is text at the top right of page 1
    #: (number, symbol, time) instead of a seal over the leader's signature (Nghị định 30/2020, Phụ lục I).
    is_attachment: bool = False
    #: Bump when the template changes what a document shows: the fingerprint changes, so a new version is made.
    layout_version: int = 1
    #: The kind's card on "Văn bản của tôi" (a form posting `kind` and the parameters to documents:request), from
    #: the owning app's templates; empty for kinds requested from their object's page only.
    request_template: str = ""
    #: The job belongs to the one who asked (an export of their own filtered list): the request carries their id
    #: as `as_user` (set by the service, never taken from the form) and only they see the job.
    personal: bool = False
    #: Same kind, parameters and data as a finished job: return that job. False for exports, whose data are not
    #: read in the web request (that is the point): every request after the last one finished makes a new file.
    reuse_finished: bool = True
    #: What the worker stores: a PDF rendered from `template`, or (ExportKind) the file `export` builds.
    is_export: bool = False
    file_extension: str = "pdf"
    content_type: str = "application/pdf"

    def request_context(self, user, data: Mapping | None = None) -> dict | None:
        """What `request_template` needs for this user (it gets them as `card.…`): the form, the choices offered.
        `data` is the rejected request when the page is shown again after bad input, to keep the user's choice.
        None: no card for this user (nothing to choose from). Called only for users who may request the kind."""
        return {}

    def clean_params(self, raw: Mapping) -> dict:
        """Validates request parameters (strings from a form, or a dict) into plain JSON values.

        Raises ValidationError with a Vietnamese message for bad input.
        """
        raise NotImplementedError

    def target(self, user, params: dict):
        """The administrative unit the document is about (None: the whole city), after checking the user may see
        the object: Http404 when it is outside the user's scope (reuse the app's scoped selector)."""
        raise NotImplementedError

    def collect(self, params: dict) -> dict:
        """Everything the document shows, as JSON-serialisable values. Its hash is the data fingerprint, so it must
        be deterministic (ordered lists, no timestamps) and complete (whatever changes the PDF is in here)."""
        raise NotImplementedError

    @property
    def register_code(self) -> str:
        return self.number_symbol if self.register_type is None else self.register_type

    def register_entry(self, data: dict) -> dict:
        """What the register shows about this document: {"summary": trích yếu, "subject": the đề án or contest it
        concerns, "recipients": one line each}. Override to name the đề án; the default is the title."""
        return {"summary": self.document_title(data), "subject": "", "recipients": []}

    def document_title(self, data: dict) -> str:
        """A readable title for lists and the file name."""
        return str(self.title)

    def context(self, data: dict) -> dict:
        """Extra template context derived from the collected data (totals, words…); override when needed.

        May return an `issuer` dict (same keys as `rendering.issuer_data`) when the document is issued by another
        body than the department's IssuingBody row (a contest's organiser): the heading, the dated line and the
        number follow it."""
        return {}

    def fixed_number(self, data: dict) -> dict | None:
        """The number the document already carries, when another body's register gave it: a decision the city
        signed and the department recorded ({"number": 812, "symbol": "812/QĐ-UBND", "doc_type": "QĐ-UBND"}), or
        the appendix of that decision, which carries its decision's number (doc_type "PL-UBND"). Issuing then
        enters the document under that number instead of taking the next one of the department's register. None
        (the default): the register numbers it. May raise ValidationError (Vietnamese) when the document cannot be
        issued yet (an appendix whose decision is not recorded)."""
        return None

    def issue_date(self, data: dict) -> datetime.date | None:
        """The date printed on the document when the data fixes it (a certificate's date of issue); None means
        the day of the request, so asking again another day makes a new version."""
        return None

    def issued(self, document, data: dict, *, actor) -> None:
        """Called inside the issuing transaction once the register entry (`document`, an IssuedDocument) is
        written: the owning app records what the register gave (the đề án takes its contract's number and date).
        May raise ValidationError (Vietnamese) to refuse the issue; the number is then not taken."""

    # Helpers for subclasses ---------------------------------------------------------------------------------

    @staticmethod
    def int_param(raw: Mapping, name: str, *, label: str, required: bool = True) -> int | None:
        value = raw.get(name)
        if value in (None, ""):
            if required:
                raise ValidationError(_("Thiếu %(label)s.") % {"label": label})
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError(_("%(label)s không hợp lệ: “%(value)s”.") % {"label": label, "value": value})
        if number <= 0:
            raise ValidationError(_("%(label)s không hợp lệ: “%(value)s”.") % {"label": label, "value": value})
        return number


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    title: str  # "Danh sách cơ sở CNNT (1.234 cơ sở)": the job's title and file name
    rows: int


class ExportKind(DocumentKind):
    """A heavy list export (Excel) made by a document job instead of inside a web request.

    The list is read in the worker, as the requester (`as_user`) with the filters they chose, through the owning
    app's scoped selector: the same rows the page shows them. No number, never issued, not a PDF.
    """

    number_symbol = ""
    register_type = ""
    personal = True
    reuse_finished = False
    is_export = True
    file_extension = "xlsx"
    content_type = XLSX_CONTENT_TYPE

    def clean_params(self, raw: Mapping) -> dict:
        """The list's filters and the requester (`as_user`, put there by the service)."""
        return {"query": self.query_param(raw), "as_user": raw["as_user"]}

    def target(self, user, params: dict):
        """Only the requester may ask for the file again; an officer's job carries their first area, which only
        keeps the department-wide jobs out of their sight (the job is theirs alone: `personal`)."""
        if params["as_user"] != user.pk:
            raise PermissionDenied(_("Chỉ người lập tệp xuất được tạo lại tệp này."))
        if sees_everything(user):
            return None
        return user.areas.order_by("path").first()

    def export(self, params: dict, *, progress: Callable[[int], None]) -> ExportFile:
        """Builds the file in the worker; `progress(percent)` now and then for the status page."""
        raise NotImplementedError

    def collect(self, params: dict) -> dict:
        return {}

    @staticmethod
    def query_param(raw: Mapping, *, drop: tuple[str, ...] = ("page", "per_page")) -> str:
        """The list's filters (its query string) in a canonical order, without paging: the same filters in another
        order are the same export."""
        from django.http import QueryDict

        query = raw.get("query") or ""
        if len(query) > 2000:
            raise ValidationError(_("Bộ lọc quá dài."))
        data = QueryDict(query, mutable=True)
        for name in drop:
            data.pop(name, None)
        pairs = sorted((key, value) for key in data for value in data.getlist(key) if value != "")
        clean = QueryDict(mutable=True)
        for key, value in pairs:
            clean.appendlist(key, value)
        return clean.urlencode()

    def as_user(self, params: dict):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=params["as_user"], is_active=True).first()
        if user is None:
            raise ValidationError(_("Tài khoản đã yêu cầu tệp xuất này không còn hoạt động."))
        return user


class _DepartmentReader:
    """Who a city-wide document is read as: the department, which sees every area.

    `collect(params)` has no user (the data of a document does not depend on who asks; `target` already checked
    that the requester may have it), yet the apps' selectors take one to apply `accounts.scope`. Passing this to
    them reuses their queries unscoped, exactly as an admin would see them."""

    is_authenticated = True
    is_superuser = False
    is_active = True
    pk = None
    _role_cache = frozenset({Role.ADMIN})


DEPARTMENT_READER = _DepartmentReader()
