"""Checking the signatures of any PDF (ours or one signed elsewhere) with pyHanko's validator.

Trust roots: the PEM files listed in SIGNATURE_TRUST_ROOTS, plus the demo CA while SIGNING_ALLOW_TEST_CA is on.
None is shipped: a chain is "trusted" only when it reaches a root the deployment chose to trust.
"""

import datetime
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from documents.rendering import sha256_hex


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str
    issuer: str
    signed_at: datetime.datetime | None
    timestamped: bool
    intact: bool  # the signed bytes are unchanged and the cryptographic signature is valid
    changed_after: bool  # something other than more signatures/form filling was added after this signature
    later_signatures: bool  # the file goes on after this signature (e.g. the seal after the leader)
    trusted: bool
    test_certificate: bool
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and not self.changed_after


@dataclass(frozen=True)
class VerificationResult:
    readable: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""

    @property
    def all_ok(self) -> bool:
        return self.readable and bool(self.signatures) and all(sig.ok for sig in self.signatures)


def trust_root_files() -> list[Path]:
    files = [Path(name) for name in settings.SIGNATURE_TRUST_ROOTS]
    if settings.SIGNING_ALLOW_TEST_CA:
        from documents.demo import demo_ca_path

        files.append(demo_ca_path())
    return [path for path in files if path.is_file()]


def trust_roots() -> list:
    from pyhanko.keys import load_certs_from_pemder

    from documents.signing import is_test_certificate

    roots = []
    for path in trust_root_files():
        for cert in load_certs_from_pemder([str(path)]):
            if is_test_certificate(cert) and not settings.SIGNING_ALLOW_TEST_CA:
                continue
            roots.append(cert)
    return roots


def _name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # noqa: BLE001 - a malformed name still shows something
        return "?"


def _issuer(cert) -> str:
    try:
        return cert.issuer.native.get("common_name") or cert.issuer.human_friendly
    except Exception:  # noqa: BLE001
        return "?"


def verify_pdf(content: bytes) -> VerificationResult:
    """Every signature of the PDF, validated against the configured trust roots (no network: no revocation
    fetching, so "trusted" means the chain reaches a trusted root and the certificates were valid when signed)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from documents.signing import is_test_certificate, outside_event_loop

    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - anything unreadable is reported, not raised
        return VerificationResult(readable=False, error=_("Không đọc được tệp như một PDF: %(e)s") % {"e": exc})
    roots = trust_roots()
    reports = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = outside_event_loop(validate_pdf_signature, signature, signer_validation_context=context)
        except Exception as exc:  # noqa: BLE001 - a broken signature dictionary is a finding, not a crash
            reports.append(
                SignatureReport(
                    field_name=str(signature.field_name),
                    signer="?",
                    issuer="?",
                    signed_at=None,
                    timestamped=False,
                    intact=False,
                    changed_after=True,
                    later_signatures=False,
                    trusted=False,
                    test_certificate=False,
                    problem=str(exc)[:300],
                )
            )
            continue
        cert = status.signing_cert
        level = status.modification_level
        changed = (
            not status.docmdp_ok
            or level is None
            or level not in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
        )
        signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
        reports.append(
            SignatureReport(
                field_name=str(signature.field_name),
                signer=_name(cert),
                issuer=_issuer(cert),
                signed_at=signed_at,
                timestamped=status.timestamp_validity is not None,
                intact=bool(status.intact and status.valid),
                changed_after=changed,
                later_signatures=level is not None and level != ModificationLevel.NONE,
                trusted=bool(status.trusted),
                test_certificate=is_test_certificate(cert),
            )
        )
    return VerificationResult(readable=True, signatures=reports)


def verify_stored_file(file_field) -> VerificationResult | None:
    """The result for a stored file (an attachment), cached by the file's hash. None when it is not a PDF."""
    name = getattr(file_field, "name", "") or ""
    if not name.lower().endswith(".pdf"):
        return None
    try:
        with file_field.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        return None
    # The verdict depends on the trust roots too: a changed configuration must not reuse an old answer.
    roots = sha256_hex("|".join([*settings.SIGNATURE_TRUST_ROOTS, str(settings.SIGNING_ALLOW_TEST_CA)]))[:16]
    key = f"pdf-signatures:{sha256_hex(content)}:{roots}"
    result = cache.get(key)
    if result is None:
        result = verify_pdf(content)
        cache.set(key, result, 24 * 3600)
    return result
