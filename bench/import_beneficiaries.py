"""Import of a 10,000-row messy workbook: the page's path (preview + confirm) against django-import-export's
default row-by-row `import_data` (dry run + real) on the same rows, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_issue3 .venv/bin/python bench/import_beneficiaries.py

BENCH_SKIP_DEFAULT=1 skips the (minutes-long) default path, for iterating; a reported run must include it.
BENCH_PROFILE=<file> writes a cProfile of the fast path (preview and confirm) to <file>.

Creates a throwaway test database (test_<name>), migrates it and drops it at the end.
"""

import os
import time

import _common  # noqa: F401 — the project on sys.path, the settings, django.setup() (bench/_common.py)

ROOT = _common.ROOT

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", 10_000))
EXISTING = ROWS // 10  # a tenth of the sheet updates establishments already in the registry


def _reset(existing_rows, admin):
    """Empties the registry (and its history) and puts back the establishments the sheet will update."""
    from beneficiaries.importing import engine
    from beneficiaries.models import Beneficiary, ImportBatch
    from tests.beneficiaries.workbooks import messy_xlsx

    Beneficiary.history.all().delete()
    Beneficiary.objects.all().delete()
    ImportBatch.objects.all().delete()
    analysis = engine.analyse("base.xlsx", messy_xlsx(existing_rows))
    engine.write_plan(analysis.plan(), actor=admin, reason="bench")


def main() -> None:
    settings.IMPORT_INLINE_MAX_BYTES = 10**9  # measure the code itself, inline, as the task would run it
    settings.MEDIA_ROOT = "/tmp/bench-media"
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        run()
    finally:
        teardown_databases(old_config, verbosity=0)


def run() -> None:
    import tablib

    from accounts.roles import Role
    from beneficiaries import services
    from beneficiaries.importing.reader import read_table
    from beneficiaries.models import Beneficiary
    from beneficiaries.resources import BeneficiaryResource
    from tests.beneficiaries.workbooks import messy_xlsx, realistic_rows
    from tests.factories import UserFactory

    print(f"database: {connection.vendor}, rows: {ROWS}")
    admin = UserFactory(username="bench-admin", role=Role.ADMIN)
    rows = realistic_rows(ROWS, error_every=200, review_every=100)
    # Some rows name establishments already registered, with a changed employee count.
    existing = [dict(row, employees=1) for row in rows[:EXISTING]]
    data = messy_xlsx(rows, merge_column="sector")
    print(f"workbook: {len(data) / 1024:.0f} KiB")

    _reset(existing, admin)
    profile_to = os.environ.get("BENCH_PROFILE")
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    batch = services.import_batch_start(actor=admin, upload=SimpleUploadedFile("bench.xlsx", data))
    previewed = time.perf_counter()
    batch = services.import_batch_confirm(actor=admin, batch=batch, valid_only=True)
    fast = time.perf_counter() - started
    if profile_to:
        profiler.disable()
        profiler.dump_stats(profile_to)
    assert batch.status == "done", batch.message
    fast_total = Beneficiary.objects.count()
    print(
        f"fast path: preview {previewed - started:.2f} s, confirm {fast - (previewed - started):.2f} s; "
        f"{batch.created_count} created, {batch.updated_count} updated, {batch.error_count} errors, "
        f"{batch.review_count} to review"
    )

    if os.environ.get("BENCH_SKIP_DEFAULT"):  # while iterating only: the default path takes minutes
        print(f"BENCH import_10k_s {fast:.2f} s")
        return

    # django-import-export's default path on the same rows: the cells under the detected header, as a Dataset.
    table = read_table("bench.xlsx", data)
    keys = [table.columns[i] for i in sorted(table.columns)]
    dataset = tablib.Dataset(headers=keys)
    for _number, cells in table.rows:
        dataset.append([cells[i] if i < len(cells) else None for i in sorted(table.columns)])
    _reset(existing, admin)
    resource = BeneficiaryResource(actor=admin)
    started = time.perf_counter()
    dry = resource.import_data(dataset, dry_run=True, raise_errors=False, collect_failed_rows=True)
    real = resource.import_data(dataset, dry_run=False, raise_errors=False, collect_failed_rows=True)
    default = time.perf_counter() - started
    default_total = Beneficiary.objects.count()
    print(
        f"default import_data: dry run + real {default:.2f} s; totals {dict(real.totals)}; "
        f"{len(real.invalid_rows) + len(real.row_errors())} rows refused (dry run refused "
        f"{len(dry.invalid_rows) + len(dry.row_errors())})"
    )
    print(f"registry after: fast path {fast_total}, default path {default_total}")
    print(f"BENCH import_10k_s {fast:.2f} s")
    print(f"BENCH import_speedup_vs_default {default / fast:.1f} x")


if __name__ == "__main__":
    main()
