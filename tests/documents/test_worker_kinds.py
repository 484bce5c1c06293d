"""The đề án documents through Redis and a real Celery worker on the PostgreSQL test database (not eager): one
test per family (budgets: the city-wide appendix; field: an area-scoped biên bản). Skipped without a broker."""

import pytest
from django.urls import reverse

from documents.models import DocumentJob, JobStatus
from projects.models import AnnualPlan
from tests.documents.conftest import pdf_text
from tests.documents.kind_data import acceptance, approved_project, plan_decision
from tests.documents.test_worker_jobs import files_of, wait_for, worker  # noqa: F401  (fixture)

pytestmark = pytest.mark.worker


def test_the_approval_appendix_is_made_by_the_worker_once(worker, login, staff, leader):  # noqa: F811
    decision = plan_decision()
    AnnualPlan.objects.create(level="kcdp", year=2021, title="Kế hoạch KCĐP 2021", decision=decision)
    approved_project(decision=decision, amounts={"kcdp": 1_000_000_000, "doi_ung": 2_108_129_000})
    form = {"kind": "approval_report", "level": "kcdp", "year": "2021"}
    assert login(staff).post(reverse("documents:request"), form).status_code == 302
    job = wait_for(DocumentJob.objects.get(), JobStatus.DONE, JobStatus.FAILED)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1 and len(files_of(job)) == 1
    text = pdf_text(job)
    assert "3.108.129.000" in text
    assert "Ba tỷ một trăm linh tám triệu một trăm hai mươi chín nghìn đồng" in text
    # Asked again with the same data: the finished file, no second render.
    assert login(leader).post(reverse("documents:request"), form).status_code == 302
    assert DocumentJob.objects.count() == 1
    assert login(leader).get(reverse("documents:download", args=[job.uid])).status_code == 200


def test_a_biên_bản_nghiệm_thu_is_made_by_the_worker_and_scoped_to_its_area(worker, login, officer_a, officer_b):  # noqa: F811
    record = acceptance(used={"kcdp": (21_000_000, 21_000_000)})
    response = login(officer_a).post(
        reverse("documents:request"), {"kind": "acceptance_record", "acceptance": record.pk}
    )
    assert response.status_code == 302
    job = wait_for(DocumentJob.objects.get(), JobStatus.DONE, JobStatus.FAILED)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job)
    assert "BIÊN BẢN NGHIỆM THU" in text and "Hai mươi mốt triệu đồng" in text
    assert login(officer_a).get(reverse("documents:download", args=[job.uid])).status_code == 200
    assert login(officer_b).get(reverse("documents:download", args=[job.uid])).status_code == 404
