"""Stored files leave only through scoped views: no /media/ route in any mode; 200 with the safety headers inside
the user's scope, 404 (or 403 by role) outside; downloads recorded in the access log."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from accounts.models import AccessAction, AccessEvent
from contest.models import DocumentKind, EntryDocument, EntryPhoto
from field.models import ReportPhoto
from projects.models import Attachment
from tests.conftest import AREA_A
from tests.factories import ContestFactory, DecisionFactory, EntryFactory, ProjectFactory, contest_pdf, contest_photo
from tests.field.helpers import photo, report_form

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_safe_file(response, *, disposition: str):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    assert _body(response)


@pytest.mark.parametrize("debug", [False, True])
def test_there_is_no_media_route_in_any_mode(settings, debug):
    settings.DEBUG = debug
    import importlib

    import khuyencong.urls

    importlib.reload(khuyencong.urls)
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}projects/1/a.pdf")


def test_no_template_links_a_stored_file_by_its_url():
    pattern = (".image.url", ".file.url", ".pdf.url", ".thumbnail.url")
    offenders = [
        str(path)
        for top in Path(settings.BASE_DIR).iterdir()
        if top.is_dir() and not top.name.startswith(".")
        for path in top.glob("templates/**/*.html")
        if any(p in path.read_text(encoding="utf-8") for p in pattern)
    ]
    assert offenders == []


@pytest.fixture
def contest_with_files(staff, juror):
    contest = ContestFactory(secretaries=[staff], jurors=[juror])
    entry = EntryFactory(contest=contest)
    picture = EntryPhoto.objects.create(entry=entry, image=contest_photo("anh-san-pham.jpg"))
    paper = EntryDocument.objects.create(
        entry=entry, kind=DocumentKind.REGISTRATION_FORM, file=contest_pdf(), original_name="Phiếu đăng ký.pdf"
    )
    return contest, entry, picture, paper


def test_contest_photo_and_document_for_the_office_and_the_contests_jurors(login, staff, juror, contest_with_files):
    contest, entry, picture, paper = contest_with_files
    photo_url = reverse("contest:entry_photo", args=[contest.pk, entry.pk, picture.pk])
    doc_url = reverse("contest:entry_document", args=[contest.pk, entry.pk, paper.pk])
    for user in (staff, juror):
        client = login(user)
        assert_safe_file(client.get(photo_url), disposition="inline;")
        response = client.get(doc_url)
        assert_safe_file(response, disposition="attachment;")
        assert "Phi%E1%BA%BFu" in response["Content-Disposition"]
    events = AccessEvent.objects.filter(action=AccessAction.DOWNLOAD)
    assert sorted(e.user.username for e in events) == ["juror", "staff"]
    assert all("Phiếu đăng ký.pdf" in e.what and e.path == doc_url for e in events)


def test_contest_files_are_refused_to_other_jurors_officers_and_anonymous(client, login, officer_a, contest_with_files):
    from accounts.roles import Role
    from tests.factories import UserFactory

    contest, entry, picture, paper = contest_with_files
    urls = [
        reverse("contest:entry_photo", args=[contest.pk, entry.pk, picture.pk]),
        reverse("contest:entry_document", args=[contest.pk, entry.pk, paper.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    other_juror = UserFactory(username="juror2", role=Role.JUROR)
    for url in urls:
        assert login(other_juror).get(url).status_code == 404  # a contest they do not sit on is invisible
        assert login(officer_a).get(url).status_code == 403
    wrong_entry = reverse("contest:entry_photo", args=[contest.pk, EntryFactory(contest=contest).pk, picture.pk])
    assert login(other_juror).get(wrong_entry).status_code == 404
    assert not AccessEvent.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_a_project_attachment_inside_the_area_with_headers_and_outside_a_404(login, staff, officer_a, officer_b):
    project = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)
    upload = SimpleUploadedFile("ho-so.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    login(staff).post(reverse("projects:attachment_upload", args=[project.pk]), {"kind": "other", "file": upload})
    attachment = Attachment.objects.get()
    url = reverse("projects:attachment_download", args=[project.pk, attachment.pk])
    assert_safe_file(login(officer_a).get(url), disposition="attachment;")
    assert login(officer_b).get(url).status_code == 404
    assert AccessEvent.objects.get(action=AccessAction.DOWNLOAD).user == officer_a


def test_a_decision_pdf_is_inline_with_headers(login, staff):
    decision = DecisionFactory(pdf=SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert_safe_file(login(staff).get(reverse("projects:decision_pdf", args=[decision.pk])), disposition="inline;")


def test_a_missing_file_on_disk_is_a_404_not_a_500(login, staff):
    decision = DecisionFactory(pdf=SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n%%EOF\n"))
    Path(decision.pdf.path).unlink()
    assert login(staff).get(reverse("projects:decision_pdf", args=[decision.pk])).status_code == 404


def test_field_photos_inside_the_area_with_headers_and_outside_a_404(login, staff, officer_a, officer_b):
    project = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)
    data = report_form(project)
    data["photos"] = [photo("may.jpg")]
    login(officer_a).post(reverse("field:report_create", args=[project.pk]), data)
    item = ReportPhoto.objects.get()
    for name in ("field:photo", "field:photo_thumbnail"):
        assert_safe_file(login(officer_a).get(reverse(name, args=[item.pk])), disposition="inline;")
        assert login(officer_b).get(reverse(name, args=[item.pk])).status_code == 404


def test_an_html_file_is_never_served_inline():
    from core.files import file_response

    class Stored:
        name = "x/trang.html"

        def __bool__(self):
            return True

        def open(self, mode):
            import io

            return io.BytesIO(b"<script>alert(1)</script>")

    response = file_response(Stored(), inline=True)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/html"
    assert response["X-Content-Type-Options"] == "nosniff"
