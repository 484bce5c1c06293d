"""MEDIA_STORAGE=s3 against moto's S3 server: uploads through the real forms land in the bucket (not MEDIA_ROOT),
scoped views stream the same bytes back (another area gets a 404), a PDF with photos renders from the bucket, and a
backup of S3 media restores into an empty bucket in another process."""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from documents import services as document_services
from documents.models import JobStatus
from field.models import ReportPhoto
from projects.models import Attachment
from tests.conftest import AREA_A
from tests.core.test_backup import _restored_counts
from tests.documents.conftest import pdf_reader
from tests.documents.kind_data import field_report
from tests.factories import ProjectFactory
from tests.field.helpers import photo, report_form


def _local_media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_project_attachment_is_stored_in_the_bucket_and_streamed_back_only_in_scope(
    s3_media, login, staff, officer_b
):
    project = ProjectFactory(area=AREA_A, created_by=staff)
    pdf = "%PDF-1.4 hồ sơ đăng ký đề án\n".encode() + os.urandom(2048)
    upload = SimpleUploadedFile("ho-so-dang-ky.pdf", pdf, content_type="application/pdf")
    client = login(staff)
    url = reverse("projects:attachment_upload", args=[project.pk])
    assert client.post(url, {"kind": "registration", "title": "Hồ sơ", "file": upload}).status_code == 302

    attachment = Attachment.objects.get(project=project)
    assert s3_media.objects() == [attachment.file.name]
    assert s3_media.read(attachment.file.name) == pdf
    assert _local_media_files() == []  # nothing was written beside the bucket

    download = reverse("projects:attachment_download", args=[project.pk, attachment.pk])
    response = client.get(download)
    assert response.status_code == 200 and response.streaming
    assert _body(response) == pdf
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private"
    assert s3_media.name not in response.headers.get("Location", "")  # streamed, never a redirect to the bucket
    assert login(officer_b).get(download).status_code == 404

    client = login(staff)
    # The same file again is still refused when the first copy lives in the bucket.
    again = SimpleUploadedFile("ho-so-2.pdf", pdf, content_type="application/pdf")
    assert client.post(url, {"kind": "registration", "title": "Lại", "file": again}).status_code == 400
    assert Attachment.objects.filter(project=project).count() == 1 and len(s3_media.objects()) == 1


@pytest.mark.django_db
def test_field_photos_sent_through_the_report_form_live_in_the_bucket(s3_media, login, officer_a, officer_b):
    project = ProjectFactory(in_the_field=True, area=AREA_A)
    data = report_form(project)
    data["photos"] = [photo("may.jpg", size=(2400, 1600), gps=(20.9374, 106.6821))]
    client = login(officer_a)
    assert client.post(reverse("field:report_create", args=[project.pk]), data).status_code == 302

    item = ReportPhoto.objects.get()
    assert (item.width, item.height) == (1600, 1067)  # dimensions read back from the stored object
    assert s3_media.objects() == sorted([item.image.name, item.thumbnail.name])
    assert _local_media_files() == []
    response = client.get(reverse("field:photo", args=[item.pk]))
    assert response.status_code == 200
    body = _body(response)
    assert body == s3_media.read(item.image.name)
    with Image.open(io.BytesIO(body)) as stored:
        assert max(stored.size) == 1600 and len(stored.getexif()) == 0
    thumb = client.get(reverse("field:photo_thumbnail", args=[item.pk]))
    assert _body(thumb) == s3_media.read(item.thumbnail.name)
    assert login(officer_b).get(reverse("field:photo", args=[item.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.usefixtures("eager")
def test_a_field_report_pdf_embeds_photos_read_from_the_bucket_and_downloads_in_scope(
    s3_media, login, staff, officer_a, officer_b
):
    report = field_report(author=officer_a, photos=2)
    job = document_services.document_request(actor=staff, kind="field_report", params={"report": report.pk})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.file.name in s3_media.objects()
    assert _local_media_files() == []

    # Both photos are in the PDF: read from S3 and passed to WeasyPrint as data: URIs (S3 has no file:// path).
    images = {hashlib.sha256(i.data).hexdigest() for page in pdf_reader(job).pages for i in page.images}
    assert len(images) == 2

    url = reverse("documents:download", args=[job.uid])
    response = login(staff).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _body(response) == s3_media.read(job.file.name)
    assert login(officer_b).get(url).status_code == 404


@pytest.mark.django_db
def test_stored_file_url_is_a_data_uri_on_s3_and_empty_for_a_missing_object(s3_media):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from documents.rendering import stored_file_url, url_fetcher

    name = default_storage.save("field/x/anh.jpg", ContentFile(b"\xff\xd8\xff\xe0 anh"))
    url = stored_file_url(name)
    assert url.startswith("data:image/jpeg;base64,")
    fetched = url_fetcher(url)  # the renderer's restricted fetcher accepts it
    content = fetched["string"] if "string" in fetched else fetched["file_obj"].read()
    assert content == b"\xff\xd8\xff\xe0 anh"
    assert stored_file_url("field/x/khong-co.jpg") == ""


@pytest.mark.django_db
def test_the_map_outline_is_read_from_the_bucket(s3_media, admin_user, leader, login):
    from areas.selectors import current_communes
    from monitoring.boundaries import boundary_upload
    from tests.monitoring.test_map import outline_file

    units = list(current_communes()[:5])
    boundary = boundary_upload(actor=admin_user, file=outline_file(units), licence="Sở TN&MT cấp, dùng nội bộ")
    assert boundary.file.name in s3_media.objects() and _local_media_files() == []
    page = login(leader).get(reverse("monitoring:map"), {"year": 2021}).text
    url = page.split('data-testid="map-svg"')[1].split('<image href="')[1].split('"')[0].replace("&amp;", "&")
    outline = login(leader).get(url)
    assert outline.status_code == 200 and outline.content.decode().count("<path") == 5


def test_a_backup_of_s3_media_restores_into_an_empty_bucket(
    transactional_db, s3_media, new_bucket, login, staff, officer_a, tmp_path, empty_target
):
    from core.backup import create_backup, read_manifest, storage_files, table_row_counts

    project = ProjectFactory(area=AREA_A, created_by=staff)
    pdf = b"%PDF-1.4 sao luu\n" + os.urandom(4096)
    upload = SimpleUploadedFile("sao-luu.pdf", pdf, content_type="application/pdf")
    login(staff).post(reverse("projects:attachment_upload", args=[project.pk]), {"kind": "other", "file": upload})
    field_report(author=officer_a, photos=2)  # photos and thumbnails in nested folders
    source = {key: hashlib.sha256(s3_media.read(key)).hexdigest() for key in s3_media.objects()}
    assert len(source) == 5
    from django.core.files.storage import default_storage

    assert storage_files(default_storage) == sorted(source)
    counts = table_row_counts()

    result = create_backup(tmp_path / "backups")
    assert result.files == 5
    manifest = read_manifest(result.path)
    assert {k[len("media/") :]: v["sha256"] for k, v in manifest["members"].items() if k.startswith("media/")} == source
    assert _local_media_files() == []
    assert not list((tmp_path / "backups").glob("tmp*")), "the downloaded copies are removed"

    target = new_bucket()
    env = {**os.environ, "DATABASE_URL": empty_target, **target.env(), "MEDIA_ROOT": str(tmp_path / "not-used")}
    env["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings.test"
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(result.path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout
    assert {key: hashlib.sha256(target.read(key)).hexdigest() for key in target.objects()} == source
    assert not (tmp_path / "not-used").exists()
    assert _restored_counts(empty_target, list(counts)) == counts

    # A second restore (database and bucket no longer empty) is refused.
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(result.path)],
        cwd=settings.BASE_DIR,
        env={**env, "DATABASE_URL": empty_target},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode != 0 and "trống" in again.stderr
    assert len(target.objects()) == 5
