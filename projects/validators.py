"""Decision numbers and dossier files."""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# "191/QĐ-UBND", "1881/QĐ-TTg", "2646/QĐ-BCT", and the normative form with a year "21/2019/QĐ-UBND".
# The body part is an abbreviation (letters, digits, Đ) in one or more hyphenated segments ("QĐ-UBND-KT").
DECISION_NUMBER_RE = re.compile(
    r"^(?P<number>\d{1,5})(?:/(?P<year>\d{4}))?/QĐ-(?P<body>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*)$"
)


def normalise_decision_number(value) -> str:
    """What people type: spaces around the slashes, "QD" without the stroke, lower-case "qđ"."""
    if value is None:
        return ""
    text = re.sub(r"\s+", "", str(value)).replace("\u0110", "Đ")
    text = re.sub(r"/(?:QD|Qd|qd|qđ|Qđ)-", "/QĐ-", text)
    return text


def validate_decision_number(value: str) -> None:
    match = DECISION_NUMBER_RE.match(value or "")
    problem = match is None
    if match:
        if int(match["number"]) == 0:
            problem = True
        if match["year"] and not 1945 <= int(match["year"]) <= 2100:
            problem = True
    if problem:
        raise ValidationError(
            _(
                "Số quyết định '%(value)s' không đúng dạng: cần số/QĐ-cơ quan ban hành, ví dụ 191/QĐ-UBND, "
                "1881/QĐ-TTg, 2646/QĐ-BCT, hoặc số/năm/QĐ-cơ quan như 21/2019/QĐ-UBND."
            ),
            code="invalid_decision_number",
            params={"value": value},
        )


# Accepted dossier files: extension → the leading bytes every such file starts with.
FILE_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
}
PDF_ONLY = {"pdf"}


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_upload(uploaded, *, allowed: set[str] | None = None) -> str:
    """Checks extension, size and the file's first bytes; returns its SHA-256.

    The content check stops a renamed executable or a Word file named .pdf from entering the dossier.
    """
    allowed = allowed or set(FILE_SIGNATURES)
    ext = _extension(uploaded.name)
    if ext not in allowed:
        raise ValidationError(
            _("Tệp '%(name)s' không được nhận: chỉ nhận %(types)s."),
            code="file_type",
            params={"name": uploaded.name, "types": ", ".join(sorted(allowed))},
        )
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("Tệp '%(name)s' quá lớn (%(size)s); tối đa %(limit)s."),
            code="file_size",
            params={"name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
        )
    if uploaded.size == 0:
        raise ValidationError(_("Tệp '%(name)s' rỗng."), code="file_empty", params={"name": uploaded.name})
    uploaded.seek(0)
    head = uploaded.read(16)
    if not any(head.startswith(sig) for sig in FILE_SIGNATURES[ext]):
        raise ValidationError(
            _("Nội dung tệp '%(name)s' không phải là tệp %(ext)s thật."),
            code="file_content",
            params={"name": uploaded.name, "ext": ext.upper()},
        )
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def validate_pdf(uploaded) -> str:
    return validate_upload(uploaded, allowed=PDF_ONLY)
