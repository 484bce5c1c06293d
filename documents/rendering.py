"""From collected data to HTML to PDF. Pure functions: no job bookkeeping here (that is services.py)."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from documents.models import IssuingBody


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def sha256_hex(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def params_key(kind_code: str, params: dict) -> str:
    return sha256_hex(canonical_json({"kind": kind_code, "params": params}))


def issuer_data(body: IssuingBody) -> dict:
    recipients = [line.strip().lstrip("-").strip() for line in body.recipients.splitlines() if line.strip()]
    return {
        "parent_name": body.parent_name,
        "name": body.name,
        "abbreviation": body.abbreviation,
        "place": body.place,
        "signer_authority": body.signer_authority,
        "signer_title": body.signer_title,
        "signer_name": body.signer_name,
        "archive_units": body.archive_units,
        "recipients": recipients,
    }


def document_data(kind, params: dict) -> dict:
    """Everything that goes into the document: the kind's data, the issuing body and the date on it.

    The date is the day of issue (the kind's `issue_date`, else today), so a request on another day is a new version
    unless the data fixes the date.
    """
    content = kind.collect(params)
    return {
        "layout": kind.layout_version,
        "issuer": issuer_data(IssuingBody.current()),
        "issued_on": (kind.issue_date(content) or timezone.localdate()).isoformat(),
        "content": content,
    }


def fingerprint(kind, data: dict) -> str:
    return sha256_hex(canonical_json({"kind": kind.code, "data": data}))


def long_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2021": leading zero for days below 10 and for months 1 and 2 (Nghị định 30/2020,
    appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def dated_line(place: str, day: datetime.date) -> str:
    """ "Hải Phòng, ngày 05 tháng 01 năm 2021" (long_date)."""
    return f"{place}, {long_date(day)}"


def render_html(kind, data: dict, *, issue: dict | None = None) -> str:
    """The document's HTML. `issue` ({"symbol": "15/QĐ-SCT", "number": 15}) is given once the register numbers it:
    the number is printed and `data["issued_on"]` is then the date of issue."""
    issued_on = datetime.date.fromisoformat(data["issued_on"])
    extra = kind.context(data["content"])
    issuer = extra.pop("issuer", None) or data["issuer"]
    context = {
        "kind": kind,
        "fonts_url": FONTS_DIR.as_uri(),
        "doc": data["content"],
        "issuer": issuer,
        "issued_on": issued_on,
        "dated_line": dated_line(issuer["place"], issued_on),
        "number_symbol": f"{kind.number_symbol}-{issuer['abbreviation']}" if kind.number_symbol else "",
        "document_title": kind.document_title(data["content"]),
        "issue": issue,
        **extra,
    }
    with override("vi"):
        return render_to_string(kind.template, context)


FONTS_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int
    #: Boxes of the elements whose id starts with "sig-" (where signatures go): {id: {"page": i, "box": [x1, y1,
    #: x2, y2]}} in PDF points, origin at the page's bottom left, as pyHanko's field boxes want them.
    anchors: dict = field(default_factory=dict)


PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF user space is 72 per inch


def signature_anchors(document) -> dict:
    anchors = {}
    for index, page in enumerate(document.pages):
        height = page.height * PX_TO_PT
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name.startswith("sig-") and name not in anchors:
                anchors[name] = {
                    "page": index,
                    "box": [
                        round(x1 * PX_TO_PT, 2),
                        round(height - y2 * PX_TO_PT, 2),
                        round(x2 * PX_TO_PT, 2),
                        round(height - y1 * PX_TO_PT, 2),
                    ],
                }
    return anchors


class ForbiddenResource(ValueError):
    pass


def allowed_roots() -> list[Path]:
    """Where a document may read files from: the shipped fonts and the stored uploads (photos)."""
    return [FONTS_DIR.resolve(), Path(settings.MEDIA_ROOT).resolve()]


def local_path(url: str) -> Path:
    """The file a `file://` URL names, when it lies under an allowed root (symlinks and `..` resolved first);
    ForbiddenResource otherwise."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise ForbiddenResource(url)
    path = Path(url2pathname(unquote(parsed.path))).resolve()
    if not any(path.is_relative_to(root) for root in allowed_roots()):
        raise ForbiddenResource(url)
    return path


def stored_file_url(name: str, storage=None) -> str:
    """The URL a template gives WeasyPrint for a stored image: `file://` when the media storage is a local folder (read
    by the restricted fetcher below), otherwise a `data:` URI of the bytes read through the storage (S3 has no local
    path, and the renderer fetches nothing from the network). Empty when the file is gone."""
    import base64
    import mimetypes

    from django.core.files.storage import default_storage

    storage = storage or default_storage
    try:
        return Path(storage.path(name)).resolve().as_uri()
    except NotImplementedError:
        pass
    try:
        with storage.open(name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return ""
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def url_fetcher(url: str, **kwargs):
    """WeasyPrint's fetcher, restricted: data: URIs, and file:// URLs under the fonts folder or MEDIA_ROOT.
    Nothing from the network and no other local file, whatever a user typed into a field the template shows."""
    from weasyprint import default_url_fetcher

    if not url.startswith("data:"):
        local_path(url)
    return default_url_fetcher(url, **kwargs)


def html_to_pdf(html: str) -> RenderedPdf:
    # Imported here: WeasyPrint loads Pango and fonts, which web processes that never render need not pay for.
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher).render()
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages), anchors=signature_anchors(document))
