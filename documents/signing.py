"""Digital signatures (ký số) on issued PDFs: PAdES with pyHanko, appearance per Nghị định 30/2020, Phụ lục I.

One entry point, `sign_pdf(document, signer)`: it chooses the backend for the identity. Today there is one backend,
a PKCS#12 file on the server (`Pkcs12Backend`). A USB token or a remote-signing service would be another
`SigningBackend` whose `signer()` returns a pyHanko `Signer` that sends the digest out and waits for the signature
(hash-then-embed): see docs/documents.md. Nothing else here changes for such a backend.

Positions (PDF points, origin bottom left; see docs/documents.md for what we read in the decree):
- the leader's signature image fills the `sig-signer` box the template leaves between the title line and the name;
- the organisation's seal, at SEAL_MM, is centred on that box's height with its right edge one third into the
  leader's box, so it covers about a third of the leader's image on its left, with the signing time (ISO 8601,
  +07:00) under it;
- on an attached file (phụ lục) the organisation's signature has no image: number, symbol and signing time in
  10 pt Liberation Serif (Times New Roman metrics) at the top right of page 1.
"""

import asyncio
import datetime
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _

from documents.models import IssuedDocument, SignerKind, SigningIdentity
from documents.rendering import FONTS_DIR


def outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous calls run `asyncio.run()`, which refuses to start inside a running event loop (a
    caller driven by an async framework, or Playwright's synchronous API in the same thread). There, the call runs
    in a thread of its own; everywhere else, directly."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4
SEAL_MM = 36  # a Sở's round seal is 35–40 mm across; shown at true size
# Marker in the demo CA's subject (OU). Certificates under it are refused unless SIGNING_ALLOW_TEST_CA.
DEMO_CA_MARKER = "KHUYENCONG-DEMO-TEST-CA - KHONG CO GIA TRI PHAP LY"

# Fallback when a template has no `sig-signer` box (a closing block of its own): the lower right of the last page.
FALLBACK_SIGNER_BOX = [330.0, 90.0, 500.0, 164.0]
A4_PORTRAIT = (595.28, 841.89)


def attachment_text_box(page_size: tuple[float, float] = A4_PORTRAIT) -> tuple[float, float, float, float]:
    """The attached file's text signature: a 160 pt box 4–20 mm below the top edge of page 1 (three 10 pt lines
    need about 13 mm), its right edge 17 mm from the right edge — measured on the page's own size, so a landscape
    appendix gets it on the page too."""
    width, height = page_size
    return (width - 17 * MM - 160, height - 20 * MM, width - 17 * MM, height - 4 * MM)


ATTACHMENT_TEXT_BOX = attachment_text_box()


class SigningError(ImproperlyConfigured):
    """The certificate or its configuration cannot be used (a Vietnamese sentence for the page)."""


def iso_time(moment: datetime.datetime) -> str:
    """2021-01-18T09:05:00+07:00: ISO 8601 with the +07:00 offset, as the decree's appearance shows it."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def secrets_dir() -> Path:
    return Path(settings.SIGNING_SECRETS_DIR or Path(settings.MEDIA_ROOT) / "secrets").resolve()


def secret_path(relative: str) -> Path:
    path = (secrets_dir() / relative).resolve()
    if not path.is_relative_to(secrets_dir()):
        raise SigningError(_("Đường dẫn chứng thư nằm ngoài thư mục bí mật: %(path)s") % {"path": relative})
    return path


def is_test_certificate(cert) -> bool:
    """cert: an asn1crypto certificate. True when it or its issuer carries the demo CA's marker."""
    for name in (cert.subject, cert.issuer):
        units = name.native.get("organizational_unit_name") or []
        if isinstance(units, str):
            units = [units]
        if DEMO_CA_MARKER in units:
            return True
    return False


def identity_for(user, issuing_body) -> SigningIdentity:
    identity = (
        SigningIdentity.objects.filter(user=user, issuing_body=issuing_body, signer_kind=SignerKind.PERSON, active=True)
        .order_by("-created_at")
        .first()
    )
    if identity is None:
        raise PermissionDenied(_("Bạn chưa được khai báo chứng thư ký số (Quản trị → Chứng thư ký số)."))
    return identity


def organisation_identity(issuing_body) -> SigningIdentity:
    identity = (
        SigningIdentity.objects.filter(issuing_body=issuing_body, signer_kind=SignerKind.ORGANISATION, active=True)
        .order_by("-created_at")
        .first()
    )
    if identity is None:
        raise SigningError(_("Chưa khai báo chứng thư ký số của cơ quan (Quản trị → Chứng thư ký số)."))
    return identity


def person_identity_of(document: IssuedDocument) -> SigningIdentity | None:
    """The leader's identity that signs (or signed) this document: for placing the seal relative to the image."""
    user = document.signed_by
    query = SigningIdentity.objects.filter(
        issuing_body=document.issuing_body, signer_kind=SignerKind.PERSON, active=True
    )
    if user is not None:
        query = query.filter(user=user)
    return query.order_by("-created_at").first()


class SigningBackend:
    """Where the private key is. `signer()` returns a pyHanko Signer (sync `sign_raw` or async hash signing)."""

    def signer(self, identity: SigningIdentity):
        raise NotImplementedError


_SIGNERS: dict = {}


def rendering_hash(text: str) -> str:
    from documents.rendering import sha256_hex

    return sha256_hex(text)


class Pkcs12Backend(SigningBackend):
    """A PKCS#12 file under SIGNING_SECRETS_DIR, passphrase from the environment variable the identity names."""

    def signer(self, identity: SigningIdentity):
        from pyhanko.sign import signers

        path = secret_path(identity.pkcs12_path)
        if not path.is_file():
            raise SigningError(_("Không tìm thấy tệp chứng thư %(path)s.") % {"path": identity.pkcs12_path})
        passphrase = os.environ.get(identity.passphrase_env)
        if passphrase is None:
            raise SigningError(
                _("Biến môi trường %(name)s (mật khẩu chứng thư) chưa được đặt.") % {"name": identity.passphrase_env}
            )
        # Opening a PKCS#12 file runs its key derivation (~150 ms): keep the opened signer while the file and the
        # passphrase stay the same.
        key = (str(path), path.stat().st_mtime_ns, rendering_hash(passphrase))
        signer = _SIGNERS.get(key)
        if signer is None:
            signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(path), passphrase=passphrase.encode())
            if signer is not None:
                _SIGNERS[key] = signer
        if signer is None:
            raise SigningError(_("Không mở được chứng thư %(name)s (sai mật khẩu?).") % {"name": identity.display_name})
        chain = [signer.signing_cert, *list(signer.cert_registry)]
        if not settings.SIGNING_ALLOW_TEST_CA and any(is_test_certificate(cert) for cert in chain):
            raise SigningError(_("Chứng thư thử nghiệm (CA minh họa) không được dùng để ký trên hệ thống thật."))
        return signer


def backend_for(identity: SigningIdentity) -> SigningBackend:
    return Pkcs12Backend()


@dataclass(frozen=True)
class Placement:
    page: int
    box: tuple[float, float, float, float]


def signer_placement(document: IssuedDocument, image_size: tuple[int, int] | None = None) -> Placement:
    """The template's `sig-signer` box, narrowed to the signature image's proportions and centred in it, so the
    image fills the field and the seal's "one third" is a third of the image itself."""
    anchor = (document.signature_boxes or {}).get("sig-signer")
    if anchor:
        page, (x1, y1, x2, y2) = anchor["page"], anchor["box"]
    else:
        page, (x1, y1, x2, y2) = document.pages - 1, FALLBACK_SIGNER_BOX
    if image_size and image_size[0] and image_size[1]:
        width = min(x2 - x1, (y2 - y1) * image_size[0] / image_size[1])
        middle = (x1 + x2) / 2
        x1, x2 = middle - width / 2, middle + width / 2
    return Placement(page=page, box=(round(x1, 2), y1, round(x2, 2), y2))


#: Room under the seal image for the signing time.
SEAL_TEXT_PT = 10


def seal_placement(document: IssuedDocument, image_size: tuple[int, int] | None = None) -> Placement:
    leader = signer_placement(document, image_size)
    x1, y1, x2, y2 = leader.box
    size = SEAL_MM * MM
    right = x1 + (x2 - x1) / 3
    middle = (y1 + y2) / 2
    top = middle + size / 2
    return Placement(page=leader.page, box=(right - size, top - size - SEAL_TEXT_PT, right, top))


def image_size(identity: SigningIdentity | None) -> tuple[int, int] | None:
    from PIL import Image

    if identity is None or not identity.image_path:
        return None
    path = secret_path(identity.image_path)
    if not path.is_file():
        return None
    with Image.open(path) as image:
        return image.size


def attachment_placement(document: IssuedDocument, content: bytes | None = None) -> Placement:
    from pypdf import PdfReader

    if content is None:
        with document.file.open("rb") as handle:
            content = handle.read()
    box = PdfReader(BytesIO(content)).pages[0].mediabox
    return Placement(page=0, box=attachment_text_box((float(box.width), float(box.height))))


def _image(identity: SigningIdentity):
    from pyhanko.pdf_utils.images import PdfImage

    if not identity.image_path:
        return None
    path = secret_path(identity.image_path)
    if not path.is_file():
        raise SigningError(_("Không tìm thấy ảnh chữ ký/con dấu %(path)s.") % {"path": identity.image_path})
    return PdfImage(str(path))


def stamp_font_path() -> Path:
    """Liberation Serif scaled to 1000 units per em, made once. pyHanko 0.38 writes a TrueType font's glyph widths
    in the font's own units (2048 for Liberation) where PDF expects thousandths of an em, so text in a stamp came
    out letter-spaced; at 1000 units both agree."""
    import tempfile

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = FONTS_DIR / "LiberationSerif-Regular.ttf"
    target = Path(tempfile.gettempdir()) / f"khuyencong-stamp-font-{source.stat().st_size}.ttf"
    if not target.exists():
        font = TTFont(str(source))
        scale_upem(font, 1000)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        partial.replace(target)
    return target


def _style_and_place(document: IssuedDocument, identity: SigningIdentity, kind, content: bytes | None = None):
    from pyhanko import stamp
    from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle

    def font(size):
        return GlyphAccumulatorFactory(str(stamp_font_path()), font_size=size)

    leader_image = image_size(person_identity_of(document))
    if identity.signer_kind == SignerKind.PERSON:
        style = stamp.StaticStampStyle(background=_image(identity), border_width=0, background_opacity=1)
        return style, signer_placement(document, image_size(identity)), "%(name)s"
    if kind.is_attachment:
        style = stamp.TextStampStyle(
            border_width=0,
            text_box_style=TextBoxStyle(font=font(10), font_size=10),
            inner_content_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MAX,
                y_align=AxisAlignment.ALIGN_MAX,
                inner_content_scaling=InnerScaling.NO_SCALING,
            ),
            stamp_text="%(organisation)s\n%(symbol)s\n%(signing_time)s",
        )
        return style, attachment_placement(document, content), ""
    # The time is ASCII: the PDF's standard Times-Roman (Times New Roman's face) needs no embedding or subsetting.
    times = SimpleFontEngineFactory("Times-Roman", 0.5)
    style = stamp.TextStampStyle(
        border_width=0,
        background=_image(identity),
        background_opacity=1,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MAX,
            margins=Margins(bottom=SEAL_TEXT_PT),
        ),
        text_box_style=TextBoxStyle(font=times, font_size=7),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MIN,
            inner_content_scaling=InnerScaling.NO_SCALING,
        ),
        stamp_text="%(signing_time)s",
    )
    return style, seal_placement(document, leader_image), ""


def sign_pdf(document: IssuedDocument, signer: SigningIdentity, *, content: bytes | None = None) -> bytes:
    """Appends one PAdES signature (B-B; B-T when SIGNING_TIMESTAMP_URL is set) by `signer` to the document's
    current PDF (or to `content`, the bytes signed so far) and returns the new bytes. Pure: no row is written."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    from documents.kinds import get_kind

    if content is None:
        with document.current_file.open("rb") as handle:
            content = handle.read()
    kind = get_kind(document.kind)
    backend_signer = backend_for(signer).signer(signer)
    style, place, _text = _style_and_place(document, signer, kind, content)
    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)
    field_name = f"KySo-{signer.signer_kind}-{signer.pk}"
    timestamper = timestamps.HTTPTimeStamper(settings.SIGNING_TIMESTAMP_URL) if settings.SIGNING_TIMESTAMP_URL else None
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer.display_name,
        location=document.issuing_body.place,
        reason=_("Ký ban hành văn bản %(symbol)s") % {"symbol": document.symbol},
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=backend_signer,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=place.page, box=place.box),
    )
    output = BytesIO()
    outside_event_loop(
        pdf_signer.sign_pdf,
        writer,
        output=output,
        appearance_text_params={
            "signing_time": iso_time(datetime.datetime.now(tz=VIETNAM)),
            "symbol": document.symbol,
            "organisation": document.issuing_body.name,
            "name": signer.display_name,
        },
    )
    return output.getvalue()
