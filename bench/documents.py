"""Document jobs, request to download, through a real Celery worker and broker on PostgreSQL.

    DATABASE_URL=postgres://…/kc_issue7 CELERY_BROKER_URL=redis://…/7 .venv/bin/python bench/documents.py

acceptance_pdf_s: the real biên bản nghiệm thu (`acceptance_record`, 2 pages), request to last byte of the download,
median of several runs, each after a change of the record (so each run renders). approval_report_300_s: the real
approval appendix (`approval_report`) of 300 approved đề án (A4 landscape, ~15 pages), median of a few runs.
overhead_vs_bare_render: the appendix pipeline's time per page against a bare WeasyPrint render of the same HTML in
this process (the floor).
Without DATABASE_URL and CELERY_BROKER_URL it measures the eager, in-process path on SQLite instead.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.test")
MEDIA = tempfile.mkdtemp(prefix="bench-documents-")
os.environ["MEDIA_ROOT"] = MEDIA

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

SHEET_RUNS = 7
LIST_RUNS = 3
LIST_ROWS = 300


def start_worker(queue: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{}:{}@{}:{}/{}".format(
            db["USER"], db["PASSWORD"] or "", db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
        ),
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": MEDIA,
    }
    command = [sys.executable, "-m", "celery", "-A", "khuyencong", "worker", "-Q", queue, "-c", "1", "-l", "warning"]
    command += ["--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(queue: str) -> None:
    from core.tasks import ping

    deadline = time.monotonic() + 60
    while True:
        try:
            if ping.apply_async(queue=queue).get(timeout=3) == "pong":
                return
        except Exception:
            if time.monotonic() > deadline:
                raise


def request_to_download(client, actor, kind: str, params: dict) -> tuple[float, object]:
    """Seconds from the request to the last byte of the download, polling the job like the status page does."""
    from documents.models import DocumentJob, JobStatus
    from documents.services import document_request

    start = time.perf_counter()
    job = document_request(actor=actor, kind=kind, params=params)
    while job.status not in (JobStatus.DONE, JobStatus.FAILED):
        time.sleep(0.02)
        job = DocumentJob.objects.get(pk=job.pk)
    if job.status != JobStatus.DONE:
        raise SystemExit(f"job failed: {job.error}")
    response = client.get(f"/van-ban/{job.uid}/tai-ve/")
    body = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200 and body.startswith(b"%PDF")
    return elapsed, job


def bare_render_seconds(kind_code: str, params: dict) -> tuple[float, int]:
    from weasyprint import HTML

    from documents.kinds import get_kind
    from documents.rendering import document_data, render_html

    kind = get_kind(kind_code)
    html = render_html(kind, document_data(kind, params))
    times, pages = [], 0
    for _ in range(3):
        start = time.perf_counter()
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        document.write_pdf()
        times.append(time.perf_counter() - start)
        pages = len(document.pages)
    return statistics.median(times), pages


def main() -> None:
    real = bool(os.environ.get("DATABASE_URL")) and bool(os.environ.get("CELERY_BROKER_URL"))
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"bench_documents_{uuid.uuid4().hex[:6]}"
    old = setup_databases(verbosity=0, interactive=False)
    worker = None
    try:
        from django.test import Client

        from accounts.models import User
        from khuyencong.celery import app
        from tests.reference import ensure_reference_data

        ensure_reference_data()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        from django.contrib.auth.models import Group

        staff = User.objects.create(username="bench", first_name="Bench")
        staff.groups.add(Group.objects.get(name="staff"))
        client = Client()
        client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

        if real:
            queue = f"bench-{uuid.uuid4().hex[:8]}"
            app.conf.task_always_eager = False
            from documents.tasks import render_document

            send = render_document.apply_async
            render_document.apply_async = lambda *a, **kw: send(*a, **{**kw, "queue": queue})
            worker = start_worker(queue)
            wait_ready(queue)
        else:
            print("# no DATABASE_URL/CELERY_BROKER_URL: eager, in-process render on SQLite", file=sys.stderr)

        from budgets.models import FundingLine
        from field.models import Acceptance
        from projects.models import AnnualPlan
        from tests.documents.kind_data import acceptance, approved_project, plan_decision

        decision = plan_decision()
        AnnualPlan.objects.create(level="kcdp", year=2021, title="Kế hoạch KCĐP 2021", decision=decision)
        for n in range(LIST_ROWS):
            approved_project(
                decision=decision,
                area="/31/d311/" if n % 2 else "/31/d317/",
                amounts={"kcdp": 100_000_000 + n * 1_000, "doi_ung": 50_000_000 + n * 1_000},
                title=f"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong chế biến hải sản, cơ sở số {n + 1}",
            )
        record = acceptance()
        record.assessment = "\n".join(
            f"Nhận xét {i}: hệ thống máy đánh đảo chượp vận hành ổn định, đúng thiết kế, bảo đảm an toàn lao động."
            for i in range(12)
        )
        record.save()
        approval = {"level": "kcdp", "year": 2021}
        first_line = FundingLine.objects.filter(source="kcdp").order_by("pk").first()

        # Warm-up: imports and fonts in the worker are not what a user waits for after the first request.
        request_to_download(client, staff, "acceptance_record", {"acceptance": record.pk})

        sheet_times, sheet_pages = [], 0
        for run in range(SHEET_RUNS):
            Acceptance.objects.filter(pk=record.pk).update(requests=f"Cơ sở duy trì nhật ký vận hành (lần {run}).")
            elapsed, job = request_to_download(client, staff, "acceptance_record", {"acceptance": record.pk})
            sheet_times.append(elapsed)
            sheet_pages = job.pages

        list_times, list_pages = [], 0
        for run in range(LIST_RUNS):
            FundingLine.objects.filter(pk=first_line.pk).update(approved_amount=90_000_000 + run)
            elapsed, job = request_to_download(client, staff, "approval_report", approval)
            list_times.append(elapsed)
            list_pages = job.pages

        bare_list_s, bare_pages = bare_render_seconds("approval_report", approval)
        bare_sheet_s, _ = bare_render_seconds("acceptance_record", {"acceptance": record.pk})
        sheet_s = statistics.median(sheet_times)
        list_s = statistics.median(list_times)

        print(f"# acceptance pages={sheet_pages} runs={[round(t, 3) for t in sheet_times]} bare={bare_sheet_s:.3f}s")
        print(f"# approval rows={LIST_ROWS} pages={list_pages} runs={[round(t, 3) for t in list_times]}")
        per_page_ms = bare_list_s / bare_pages * 1000
        print(f"# approval bare render {bare_list_s:.3f}s for {bare_pages} pages ({per_page_ms:.0f} ms/page)")
        print(
            f"# approval pipeline {list_s / list_pages * 1000:.0f} ms/page; mode={'worker+broker' if real else 'eager'}"
        )
        print(f"BENCH acceptance_pdf_s {sheet_s:.3f} s")
        print(f"BENCH approval_report_300_s {list_s:.3f} s")
        print(f"BENCH overhead_vs_bare_render {(list_s / list_pages) / (bare_list_s / bare_pages):.2f} ratio")
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
