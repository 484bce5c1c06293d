import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import (
    ActivityContent,
    Adjustment,
    AdjustmentStatus,
    AppraisalResult,
    Attachment,
    Decision,
    DecisionItem,
    DecisionKind,
    Project,
    ProjectStatus,
    ProjectTransition,
)
from tests.factories import BeneficiaryFactory, DecisionFactory, ProjectFactory, first_commune, implementing_centre

S = ProjectStatus
AREA_B = "/31/d317/"


@pytest.fixture
def project_a(db, beneficiary_a):
    return ProjectFactory(title="Máy đánh đảo chượp nước mắm", beneficiaries=[beneficiary_a])


@pytest.fixture
def project_b(db, beneficiary_b):
    return ProjectFactory(title="Đề án Cát Hải", unit=first_commune(AREA_B), beneficiaries=[beneficiary_b])


class TestList:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("projects:list"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_juror_is_forbidden(self, login, juror):
        assert login(juror).get(reverse("projects:list")).status_code == 403

    def test_an_officer_sees_only_their_area(self, login, officer_a, project_a, project_b):
        body = login(officer_a).get(reverse("projects:list")).content.decode()
        assert project_a.code in body and project_b.code not in body

    def test_search_ignores_diacritics_and_finds_by_beneficiary_tax_code(self, login, staff, project_a, project_b):
        client = login(staff)
        body = client.get(reverse("projects:list"), {"q": "danh dao chuop"}).content.decode()
        assert project_a.code in body and project_b.code not in body
        tax = project_b.beneficiaries.get().tax_code
        body = client.get(reverse("projects:list"), {"q": tax}).content.decode()
        assert project_b.code in body and project_a.code not in body

    def test_filters_narrow_the_list(self, login, staff, project_a, project_b, beneficiary_b):
        content = ActivityContent.objects.get(code="4.3")
        project_a.contents.add(content)
        Project.objects.filter(pk=project_b.pk).update(status=S.IN_PROGRESS, plan_year=2026)
        client = login(staff)

        def codes(**params):
            body = client.get(reverse("projects:list"), params).content.decode()
            return {p.code for p in (project_a, project_b) if p.code in body}

        assert codes(content=content.pk) == {project_a.code}
        assert codes(status=S.IN_PROGRESS) == {project_b.code}
        assert codes(year=2026) == {project_b.code}
        assert codes(beneficiary=beneficiary_b.pk) == {project_b.code}
        chip = client.get(reverse("projects:list"), {"beneficiary": beneficiary_b.pk}).content.decode()
        assert f'value="{beneficiary_b.pk}"' in chip and beneficiary_b.name in chip
        assert codes(area=first_commune(AREA_B).parent.pk) == {project_b.code}
        assert codes(area=project_b.unit.pk) == {project_b.code}  # a commune filters too, not only districts
        assert codes(level="kcqg") == set()
        assert codes(implementing_unit=implementing_centre().pk) == {project_a.code, project_b.code}

    def test_the_query_count_does_not_grow_with_the_page_size(self, login, staff):
        for _ in range(30):
            ProjectFactory(beneficiaries=[BeneficiaryFactory(), BeneficiaryFactory()])
        client = login(staff)
        client.get(reverse("projects:list"))  # warm the session and role caches
        counts = []
        for per_page in (25, 50):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse("projects:list"), {"per_page": per_page})
            assert response.status_code == 200
            counts.append(len(ctx))
        assert counts[0] == counts[1]


class TestDetail:
    def test_officer_of_another_area_gets_404(self, login, officer_b, project_a):
        assert login(officer_b).get(reverse("projects:detail", args=[project_a.pk])).status_code == 404

    def test_the_page_shows_timeline_beneficiaries_outputs_and_buttons(self, login, staff, project_a, beneficiary_a):
        ProjectTransition.objects.create(project=project_a, from_status="", to_status=S.DRAFT, actor=staff)
        project_a.outputs.create(description="Máy đảo chượp", unit_of_measure="máy", planned_quantity=2)
        body = login(staff).get(reverse("projects:detail", args=[project_a.pk])).content.decode()
        assert beneficiary_a.name in body
        assert "Máy đảo chượp" in body
        assert 'data-testid="timeline"' in body and "Dự thảo" in body
        assert reverse("projects:transition", args=[project_a.pk, S.REGISTERED]) in body

    def test_a_leader_sees_no_button_for_staff_steps(self, login, leader, project_a):
        body = login(leader).get(reverse("projects:detail", args=[project_a.pk])).content.decode()
        assert reverse("projects:transition", args=[project_a.pk, S.REGISTERED]) not in body


class TestCreate:
    def _data(self, beneficiary, **extra):
        return {
            "kind": "de_an",
            "code": "KCĐP-2026-99",
            "title": "Hỗ trợ máy sấy nông sản",
            "level": "kcdp",
            "plan_year": "2026",
            "contents": [ActivityContent.objects.get(code="4.3").pk],
            "beneficiaries": [beneficiary.pk],
            "implementing_unit": implementing_centre().pk,
            "unit": beneficiary.unit_id,
            "start_date": "01/03/2026",
            "end_date": "30/11/2026",
            "expected_revenue": "1.500.000.000",
            "outputs-TOTAL_FORMS": "2",
            "outputs-INITIAL_FORMS": "0",
            "outputs-0-description": "Máy sấy",
            "outputs-0-unit_of_measure": "máy",
            "outputs-0-planned_quantity": "2",
            **extra,
        }

    def test_staff_creates_a_draft_with_outputs_and_a_first_timeline_row(self, login, staff, beneficiary_a):
        response = login(staff).post(reverse("projects:create"), self._data(beneficiary_a))
        project = Project.objects.get(code="KCĐP-2026-99")
        assert response.status_code == 302
        assert project.status == S.DRAFT and project.created_by == staff
        assert project.expected_revenue == 1_500_000_000
        assert project.start_date == dt.date(2026, 3, 1)
        assert list(project.beneficiaries.all()) == [beneficiary_a]
        assert project.outputs.get().planned_quantity == 2
        assert project.transitions.get().to_status == S.DRAFT
        assert project.history.count() == 1

    def test_bad_input_keeps_what_was_typed_and_writes_nothing(self, login, staff, beneficiary_a):
        data = self._data(beneficiary_a, end_date="01/01/2026", **{"outputs-1-description": "Thiếu số lượng"})
        response = login(staff).post(reverse("projects:create"), data)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Ngày kết thúc phải sau ngày bắt đầu" in body
        assert "Mỗi sản phẩm cần đủ" in body
        assert "Hỗ trợ máy sấy nông sản" in body
        assert not Project.objects.exists()

    def test_an_officer_cannot_place_a_project_outside_their_area(self, login, officer_a, beneficiary_b):
        response = login(officer_a).post(reverse("projects:create"), self._data(beneficiary_b))
        assert response.status_code == 200  # the unit is not among the choices
        assert not Project.objects.exists()

    def test_editing_with_a_stale_version_is_refused(self, login, staff, project_a, beneficiary_a):
        client = login(staff)
        data = self._data(beneficiary_a, code=project_a.code, version="1")
        Project.objects.filter(pk=project_a.pk).update(version=2)
        response = client.post(reverse("projects:edit", args=[project_a.pk]), data)
        assert "vừa được người khác cập nhật" in response.content.decode()
        project_a.refresh_from_db()
        assert project_a.title == "Máy đánh đảo chượp nước mắm"

    def test_an_approved_project_cannot_be_edited(self, login, staff, project_a):
        Project.objects.filter(pk=project_a.pk).update(status=S.APPROVED)
        assert login(staff).get(reverse("projects:edit", args=[project_a.pk])).status_code == 403


class TestTransitionPage:
    def test_staff_records_an_appraisal_through_the_confirmation_page(self, login, staff, project_a):
        Project.objects.filter(pk=project_a.pk).update(status=S.REGISTERED)
        client = login(staff)
        url = reverse("projects:transition", args=[project_a.pk, S.APPRAISED])
        assert "Kết quả thẩm định" in client.get(url).content.decode()
        response = client.post(
            url,
            {"version": 1, "appraisal_result": "passed", "appraisal_remarks": "Đạt", "appraised_on": "15/02/2021"},
        )
        assert response.status_code == 302
        project_a.refresh_from_db()
        assert (project_a.status, project_a.appraisal_result) == (S.APPRAISED, AppraisalResult.PASSED)
        assert project_a.appraised_on == dt.date(2021, 2, 15)
        assert project_a.transitions.get().actor == staff

    def test_a_repeated_post_is_refused_and_writes_no_second_row(self, login, staff, project_a):
        client = login(staff)
        url = reverse("projects:transition", args=[project_a.pk, S.REGISTERED])
        assert client.post(url, {"version": 1}).status_code == 302
        assert client.post(url, {"version": 1}).status_code == 403  # no longer a legal move from "registered"
        assert project_a.transitions.count() == 1

    def test_a_leader_is_forbidden_a_staff_step(self, login, leader, project_a):
        url = reverse("projects:transition", args=[project_a.pk, S.REGISTERED])
        assert login(leader).post(url, {"version": 1}).status_code == 403

    def test_an_officer_of_another_area_gets_404(self, login, officer_b, project_a):
        url = reverse("projects:transition", args=[project_a.pk, S.REGISTERED])
        assert login(officer_b).post(url, {"version": 1}).status_code == 404

    def test_missing_data_shows_a_message_and_changes_nothing(self, login, leader, project_a):
        Project.objects.filter(pk=project_a.pk).update(status=S.IN_PROGRESS)
        url = reverse("projects:transition", args=[project_a.pk, S.SUSPENDED])
        response = login(leader).post(url, {"version": 1, "comment": ""})
        assert response.status_code == 400
        project_a.refresh_from_db()
        assert project_a.status == S.IN_PROGRESS


class TestDecisions:
    def test_staff_records_an_annual_plan_decision_that_approves_its_projects(self, login, staff, project_a):
        Project.objects.filter(pk=project_a.pk).update(status=S.APPRAISED, appraisal_result="passed")
        pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        response = login(staff).post(
            reverse("projects:decision_create"),
            {
                "number": "812 / QD-UBND",
                "signed_on": "25/03/2021",
                "issuing_body": "UBND thành phố Hải Phòng",
                "kind": DecisionKind.PLAN_APPROVAL,
                "projects": [project_a.pk],
                "approve": "on",
                "pdf": pdf,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        decision = Decision.objects.get()
        assert decision.number == "812/QĐ-UBND" and decision.pdf_sha256
        project_a.refresh_from_db()
        assert project_a.status == S.APPROVED
        assert project_a.transitions.get().decision == decision

    def test_an_invalid_number_is_refused_and_nothing_is_written(self, login, staff, project_a):
        response = login(staff).post(
            reverse("projects:decision_create"),
            {"number": "812-UBND", "signed_on": "25/03/2021", "issuing_body": "UBND", "kind": "adjustment"},
        )
        assert "không đúng dạng" in response.content.decode()
        assert "812-UBND" in response.content.decode()
        assert not Decision.objects.exists()

    def test_approving_a_project_not_yet_appraised_rolls_everything_back(self, login, staff, project_a):
        Project.objects.filter(pk=project_a.pk).update(status=S.REGISTERED)
        response = login(staff).post(
            reverse("projects:decision_create"),
            {
                "number": "812/QĐ-UBND",
                "signed_on": "25/03/2021",
                "issuing_body": "UBND thành phố Hải Phòng",
                "kind": DecisionKind.PLAN_APPROVAL,
                "projects": [project_a.pk],
                "approve": "on",
            },
        )
        assert f"{project_a.code}: Không thể chuyển đề án" in response.content.decode()
        assert not Decision.objects.exists() and not DecisionItem.objects.exists()
        assert not ProjectTransition.objects.exists()

    def test_a_pdf_that_is_not_a_pdf_is_refused(self, login, staff):
        fake = SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        response = login(staff).post(
            reverse("projects:decision_create"),
            {"number": "9/QĐ-SCT", "signed_on": "25/03/2021", "issuing_body": "Sở", "kind": "stop", "pdf": fake},
        )
        assert "không phải là tệp PDF thật" in response.content.decode()
        assert not Decision.objects.exists()

    def test_a_leader_cannot_record_a_decision(self, login, leader):
        assert login(leader).get(reverse("projects:decision_create")).status_code == 403


class TestAdjustments:
    def test_an_extension_keeps_old_and_new_values_and_is_applied_with_the_decision(self, login, staff, project_a):
        Project.objects.filter(pk=project_a.pk).update(
            status=S.IN_PROGRESS, start_date=dt.date(2021, 4, 1), end_date=dt.date(2021, 12, 15)
        )
        client = login(staff)
        response = client.post(
            reverse("projects:adjustment_create", args=[project_a.pk]),
            {"kind": "extension", "reason": "Thiết bị về chậm", "end_date": "30/06/2022"},
        )
        assert response.status_code == 302
        adjustment = Adjustment.objects.get()
        assert adjustment.original == {"end_date": "2021-12-15"}
        assert adjustment.adjusted == {"end_date": "2022-06-30"}
        assert adjustment.authority == "approving_body"
        page = client.get(reverse("projects:adjustment_detail", args=[project_a.pk, adjustment.pk])).content.decode()
        assert "15/12/2021" in page and "30/06/2022" in page

        url = reverse("projects:adjustment_detail", args=[project_a.pk, adjustment.pk])
        response = client.post(url, {"approve": "1"})
        assert response.status_code == 400 and "Cần quyết định điều chỉnh" in response.content.decode()
        decision = DecisionFactory(kind=DecisionKind.ADJUSTMENT, number="1001/QĐ-UBND")
        DecisionItem.objects.create(decision=decision, project=project_a)
        assert client.post(url, {"approve": "1", "decision": decision.pk}).status_code == 302
        adjustment.refresh_from_db()
        project_a.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.APPROVED and adjustment.decision == decision
        assert project_a.end_date == dt.date(2022, 6, 30)
        assert project_a.history.first().history_change_reason.startswith("Điều chỉnh")

    def test_a_place_change_is_decided_by_the_department_leader_not_by_staff(
        self, login, staff, leader, project_a, beneficiary_a
    ):
        Project.objects.filter(pk=project_a.pk).update(status=S.CONTRACTED)
        other = BeneficiaryFactory(name="Cơ sở mới", unit=beneficiary_a.unit)
        login(staff).post(
            reverse("projects:adjustment_create", args=[project_a.pk]),
            {"kind": "place_timing", "reason": "Cơ sở cũ ngừng sản xuất", "beneficiaries": [other.pk]},
        )
        adjustment = Adjustment.objects.get()
        assert adjustment.authority == "department"
        url = reverse("projects:adjustment_detail", args=[project_a.pk, adjustment.pk])
        assert login(staff).post(url, {"approve": "1"}).status_code == 403
        assert login(leader).post(url, {"approve": "1"}).status_code == 302
        assert list(project_a.beneficiaries.all()) == [other]

    def test_the_adjustment_page_links_to_decision_entry_only_for_who_may_enter_one(
        self, login, staff, leader, project_a
    ):
        Project.objects.filter(pk=project_a.pk).update(
            status=S.IN_PROGRESS, start_date=dt.date(2021, 4, 1), end_date=dt.date(2021, 12, 15)
        )
        login(staff).post(
            reverse("projects:adjustment_create", args=[project_a.pk]),
            {"kind": "extension", "reason": "Thiết bị về chậm", "end_date": "30/06/2022"},
        )
        adjustment = Adjustment.objects.get()
        url = reverse("projects:adjustment_detail", args=[project_a.pk, adjustment.pk])
        decision_url = reverse("projects:decision_create")
        assert decision_url in login(staff).get(url).content.decode()
        leader_page = login(leader).get(url).content.decode()
        assert decision_url not in leader_page
        assert login(leader).get(decision_url).status_code == 403

    def test_a_request_without_any_change_is_refused(self, login, staff, project_a):
        Project.objects.filter(pk=project_a.pk).update(status=S.IN_PROGRESS)
        response = login(staff).post(
            reverse("projects:adjustment_create", args=[project_a.pk]), {"kind": "content", "reason": "x"}
        )
        assert "Chưa có giá trị nào thay đổi" in response.content.decode()
        assert not Adjustment.objects.exists()


class TestAttachments:
    def test_a_real_pdf_is_kept_and_the_same_file_twice_is_refused(self, login, staff, project_a):
        client = login(staff)
        url = reverse("projects:attachment_upload", args=[project_a.pk])
        pdf = "%PDF-1.4 hồ sơ".encode()
        upload = SimpleUploadedFile("ho-so.pdf", pdf, content_type="application/pdf")
        assert client.post(url, {"kind": "registration", "title": "Hồ sơ", "file": upload}).status_code == 302
        again = SimpleUploadedFile("ho-so-2.pdf", pdf, content_type="application/pdf")
        response = client.post(url, {"kind": "registration", "title": "Lại", "file": again})
        assert response.status_code == 400 and "đã có trong hồ sơ" in response.content.decode()
        assert Attachment.objects.count() == 1

    def test_an_executable_renamed_to_pdf_is_refused(self, login, staff, project_a):
        upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03", content_type="application/pdf")
        response = login(staff).post(
            reverse("projects:attachment_upload", args=[project_a.pk]), {"kind": "other", "file": upload}
        )
        assert response.status_code == 400
        assert not Attachment.objects.exists()

    def test_an_officer_of_another_area_cannot_download(self, login, staff, officer_b, project_a):
        upload = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png")
        login(staff).post(reverse("projects:attachment_upload", args=[project_a.pk]), {"kind": "photo", "file": upload})
        attachment = Attachment.objects.get()
        url = reverse("projects:attachment_download", args=[project_a.pk, attachment.pk])
        assert login(officer_b).get(url).status_code == 404


def test_the_beneficiary_page_lists_its_projects_the_user_may_see(login, staff, project_a, beneficiary_a):
    body = login(staff).get(reverse("beneficiaries:detail", args=[beneficiary_a.pk])).content.decode()
    assert project_a.code in body


def test_the_annual_plan_page_counts_registered_appraised_approved(login, staff):
    ProjectFactory(status=S.REGISTERED)
    ProjectFactory(status=S.APPRAISED)
    ProjectFactory(status=S.IN_PROGRESS)
    ProjectFactory(status=S.DRAFT)
    response = login(staff).get(reverse("projects:annual_plan", args=["kcdp", 2021]))
    summary = response.context["s"]
    assert (summary["registered"], summary["appraised"], summary["approved"]) == (3, 2, 1)
