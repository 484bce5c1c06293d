"""Contest results at a large city round: 300 entries, 9 jurors (2,700 sheets, 10,800 scores).

Measures the results computation, the results page and the two PDFs (certificate, scoring summary).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_issue8 .venv/bin/python bench/contest_results.py

Creates a throwaway test database (test_<name>), migrates it and drops it at the end.
"""

import os
import random
import statistics
import time
from datetime import date
from decimal import Decimal

import _common  # noqa: F401 — the project on sys.path, the settings, django.setup() (bench/_common.py)

ROOT = _common.ROOT

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

ENTRIES = int(os.environ.get("BENCH_CONTEST_ENTRIES", 300))
JURORS = 9
RUNS = 10


def _populate():
    from accounts.roles import Role
    from contest.models import Contest, ContestState, Entry, ProductGroup, Score, ScoreSheet, SheetState
    from contest.selectors import scoring_criteria
    from tests.factories import BeneficiaryFactory, ContestFactory, UserFactory, first_commune

    rng = random.Random(8)
    staff = UserFactory(username="bench-staff", role=Role.STAFF)
    jurors = [UserFactory(username=f"bench-gk{i}", role=Role.JUROR) for i in range(JURORS)]
    contest = ContestFactory(year=2026, state=ContestState.CLOSED, secretaries=[staff], jurors=jurors)
    unit = first_commune("/31/d317/")
    beneficiaries = [BeneficiaryFactory(unit=unit) for _ in range(50)]
    groups = list(ProductGroup.values)
    Entry.objects.bulk_create(
        Entry(
            contest=contest,
            number=i + 1,
            product_name=f"Sản phẩm {i + 1}",
            group=groups[i % 4],
            beneficiary=beneficiaries[i % 50],
            description="x",
        )
        for i in range(ENTRIES)
    )
    criteria = scoring_criteria(contest.criteria_set)
    sheets = []
    for entry in Entry.objects.filter(contest=contest):
        for juror in jurors:
            sheets.append(ScoreSheet(entry=entry, juror=juror, state=SheetState.SUBMITTED, total=0))
    ScoreSheet.objects.bulk_create(sheets, batch_size=1000)
    scores = []
    totals = {}
    for sheet in ScoreSheet.objects.filter(entry__contest=contest):
        total = Decimal(0)
        for c in criteria:
            points = Decimal(rng.randint(int(c.max_points) // 2, int(c.max_points)))
            scores.append(Score(sheet=sheet, criterion=c, points=points))
            total += points
        totals[sheet.pk] = total
        sheet.total = total
    Score.objects.bulk_create(scores, batch_size=2000)
    ScoreSheet.objects.bulk_update([ScoreSheet(pk=pk, total=t) for pk, t in totals.items()], ["total"], batch_size=1000)
    return Contest.objects.get(pk=contest.pk), staff


def _time(fn, runs=RUNS):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False)
    try:
        from contest.models import ContestState
        from contest.selectors import contest_results
        from contest.services import certificates_issue, contest_transition

        contest, staff = _populate()
        print(f"BENCH contest_db_vendor {connection.vendor} -")
        print(f"BENCH contest_results_compute_ms {_time(lambda: contest_results(contest=contest)):.1f} ms")
        with CaptureQueriesContext(connection) as queries:
            contest_results(contest=contest)
        print(f"BENCH contest_results_queries {len(queries)} queries")
        client = Client()
        client.force_login(staff)
        url = f"/binh-chon/{contest.pk}/results/"
        client.get(url)
        print(f"BENCH contest_results_page_ms {_time(lambda: client.get(url)):.1f} ms")
        contest = contest_transition(
            actor=staff,
            contest=contest,
            to_state=ContestState.PUBLISHED,
            result_decision_number="1/QĐ-UBND",
            result_decision_date=date(2026, 11, 30),
        )
        start = time.perf_counter()
        issued = certificates_issue(actor=staff, contest=contest, issued_on=date(2026, 12, 5))
        print(
            f"BENCH contest_certificates_issue_ms {(time.perf_counter() - start) * 1000:.1f} ms ({len(issued)} issued)"
        )
        # The render a document job does (data → HTML → WeasyPrint), without the queue: bench/documents.py measures
        # the job round trip.
        from documents.kinds import get_kind
        from documents.rendering import document_data, html_to_pdf, render_html

        certificate_kind, summary_kind = get_kind("contest_certificate"), get_kind("contest_summary")
        data = document_data(certificate_kind, {"certificate": issued[0].pk})
        print(
            "BENCH contest_certificate_pdf_ms "
            f"{_time(lambda: html_to_pdf(render_html(certificate_kind, data)), runs=5):.1f} ms"
        )
        summary = document_data(summary_kind, {"contest": contest.pk})
        summary_ms = _time(lambda: html_to_pdf(render_html(summary_kind, summary)), runs=3)
        print(f"BENCH contest_summary_pdf_ms {summary_ms:.1f} ms")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
