"""Signing an issued 2-page biên bản nghiệm thu with the demo certificates (leader + organisation, PAdES B-B).

    .venv/bin/python bench/signing.py

sign_ms: median time of `documents.signing.sign_pdf` twice (the leader's signature, then the seal) on the issued
PDF, in this process (no database writes counted). bare_render_ms: median WeasyPrint render of the same document's
HTML. sign_overhead_ratio: sign_ms / bare_render_ms. Target: sign_ms < 300.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings.test"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-signing-")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_databases, teardown_databases  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def main() -> None:
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from django.core.management import call_command
        from django.utils.translation import override

        from accounts.models import User
        from documents import rendering, services, signing
        from documents.kinds import get_kind
        from field.models import Acceptance

        call_command("load_demo", stdout=io.StringIO())
        staff = User.objects.get(username="chuyenvien")
        leader = User.objects.get(username="lanhdao")
        acceptance = Acceptance.objects.order_by("pk").first()
        job = services.document_request(actor=staff, kind="acceptance_record", params={"acceptance": acceptance.pk})
        document = services.document_issue(actor=staff, job=job)
        with document.file.open("rb") as handle:
            issued = handle.read()
        person = signing.identity_for(leader, document.issuing_body)
        organisation = signing.organisation_identity(document.issuing_body)
        document.signed_by = leader
        signing.stamp_font_path()  # made once per machine; not part of a signature

        kind = get_kind("acceptance_record")
        with override("vi"):
            html = rendering.render_html(
                kind, rendering.document_data(kind, job.params), issue={"symbol": document.symbol, "number": 1}
            )
        renders, signs = [], []
        signing.sign_pdf(document, organisation, content=signing.sign_pdf(document, person, content=issued))  # warm
        for _run in range(RUNS):
            start = time.perf_counter()
            pdf = rendering.html_to_pdf(html)
            renders.append(time.perf_counter() - start)
            start = time.perf_counter()
            content = signing.sign_pdf(document, person, content=issued)
            signing.sign_pdf(document, organisation, content=content)
            signs.append(time.perf_counter() - start)
        assert pdf.pages == 2, pdf.pages
        sign_ms = statistics.median(signs) * 1000
        render_ms = statistics.median(renders) * 1000
        print(f"BENCH sign_ms {sign_ms:.0f} ms")
        print(f"BENCH bare_render_ms {render_ms:.0f} ms")
        print(f"BENCH sign_overhead_ratio {sign_ms / render_ms:.2f} x")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
