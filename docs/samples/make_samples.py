"""Renders the first page of each document kind to PNG from the demo data.

    .venv/bin/python docs/samples/make_samples.py


Uses a throwaway SQLite test database and the eager path; needs pdftoppm (poppler-utils).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings.test"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="document-samples-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def main() -> None:
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import User
        from beneficiaries.models import Beneficiary
        from contest.models import Certificate, Contest
        from documents.services import document_request

        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        staff = User.objects.get(username="chuyenvien")
        sheet = Beneficiary.objects.get(name="Công ty TNHH Cơ khí đúc Thành Phương")
        jobs = {
            "beneficiary_sheet": document_request(
                actor=staff, kind="beneficiary_sheet", params={"beneficiary": sheet.pk}
            ),
            "beneficiary_list": document_request(actor=staff, kind="beneficiary_list", params={}),
        }
        contest = Contest.objects.get(year=2021)
        certificate = Certificate.objects.filter(contest=contest).order_by("sequence").first()
        jobs["contest_certificate"] = document_request(
            actor=staff, kind="contest_certificate", params={"certificate": certificate.pk}
        )
        jobs["contest_summary"] = document_request(actor=staff, kind="contest_summary", params={"contest": contest.pk})

        from field.models import Acceptance, FieldReport, Inspection

        jobs["approval_report"] = document_request(
            actor=staff, kind="approval_report", params={"level": "kcdp", "year": 2021}
        )
        jobs["annual_report"] = document_request(actor=staff, kind="annual_report", params={"year": 2021})
        acceptance = Acceptance.objects.filter(project__code="KCQG-2021-01", result="passed").get()
        jobs["acceptance_record"] = document_request(
            actor=staff, kind="acceptance_record", params={"acceptance": acceptance.pk}
        )
        report = (
            FieldReport.objects.filter(status="submitted").exclude(photos=None).order_by("visit_date", "pk").first()
        )
        jobs["field_report"] = document_request(actor=staff, kind="field_report", params={"report": report.pk})
        inspection = Inspection.objects.filter(status="done").order_by("pk").first()
        jobs["inspection_record"] = document_request(
            actor=staff, kind="inspection_record", params={"inspection": inspection.pk}
        )
        for name, job in jobs.items():
            job.refresh_from_db()
            out = HERE / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", job.file.path, out], check=True
            )
            print(f"{out}.png ({job.pages} trang)")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
