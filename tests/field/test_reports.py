import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from field import services
from field.models import FieldReport, ObservedOutput, ReportPhoto, ReportStatus
from projects.models import ProjectStatus
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory, UserFactory, unit
from tests.field.helpers import fake_photo, photo, report_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_a(staff):
    return ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)


@pytest.fixture
def project_b(staff):
    return ProjectFactory(in_the_field=True, area=AREA_B, created_by=staff)


def _create_url(project):
    return reverse("field:report_create", args=[project.pk])


def test_an_officer_sends_a_report_on_a_project_of_their_area(login, officer_a, project_a):
    client = login(officer_a)
    assert client.get(_create_url(project_a)).status_code == 200
    response = client.post(_create_url(project_a), report_form(project_a, latitude="20.937412", longitude="106.68"))
    report = FieldReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("field:report_detail", args=[report.pk])
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    assert report.author == officer_a and report.unit == project_a.unit
    assert report.progress_percent == 60
    assert str(report.latitude) == "20.937412"
    assert ObservedOutput.objects.filter(report=report, observed=True).count() == 2
    assert report.history.count() == 1 and report.history.get().history_user == officer_a
    page = client.get(response["Location"])
    assert "Máy đã lắp đặt tại nhà xưởng" in page.text and "SN-" in page.text


def test_an_officer_cannot_read_or_write_reports_of_another_area(login, officer_a, officer_b, project_b):
    client_b = login(officer_b)
    client_b.post(_create_url(project_b), report_form(project_b))
    report = FieldReport.objects.get()
    client_a = login(officer_a)
    assert client_a.get(_create_url(project_b)).status_code == 404
    assert client_a.post(_create_url(project_b), report_form(project_b)).status_code == 404
    assert client_a.get(reverse("field:report_detail", args=[report.pk])).status_code == 404
    assert client_a.get(reverse("field:project", args=[project_b.pk])).status_code == 404
    assert client_a.post(reverse("field:report_acknowledge", args=[report.pk])).status_code == 404
    assert FieldReport.objects.count() == 1
    assert report.project.code not in client_a.get(reverse("field:index")).text


def test_the_service_refuses_a_project_outside_the_officers_area(officer_a, project_b):
    with pytest.raises(Exception, match="ngoài địa bàn"):
        services.field_report_save(
            actor=officer_a, client_id=uuid.uuid4(), project=project_b, data={"visit_date": project_b.contract_date}
        )
    assert not FieldReport.objects.exists()


def test_staff_and_leaders_see_reports_of_every_area(login, officer_b, staff, leader, project_b):
    login(officer_b).post(_create_url(project_b), report_form(project_b))
    report = FieldReport.objects.get()
    for user in (staff, leader):
        assert login(user).get(reverse("field:report_detail", args=[report.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, project_a):
    response = client.get(_create_url(project_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_juror_and_a_leader_cannot_write_reports(login, juror, leader, project_a):
    assert login(juror).get(_create_url(project_a)).status_code == 403
    assert login(leader).post(_create_url(project_a), report_form(project_a)).status_code == 403
    assert not FieldReport.objects.exists()


def test_no_report_on_a_stopped_project(login, officer_a):
    project = ProjectFactory(in_the_field=True, area=AREA_A, status=ProjectStatus.STOPPED)
    assert login(officer_a).post(_create_url(project), report_form(project)).status_code == 403
    assert not FieldReport.objects.exists()


def test_a_text_file_named_like_a_photo_is_refused_and_the_rest_of_the_form_kept(login, officer_a, project_a):
    data = report_form(project_a, observations="Nhà xưởng mới quét vôi, máy chưa về.")
    data["photos"] = [photo("that.jpg"), fake_photo("bao-cao.jpg")]
    response = login(officer_a).post(_create_url(project_a), data)
    assert response.status_code == 400
    assert "bao-cao.jpg" in response.text and "không phải là ảnh" in response.text
    assert "Nhà xưởng mới quét vôi, máy chưa về." in response.text
    assert "Đề nghị hướng dẫn vận hành cho công nhân." in response.text
    assert data["client_id"] in response.text  # the retry keeps the same report id
    assert not FieldReport.objects.exists() and not ReportPhoto.objects.exists()


def test_the_same_client_id_twice_creates_one_report(login, officer_a, project_a):
    client = login(officer_a)
    data = report_form(project_a)
    first = client.post(_create_url(project_a), data)
    second = client.post(_create_url(project_a), data)
    report = FieldReport.objects.get()
    assert first["Location"] == second["Location"] == reverse("field:report_detail", args=[report.pk])
    assert report.history.count() == 1


def test_the_service_returns_the_existing_report_for_a_retried_submission(officer_a, project_a):
    client_id = uuid.uuid4()
    data = {"visit_date": project_a.contract_date, "observations": "Lần đầu"}
    first, created = services.field_report_save(
        actor=officer_a, client_id=client_id, project=project_a, data=data, submit=True
    )
    again, changed = services.field_report_save(
        actor=officer_a, client_id=client_id, project=project_a, data={**data, "observations": "Lần hai"}, submit=True
    )
    assert created and not changed and again.pk == first.pk
    assert FieldReport.objects.get().observations == "Lần đầu"


def test_another_user_cannot_take_over_a_client_id(officer_a, project_a):
    other = UserFactory(role="area_officer", areas=[unit(AREA_A)])
    client_id = uuid.uuid4()
    services.field_report_save(
        actor=officer_a, client_id=client_id, project=project_a, data={"visit_date": project_a.contract_date}
    )
    with pytest.raises(Exception, match="người khác"):
        services.field_report_save(actor=other, client_id=client_id, project=project_a, data={})


def test_a_draft_is_saved_then_finished_later(login, officer_a, project_a):
    client = login(officer_a)
    data = report_form(project_a, intent="draft", observations="Mới ghi được một nửa")
    response = client.post(_create_url(project_a), data)
    report = FieldReport.objects.get()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    assert response["Location"] == reverse("field:report_edit", args=[report.pk])
    page = client.get(response["Location"])
    assert "Mới ghi được một nửa" in page.text and str(report.client_id) in page.text
    client.post(response["Location"], report_form(project_a, observations="Đã ghi đủ"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.observations == "Đã ghi đủ"
    assert FieldReport.objects.count() == 1
    # Sent: no more editing.
    assert client.get(reverse("field:report_edit", args=[report.pk])).status_code == 302


def test_a_draft_is_seen_only_by_its_author(login, officer_a, staff, project_a):
    login(officer_a).post(_create_url(project_a), report_form(project_a, intent="draft"))
    report = FieldReport.objects.get()
    colleague = UserFactory(role="area_officer", areas=[unit(AREA_A)])
    assert login(colleague).get(reverse("field:report_detail", args=[report.pk])).status_code == 404
    assert login(staff).get(reverse("field:report_edit", args=[report.pk])).status_code == 404


def test_a_problem_needs_a_description(login, officer_a, project_a):
    response = login(officer_a).post(_create_url(project_a), report_form(project_a, has_problem="on", problem=""))
    assert response.status_code == 400 and "cần mô tả vướng mắc" in response.text
    assert not FieldReport.objects.exists()


def test_a_flagged_problem_mails_the_responsible_staff_and_waits_on_their_home_page(
    login, officer_a, staff, project_a, django_capture_on_commit_callbacks, eager
):
    other_staff = UserFactory(username="staff2", role="staff")
    with django_capture_on_commit_callbacks(execute=True):
        login(officer_a).post(
            _create_url(project_a), report_form(project_a, has_problem="on", problem="Máy rung mạnh, nứt khung đỡ.")
        )
    report = FieldReport.objects.get()
    assert report.responsible_staff == staff and report.problem_notified_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    assert "Máy rung mạnh" in mail.outbox[0].body and project_a.code in mail.outbox[0].subject
    # Notified once: a second run of the task sends nothing.
    assert services.field_report_notify_problem(report_id=report.pk) is False
    assert len(mail.outbox) == 1

    home = login(staff).get(reverse("home"))
    assert "Máy rung mạnh, nứt khung đỡ." in home.text
    assert "Máy rung mạnh" not in login(other_staff).get(reverse("home")).text

    response = login(staff).post(reverse("field:report_acknowledge", args=[report.pk]), {"note": "Đã gọi nhà cung cấp"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.problem_acknowledged_by == staff and report.problem_acknowledged_at is not None
    assert report.acknowledgement_note == "Đã gọi nhà cung cấp"
    assert "Máy rung mạnh, nứt khung đỡ." not in login(staff).get(reverse("home")).text
    # Acknowledging twice is refused on a visible object: 403.
    assert login(staff).post(reverse("field:report_acknowledge", args=[report.pk])).status_code == 403


def test_an_officer_cannot_acknowledge_a_problem(login, officer_a, project_a):
    login(officer_a).post(_create_url(project_a), report_form(project_a, has_problem="on", problem="Thiếu điện"))
    report = FieldReport.objects.get()
    assert login(officer_a).post(reverse("field:report_acknowledge", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.problem_acknowledged_at is None


def test_an_assignment_decides_who_hears_about_a_problem(officer_a, project_a, staff):
    from field.models import FieldAssignment

    area_staff = UserFactory(role="staff")
    FieldAssignment.objects.create(unit=unit(AREA_A), staff=area_staff)
    report, _ = services.field_report_save(
        actor=officer_a,
        client_id=uuid.uuid4(),
        project=project_a,
        data={"visit_date": project_a.contract_date, "has_problem": True, "problem": "Chậm tiến độ"},
        submit=True,
    )
    assert report.responsible_staff == area_staff


def test_photos_are_stored_resized_without_exif_but_with_position_and_time(login, officer_a, officer_b, project_a):
    data = report_form(project_a)
    data["photos"] = [photo("may.jpg", size=(3000, 2000), gps=(20.9374, 106.6821)), photo("xuong.png", gps=None)]
    client = login(officer_a)
    client.post(_create_url(project_a), data)
    first, second = ReportPhoto.objects.order_by("id")
    assert first.original_name == "may.jpg"
    assert float(first.gps_latitude) == pytest.approx(20.9374, abs=1e-5)
    assert float(first.gps_longitude) == pytest.approx(106.6821, abs=1e-5)
    assert first.taken_at is not None and first.taken_at.strftime("%Y-%m-%d") == "2021-09-15"
    assert second.gps_latitude is None and second.taken_at is not None
    with Image.open(first.image.path) as stored:
        assert max(stored.size) == 1600
        assert len(stored.getexif()) == 0
    with Image.open(first.thumbnail.path) as thumb:
        assert max(thumb.size) == 320
    assert client.get(reverse("field:photo", args=[first.pk])).status_code == 200
    assert login(officer_b).get(reverse("field:photo_thumbnail", args=[first.pk])).status_code == 404


def test_a_photo_over_the_size_limit_is_refused(login, officer_a, project_a, settings):
    settings.FIELD_PHOTO_MAX_BYTES = 1000
    data = report_form(project_a)
    data["photos"] = [photo("lon.jpg")]
    response = login(officer_a).post(_create_url(project_a), data)
    assert response.status_code == 400 and "quá lớn" in response.text
    assert not FieldReport.objects.exists()


def test_the_officer_home_lists_projects_of_their_area_with_a_write_button(login, officer_a, project_a, project_b):
    page = login(officer_a).get(reverse("home")).text
    assert project_a.code in page and _create_url(project_a) in page
    assert project_b.code not in page


def test_the_problem_list_costs_the_same_queries_for_two_page_sizes(login, staff, officer_a):
    projects = [ProjectFactory(in_the_field=True, area=AREA_A) for _ in range(3)]
    for i in range(30):
        services.field_report_save(
            actor=officer_a,
            client_id=uuid.uuid4(),
            project=projects[i % 3],
            data={"visit_date": projects[0].contract_date, "has_problem": True, "problem": f"Vướng mắc {i}"},
            submit=True,
        )
    client = login(staff)
    counts = []
    for size in (25, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("field:problems"), {"per_page": size})
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_a_deleted_photo_keeps_its_files_until_the_deletion_is_committed(
    login, officer_a, project_a, django_capture_on_commit_callbacks
):
    from pathlib import Path

    data = report_form(project_a)
    data["photos"] = [photo("may.jpg")]
    data["intent"] = "draft"
    login(officer_a).post(_create_url(project_a), data)
    item = ReportPhoto.objects.get()
    files = [Path(item.image.path), Path(item.thumbnail.path)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.field_report_photo_delete(actor=officer_a, photo=item)
    assert not ReportPhoto.objects.exists()
    assert all(f.exists() for f in files) and len(callbacks) == 1
    callbacks[0]()
    assert not any(f.exists() for f in files)
