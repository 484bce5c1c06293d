"""The outgoing-document register: numbering, issuing (freezing), signing with pyHanko and verification."""

import io
import shutil
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from documents import services
from documents.demo import make_images, make_test_pki
from documents.models import (
    FrozenDocumentError,
    IssuedDocument,
    IssuingBody,
    RegisterCounter,
    SignerKind,
    SigningIdentity,
)
from documents.signing import MM, SEAL_MM, SigningError
from documents.verification import verify_pdf
from tests.documents.kind_data import acceptance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


@pytest.fixture(scope="session")
def _pki(tmp_path_factory) -> Path:
    """One throwaway test CA for the whole run (RSA keys take a moment to make)."""
    import os

    os.environ.setdefault("KC_DEMO_SIGNING_PASSPHRASE", "chi-de-thu-nghiem")
    folder = tmp_path_factory.mktemp("pki") / "demo"
    make_test_pki(folder, leader_name="Phạm Minh Đức", organisation_name="SỞ CÔNG THƯƠNG HẢI PHÒNG")
    make_images(folder, organisation_name="SỞ CÔNG THƯƠNG")
    return folder


@pytest.fixture
def signing(settings, _pki, leader):
    """The demo certificates under this test's MEDIA_ROOT/secrets, and identities for the leader and the Sở."""
    target = Path(settings.MEDIA_ROOT) / "secrets" / "demo"
    shutil.copytree(_pki, target)
    body = IssuingBody.current()
    common = {"issuing_body": body, "passphrase_env": "KC_DEMO_SIGNING_PASSPHRASE"}
    SigningIdentity.objects.create(
        signer_kind=SignerKind.PERSON,
        user=leader,
        display_name="Phạm Minh Đức (THỬ NGHIỆM)",
        pkcs12_path="demo/leader.p12",
        image_path="demo/signature.png",
        **common,
    )
    SigningIdentity.objects.create(
        signer_kind=SignerKind.ORGANISATION,
        display_name="SỞ CÔNG THƯƠNG (THỬ NGHIỆM)",
        pkcs12_path="demo/organisation.p12",
        image_path="demo/seal.png",
        **common,
    )
    return body


def _draft(actor, record=None):
    record = record or acceptance()
    return services.document_request(actor=actor, kind="acceptance_record", params={"acceptance": record.pk})


def _text(file) -> str:
    with file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _bytes(file) -> bytes:
    with file.open("rb") as handle:
        return handle.read()


# --- numbering and freezing -----------------------------------------------------------------------------------


def test_issuing_numbers_from_one_per_type_and_writes_the_number_into_a_frozen_pdf(staff):
    record = acceptance()
    first = services.document_issue(actor=staff, job=_draft(staff, record))
    second = services.document_issue(actor=staff, job=_draft(staff))
    assert (first.number, first.symbol) == (1, "01/BB-SCT")
    assert (second.number, second.symbol) == (2, "02/BB-SCT")
    assert first.year == 2021 and first.issued_on.isoformat() == "2021-11-25"  # the session's date
    assert "Số: 01/BB-SCT" in _text(first.file)
    assert "Số:" not in _text(first.job.file)  # the draft stays without a number
    assert services.rendering.sha256_hex(_bytes(first.file)) == first.sha256
    assert first.subject == f"{record.project.code} — {record.project.title}"
    assert first.summary == first.job.title and first.signer_name == IssuingBody.current().signer_name
    assert first.issued_by == staff and first.recipients.endswith("Lưu: VT, QLCN")
    counter = RegisterCounter.objects.get(year=2021, doc_type="BB")
    assert counter.last_number == 2
    assert first.signature_boxes["sig-signer"]["page"] >= 0
    assert first.history.count() == 1


def test_an_issued_document_cannot_be_issued_again_edited_or_rerendered(staff):
    job = _draft(staff)
    document = services.document_issue(actor=staff, job=job)
    before = _bytes(document.file)
    with pytest.raises(ValidationError):
        services.document_issue(actor=staff, job=job)
    document.summary = "Sửa trích yếu"
    with pytest.raises(FrozenDocumentError):
        document.save()
    services.document_render(job_id=job.pk)  # a delivered-again task leaves everything as it was
    document.refresh_from_db()
    assert document.summary != "Sửa trích yếu" and _bytes(document.file) == before
    assert IssuedDocument.objects.count() == 1 and RegisterCounter.objects.get().last_number == 1


def test_a_correction_is_a_new_document_that_replaces_the_old_one_both_ways(staff):
    record = acceptance()
    old = services.document_issue(actor=staff, job=_draft(staff, record))
    record.assessment = "Hệ thống máy vận hành ổn định, đạt công suất thiết kế."
    record.save()
    new_draft = _draft(staff, record)
    assert new_draft.pk != old.job_id and new_draft.version == 2
    with pytest.raises(ValidationError, match="01/BB-SCT"):
        services.document_issue(actor=staff, job=new_draft)
    with pytest.raises(ValidationError):
        services.document_issue(actor=staff, job=new_draft, replaces=old, reason="  ")
    new = services.document_issue(actor=staff, job=new_draft, replaces=old, reason="Bổ sung kết luận")
    old.refresh_from_db()
    assert new.replaces == old and old.replaced_by == new and new.symbol == "02/BB-SCT"
    with pytest.raises(ValidationError):
        services.document_issue(actor=staff, job=_draft(staff, record), replaces=old, reason="lần nữa")


def test_a_draft_whose_data_changed_cannot_be_issued(staff):
    record = acceptance()
    job = _draft(staff, record)
    record.assessment = "Khác"
    record.save()
    with pytest.raises(ValidationError, match="Dữ liệu đã thay đổi"):
        services.document_issue(actor=staff, job=job)
    assert not IssuedDocument.objects.exists() and not RegisterCounter.objects.filter(last_number__gt=0).exists()


def test_only_staff_and_admin_issue(leader, officer_a, staff):
    job = _draft(staff)
    for actor in (leader, officer_a):
        with pytest.raises(PermissionDenied):
            services.document_issue(actor=actor, job=job)
    assert not IssuedDocument.objects.exists()


def test_issue_view_role_scope_and_bad_replacement(staff, leader, officer_a, officer_b, login, client):
    job = _draft(staff)
    url = reverse("documents:issue", args=[job.uid])
    assert client.post(url).status_code == 302 and not IssuedDocument.objects.exists()  # anonymous → login
    assert login(officer_b).post(url).status_code == 404  # the đề án is in area A
    assert login(officer_a).post(url).status_code == 403
    assert login(leader).post(url).status_code == 403
    staff_client = login(staff)
    assert staff_client.get(reverse("documents:detail", args=[job.uid])).content.count(b'data-testid="issue"') == 1
    response = staff_client.post(url)
    document = IssuedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:issued", args=[document.uid])
    again = staff_client.post(url)
    assert again.status_code == 302 and IssuedDocument.objects.count() == 1
    bad = staff_client.post(url, {"replaces": "00000000-0000-0000-0000-000000000000"})
    assert bad.status_code == 404


# --- the register page and its export -------------------------------------------------------------------------


def test_register_page_and_xlsx_list_the_years_documents(staff, leader, officer_a, login):
    record = acceptance(requests='=HYPERLINK("http://x")')
    document = services.document_issue(actor=staff, job=_draft(staff, record))
    IssuedDocument.objects.filter(pk=document.pk).update(subject="=cmd|' /C calc'!A0")
    page = login(leader).get(reverse("documents:register") + "?nam=2021")
    assert page.status_code == 200 and b"01/BB-SCT" in page.content
    assert page.content.count(b'data-testid="register-row"') == 1
    assert b"register-empty" in login(leader).get(reverse("documents:register") + "?nam=2022").content
    assert login(officer_a).get(reverse("documents:register")).status_code == 403
    export = login(staff).get(reverse("documents:register_export") + "?nam=2021")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][0] == "01/BB-SCT"
    assert rows[0][1].date().isoformat() == "2021-11-25"
    assert rows[0][5] == "'=cmd|' /C calc'!A0"  # neutralised: text, not a formula
    download = login(leader).get(reverse("documents:issued_download", args=[document.uid]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == _bytes(document.file)
    assert login(officer_a).get(reverse("documents:issued_download", args=[document.uid])).status_code == 403


# --- signing and verification ---------------------------------------------------------------------------------


def test_signed_pdf_is_intact_and_trusted_against_the_demo_ca(staff, leader, signing):
    document = services.document_issue(actor=staff, job=_draft(staff))
    signed = services.document_sign(actor=leader, document=document)
    assert signed.signature_count == 2 and signed.signed_by == leader and signed.signed_at
    content = _bytes(signed.signed_file)
    assert content.startswith(_bytes(document.file))  # incremental: the issued bytes are untouched
    result = verify_pdf(content)
    assert result.readable and len(result.signatures) == 2
    leader_sig, seal_sig = result.signatures
    assert "Phạm Minh Đức" in leader_sig.signer and "SỞ CÔNG THƯƠNG" in seal_sig.signer
    assert "CA THỬ NGHIỆM" in leader_sig.issuer and leader_sig.test_certificate
    for sig in result.signatures:
        assert sig.intact and sig.trusted and not sig.changed_after, sig
    assert leader_sig.later_signatures and not seal_sig.later_signatures
    assert result.all_ok
    with pytest.raises(PermissionDenied):
        services.document_sign(actor=leader, document=signed)


def test_a_pdf_changed_after_signing_is_reported_changed(staff, leader, signing):
    document = services.document_issue(actor=staff, job=_draft(staff))
    content = bytearray(_bytes(services.document_sign(actor=leader, document=document).signed_file))
    position = content.index(b"/Type /Page") if b"/Type /Page" in content else content.index(b"/Type/Page")
    content[position + 1 : position + 5] = b"Tipe"
    result = verify_pdf(bytes(content))
    assert result.signatures and not result.all_ok
    assert all(not sig.intact for sig in result.signatures)


def test_an_unsigned_or_unreadable_file_is_reported_as_such(staff):
    document = services.document_issue(actor=staff, job=_draft(staff))
    assert verify_pdf(_bytes(document.file)).signatures == []
    assert not verify_pdf(b"%PDF-1.7 not really").readable


def test_without_trust_roots_the_chain_is_not_trusted(staff, leader, signing, settings):
    document = services.document_issue(actor=staff, job=_draft(staff))
    content = _bytes(services.document_sign(actor=leader, document=document).signed_file)
    settings.SIGNING_ALLOW_TEST_CA = False
    result = verify_pdf(content)
    assert all(sig.intact and not sig.trusted for sig in result.signatures)


def test_production_refuses_to_sign_with_the_test_ca(staff, leader, signing, settings):
    document = services.document_issue(actor=staff, job=_draft(staff))
    settings.SIGNING_ALLOW_TEST_CA = False
    with pytest.raises(SigningError):
        services.document_sign(actor=leader, document=document)
    document.refresh_from_db()
    assert document.signature_count == 0 and not document.signed_file


def test_the_visible_stamps_land_in_the_signature_block(staff, leader, signing):
    document = services.document_issue(actor=staff, job=_draft(staff))
    box = document.signature_boxes["sig-signer"]
    signed = services.document_sign(actor=leader, document=document)
    reader = PdfReader(io.BytesIO(_bytes(signed.signed_file)))
    widgets = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or "/T" in annot:
                widgets[str(annot["/T"])] = (index, [float(v) for v in annot["/Rect"]])
    person = next(value for name, value in widgets.items() if "person" in name)
    seal = next(value for name, value in widgets.items() if "organisation" in name)
    x1, y1, x2, y2 = box["box"]
    assert person[0] == box["page"] and seal[0] == box["page"]
    px1, px2 = sorted(person[1][::2])
    py1, py2 = sorted(person[1][1::2])
    # the signature image's field: the template's box (between the title line and the name), narrowed to the
    # image's proportions and centred in it
    assert (round(py1), round(py2)) == (round(y1), round(y2))
    assert x1 - 0.5 <= px1 < px2 <= x2 + 0.5 and abs((px1 + px2) / 2 - (x1 + x2) / 2) < 1
    # inside the page margins of Nghị định 30 (left 30 mm, right 15 mm, bottom 20 mm)
    assert px1 >= 30 * MM - 1 and px2 <= (210 - 15) * MM + 1 and py1 >= 20 * MM - 1
    sx1, sx2 = min(seal[1][0], seal[1][2]), max(seal[1][0], seal[1][2])
    assert round(sx2 - sx1) == round(SEAL_MM * MM)
    assert round(sx2) == round(px1 + (px2 - px1) / 3)  # covers the left third of the leader's image


def test_sign_view_roles(staff, leader, officer_a, signing, login):
    document = services.document_issue(actor=staff, job=_draft(staff))
    url = reverse("documents:sign", args=[document.uid])
    assert login(staff).post(url).status_code == 403
    assert login(officer_a).post(url).status_code == 403
    document.refresh_from_db()
    assert document.signature_count == 0
    page = login(leader).get(reverse("documents:issued", args=[document.uid]))
    assert b'data-testid="sign"' in page.content
    assert login(leader).post(url).status_code == 302
    document.refresh_from_db()
    assert document.signature_count == 2
    again = login(leader).post(url)
    assert again.status_code == 403 and IssuedDocument.objects.get().signature_count == 2
    detail = login(leader).get(reverse("documents:issued", args=[document.uid]))
    assert detail.content.count(b'data-testid="sig-trusted"') == 2


def test_verify_page_reads_an_uploaded_pdf(staff, leader, officer_a, signing, login, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = services.document_issue(actor=staff, job=_draft(staff))
    content = _bytes(services.document_sign(actor=leader, document=document).signed_file)
    url = reverse("documents:verify")
    assert client.get(url).status_code == 302
    response = login(officer_a).post(url, {"file": SimpleUploadedFile("qd.pdf", content, "application/pdf")})
    assert response.status_code == 200 and response.content.count(b'data-ok="1"') == 2
    bad = login(officer_a).post(url, {"file": SimpleUploadedFile("x.pdf", b"hello", "application/pdf")})
    assert bad.status_code == 400 and b"signature-report" not in bad.content


# --- concurrency (PostgreSQL) ---------------------------------------------------------------------------------


def test_concurrent_issues_get_consecutive_numbers_without_gaps_or_repeats(transactional_db, staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises the whole database)")
    jobs = [_draft(staff) for _ in range(6)]
    errors, barrier = [], threading.Barrier(len(jobs))

    def issue(job):
        from django.db import connections

        try:
            barrier.wait()
            services.document_issue(actor=staff, job=job)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(jobs) + 1))
    assert RegisterCounter.objects.get(year=2021, doc_type="BB").last_number == len(jobs)


def test_evidence_on_a_project_shows_its_signature_status_next_to_the_file(staff, leader, signing, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    record = acceptance()
    document = services.document_issue(actor=staff, job=_draft(staff, record))
    signed = _bytes(services.document_sign(actor=leader, document=document).signed_file)
    tampered = bytearray(signed)
    tampered[tampered.index(b"/Type /Page") + 1] = ord("X")
    client = login(staff)
    url = reverse("projects:attachment_upload", args=[record.project.pk])
    for name, content in (
        ("bien-ban-ky-so.pdf", signed),
        ("bien-ban-sua.pdf", bytes(tampered)),
        ("chua-ky.pdf", _bytes(document.file)),
    ):
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        assert client.post(url, {"kind": "other", "title": name, "file": upload}).status_code == 302
    page = client.get(reverse("projects:detail", args=[record.project.pk])).content.decode()
    assert page.count('data-testid="signature-badge"') == 3
    assert 'data-state="ok"' in page and 'data-state="changed"' in page and 'data-state="unsigned"' in page
