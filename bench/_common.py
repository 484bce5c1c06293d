"""What every bench shares: Django set-up, a dedicated bench database, timing, `BENCH` lines, national-scale data.

    import _common                      # first: puts the project on sys.path and sets up Django
    with _common.bench_database():      # a fresh database (PostgreSQL if DATABASE_URL is set, else SQLite)
        data = _common.national_data()  # 50,012 đề án, 200,020 funding lines, … times BENCH_SCALE
        ms, queries = _common.time_get(client, "/de-an/", {"q": "may"})
        _common.bench_line("project_list_ms", ms, "ms")

Knobs (environment):
- `BENCH_SCALE` (default 1.0 = national: 50,012 đề án, 200,020 funding lines, 100,004 field reports, 100,018
  establishments, 4,360 units; 0.02 = 1/50). Units stay the same at every scale (reference data).
- `BENCH_RUNS` (timed runs after one warm-up; the median is reported).
- `BENCH_KEEPDB=1` keeps the bench database after the run and reuses it (with its data) on the next one, for tuning.

The bench database is `<DATABASE_URL's name>_bench` on PostgreSQL (created, filled and dropped by the bench, never the
developer's own database), or a temporary SQLite file. It is copied from a migrated template, `<name>_bench_tpl` (or
a `.tpl` file beside the SQLite one), which holds no bench data and is rebuilt when a migration changes; drop it by
hand to reclaim its ~20 MB. `bench_database()` points DATABASE_URL at it, so processes the
bench starts (gunicorn, Celery in bench/load.py) use the same data.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")  # a bulk load is no web request
# Every bench times pages and selectors as computed: the figures shared between readers (core.figures_cache) would
# otherwise serve the 2nd to 7th run from the cache. bench/pages.py times the shared pages beside, on purpose.
os.environ.setdefault("FIGURES_CACHE_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
KEEP = bool(os.environ.get("BENCH_KEEPDB"))

# National scale (issue 18).
NATIONAL = {"projects": 50_012, "lines": 200_020, "reports": 100_004, "establishments": 100_018, "units": 4_360}
YEARS = [2021, 2022, 2023, 2024, 2025]
PROVINCES = 62  # besides Hải Phòng, which the migrations load with its real units
OFFICER_PROVINCE = "/p07/"


def bench_line(metric: str, value, unit: str) -> None:
    """The one line a bench prints per figure: `BENCH <metric> <value> <unit>`."""
    if isinstance(value, float):
        value = f"{value:.1f}"
    print(f"BENCH {metric} {value} {unit}", flush=True)


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def median_ms(fn, *, runs: int = RUNS, warmup: int = 1) -> float:
    """Median wall time of `fn()` in milliseconds over `runs` calls after `warmup` calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def time_get(
    client, url: str, params: dict | None = None, *, runs: int = RUNS, computed: bool = True
) -> tuple[float, int, int]:
    """(median ms, queries, bytes) of a GET through the test client; fails on anything but 200. `computed`: the
    cache is emptied before each request, so the figures shared between readers (core.figures_cache) are computed
    as for the first reader after a write; False: served to the next reader, as for everyone else."""

    from django.test.utils import override_settings

    def get():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, params, response.status_code)
        return response

    with override_settings(FIGURES_CACHE_SECONDS=0 if computed else 600):
        ms = median_ms(get, runs=runs)
        with CaptureQueriesContext(connection) as ctx:
            response = get()
    return ms, len(ctx), len(response.content)


def count_queries(client, url: str, params: dict | None = None) -> int:
    """The queries of a GET as computed (see time_get)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, params, response.status_code)
    return len(ctx)


# --- the bench database ---------------------------------------------------------------------------------------


def _admin_connection():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def _url_for(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{name}"


def _migrations_hash() -> str:
    """Changes whenever a migration does: the migrated template is rebuilt then."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _migrate(label: str) -> None:
    from django.core.management import call_command
    from django.db import connections

    connections["default"].close()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    connections["default"].close()
    note(f"{label} migrated in {time.perf_counter() - started:.0f} s")


def _pg_prepare(name: str, template: str) -> bool:
    """Creates `name` from a migrated template (`<name>_tpl`, rebuilt when a migration changed: migrating takes
    ~2 minutes on a loaded 2-core machine, copying the template seconds). Returns True when a kept run's database
    is reused."""
    db = settings.DATABASES["default"]
    version = _migrations_hash()
    with _admin_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and KEEP:
            return True
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        fresh = row is not None and row[0] == f"migrations {version}"
        if not fresh:
            if row is not None:
                admin.execute(f'DROP DATABASE "{template}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{template}"')
    if not fresh:
        db["NAME"] = template
        _migrate(f"bench template {template}")
        with _admin_connection() as admin:
            admin.execute(f"COMMENT ON DATABASE \"{template}\" IS 'migrations {version}'")
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return False


def _sqlite_prepare(name: str) -> bool:
    import shutil

    db = settings.DATABASES["default"]
    template = Path(f"{name}.{_migrations_hash()}.tpl")
    if KEEP and os.path.exists(name):
        return True
    if not template.exists():
        for old in Path(name).parent.glob(Path(name).name + ".*.tpl"):
            old.unlink()
        db["NAME"] = str(template)
        _migrate(f"bench template {template}")
    shutil.copyfile(template, name)
    return False


@contextlib.contextmanager
def bench_database(suffix: str = "bench"):
    """A fresh, migrated database for the bench; DATABASE_URL points at it while the block runs. Dropped after
    (kept with BENCH_KEEPDB=1). Yields True when it holds the data of a previous kept run. Benches that may run
    at the same time take different suffixes (bench/load.py: "bench_load")."""
    from django.db import connections

    db = settings.DATABASES["default"]
    postgres = db["ENGINE"] == "django.db.backends.postgresql"
    old_url = os.environ.get("DATABASE_URL")
    old_name = db["NAME"]
    connections["default"].close()
    if postgres:
        name = f"{old_name}_{suffix}"
        reused = _pg_prepare(name, f"{old_name}_bench_tpl")
        url = _url_for(name)
    else:
        name = str(Path(tempfile.gettempdir()) / f"khuyencong_{suffix}.sqlite3")
        reused = _sqlite_prepare(name)
        url = f"sqlite:///{name}"
    db["NAME"] = name
    os.environ["DATABASE_URL"] = url
    connections["default"].close()
    try:
        yield reused and has_data()
    finally:
        connections["default"].close()
        db["NAME"] = old_name
        if old_url is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old_url
        if not KEEP:
            if postgres:
                with _admin_connection() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            elif os.path.exists(name):
                os.unlink(name)


def has_data() -> bool:
    from projects.models import Project

    return Project.objects.filter(code__startswith="B-").exists()


# --- fast inserts -----------------------------------------------------------------------------------------------


def insert(model, rows: list[dict]) -> None:
    """Bulk insert of rows given as {attname: value} (database-ready values: int, str, date, datetime, bool, UUID),
    the other columns taking the model's defaults (auto_now included), without returning ids. COPY on PostgreSQL
    (no model instance per row: 50,000 rows a second), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prototype = model()
    defaults = {f.attname: f.get_db_prep_save(f.pre_save(prototype, True), connection) for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    unique_defaults = [f.attname for f in fields if f.unique and f.has_default()]  # e.g. a uuid4 client id
    connection.ensure_connection()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            for name in unique_defaults:
                if name not in row:
                    row[name] = model._meta.get_field(name).get_default()
            copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])


def vacuum_analyze() -> None:
    """What autovacuum does soon after a bulk load: statistics, and the visibility map index-only scans need."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- national-scale data ----------------------------------------------------------------------------------------


def scaled(key: str, scale: float = SCALE) -> int:
    return max(1, round(NATIONAL[key] * scale))


def build_units(rng: random.Random) -> dict:
    """Reference units up to NATIONAL['units'] in all: Hải Phòng's real ones (from the migrations) and 62 synthetic
    provinces, each with current communes (depth 1, with centres and areas: the map's base layer) and pre-7/2025
    districts. Returns {"communes": [ids], "province": the officer's province}."""
    from areas.models import AdministrativeUnit

    existing = AdministrativeUnit.objects.count()
    per_province = max(2, (NATIONAL["units"] - existing) // PROVINCES)
    extra = NATIONAL["units"] - existing - per_province * PROVINCES
    rows = []
    for p in range(1, PROVINCES + 1):
        path = f"/p{p:02d}/"
        rows.append(
            {
                "code": f"9{p:02d}",
                "name": f"Tỉnh Thử {p:02d}",
                "short_name": f"Thử {p:02d}",
                "unit_type": "tinh",
                "path": path,
                "depth": 0,
                "search_name": f"tinh thu {p:02d}",
            }
        )
    insert(AdministrativeUnit, rows)
    provinces = dict(AdministrativeUnit.objects.filter(depth=0, path__startswith="/p").values_list("path", "id"))
    rows = []
    for p in range(1, PROVINCES + 1):
        path = f"/p{p:02d}/"
        children = per_province - 1 + (1 if p <= extra else 0)
        current = round(children * 0.85)
        lat0, lng0 = 8.5 + rng.random() * 14, 102.5 + rng.random() * 6
        for c in range(children):
            is_current = c < current
            rows.append(
                {
                    "code": f"9{p:02d}{c:03d}",
                    "name": f"{'Xã' if is_current else 'Huyện'} Thử {p:02d}-{c:03d}",
                    "short_name": f"Thử {p:02d}-{c:03d}",
                    "unit_type": "xa" if is_current else "huyen",
                    "parent_id": provinces[path],
                    "path": f"{path}{'c' if is_current else 'd'}{c:03d}/",
                    "depth": 1,
                    "valid_from": datetime.date(2025, 7, 1) if is_current else None,
                    "valid_to": None if is_current else datetime.date(2025, 6, 30),
                    "search_name": f"{'xa' if is_current else 'huyen'} thu {p:02d} {c:03d}",
                    "latitude": (lat0 + rng.random() * 0.8) if is_current else None,
                    "longitude": (lng0 + rng.random() * 0.8) if is_current else None,
                    "area_km2": (5 + rng.random() * 80) if is_current else None,
                }
            )
    insert(AdministrativeUnit, rows)
    communes = list(
        AdministrativeUnit.objects.filter(depth__gte=1, valid_to__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return {"communes": communes, "province": AdministrativeUnit.objects.get(path=OFFICER_PROVINCE)}


def build_people():
    """The bench's users: a department-wide staff member, an officer of one province, a leader, an admin."""
    from accounts.roles import Role
    from areas.models import AdministrativeUnit
    from tests.factories import UserFactory

    province = AdministrativeUnit.objects.get(path=OFFICER_PROVINCE)
    return {
        "staff": UserFactory(username="bench_staff", role=Role.STAFF),
        "officer": UserFactory(username="bench_officer", role=Role.AREA_OFFICER, areas=[province]),
        "leader": UserFactory(username="bench_leader", role=Role.LEADER),
        "admin": UserFactory(username="bench_admin", role=Role.ADMIN),
    }


def people():
    from accounts.models import User

    return {role: User.objects.get(username=f"bench_{role}") for role in ("staff", "officer", "leader", "admin")}


OFFICER_SHARE = 0.1  # of the rows placed in the officer's province, so that its filtered pages are never empty


def place(rng: random.Random, communes: list[int]) -> int:
    """A unit for a generated row: one in ten in the officer's province, the rest anywhere."""
    global _officer_communes
    if _officer_communes is None:
        from areas.models import AdministrativeUnit

        _officer_communes = list(
            AdministrativeUnit.objects.filter(path__startswith=OFFICER_PROVINCE, depth=1, valid_to__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
    if _officer_communes and rng.random() < OFFICER_SHARE:
        return rng.choice(_officer_communes)
    return rng.choice(communes)


_officer_communes = None


def build_establishments(n: int, communes: list[int], rng: random.Random, *, offset: int = 0, creator=None) -> None:
    from beneficiaries.models import Beneficiary, LegalForm
    from core.text import fold, sort_key

    prefixes = ["Công ty TNHH", "HTX", "Hộ kinh doanh", "Cơ sở"]
    sectors = ["Cơ khí", "Chế biến nông sản", "Dệt may", "Gốm sứ", "Mây tre đan", "Nước mắm", "Đồ gỗ"]
    words = ["Thành Công", "Hưng Thịnh", "Phú Quý", "An Bình", "Đức Minh", "Hòa Phát", "Minh Châu", "Bảo Ngọc"]
    forms = list(LegalForm.values)
    rows = []
    for i in range(offset, offset + n):
        name = f"{rng.choice(prefixes)} {rng.choice(sectors)} {rng.choice(words)} {i}"
        tax = f"{300_000_000 + i:010d}"
        address = f"Thôn {rng.randint(1, 12)}"
        rows.append(
            {
                "name": name,
                "legal_form": rng.choice(forms),
                "tax_code": tax,
                "address": address,
                "unit_id": place(rng, communes),
                "sector": rng.choice(sectors),
                "employees": rng.randint(1, 300),
                "search_text": fold(f"{name} {tax} {address}"),
                "sort_name": sort_key(name),
                "created_by_id": creator.pk if creator else None,
            }
        )
    insert(Beneficiary, rows)


def build_programme(n: int, n_lines: int, n_reports: int, communes: list[int], rng: random.Random, *, offset=0):
    """n đề án (with a content and two establishments each), n_lines funding lines, n_reports submitted field
    reports, spread over the units and the years."""
    from django.utils import timezone

    from beneficiaries.models import Beneficiary
    from budgets.models import FundingLine
    from core.text import fold
    from field.models import FieldReport
    from projects.models import ActivityContent, Organisation, Project, ProjectStatus

    org = Organisation.objects.order_by("id").first()
    if org is None:
        org = Organisation.objects.create(name="Trung tâm Khuyến công thử tải")
    author = people()["officer"]
    contents = list(ActivityContent.objects.values_list("id", flat=True))
    statuses = ProjectStatus.values
    today = datetime.date(2025, 9, 1)
    topics = ["máy móc thiết bị", "đào tạo nghề", "hội chợ triển lãm", "sản phẩm tiêu biểu", "chuyển giao công nghệ"]
    rows = []
    for i in range(offset, offset + n):
        year = rng.choice(YEARS)
        start = datetime.date(year, rng.randint(1, 9), rng.randint(1, 28))
        code = f"B-{i:06d}"
        title = f"Hỗ trợ {rng.choice(topics)} số {i}"
        rows.append(
            {
                "code": code,
                "title": title,
                "level": rng.choice(["kcqg", "kcdp"]),
                "kind": rng.choice(["de_an"] * 5 + ["du_toan"]),
                "plan_year": year,
                "status": rng.choice(statuses),
                "unit_id": place(rng, communes),
                "implementing_unit_id": org.pk,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=rng.randint(90, 600)),
                "search_text": fold(f"{code} {title}"),
            }
        )
    insert(Project, rows)
    projects = list(
        Project.objects.filter(code__gte=f"B-{offset:06d}", code__lt=f"B-{offset + n:06d}").values_list(
            "id", "start_date"
        )
    )
    ids = [pid for pid, _ in projects]
    Through = Project.contents.through
    insert(Through, [{"project_id": pid, "activitycontent_id": rng.choice(contents)} for pid in ids])
    establishments = list(Beneficiary.objects.values_list("id", flat=True))
    Links = Project.beneficiaries.through
    insert(Links, [{"project_id": pid, "beneficiary_id": b} for pid in ids for b in rng.sample(establishments, 2)])
    pairs = [(s, c) for s in ("kcqg", "kcdp", "doi_ung", "khac") for c in ("thiet_bi", "dao_tao")]
    lines = []
    for k in range(n_lines):
        pid = ids[k % len(ids)]
        source, item = pairs[(k // len(ids)) % len(pairs)]
        approved = rng.randint(1, 500) * 1_000_000
        disbursed = rng.randint(0, approved // 1_000_000) * 1_000_000
        lines.append(
            {
                "project_id": pid,
                "source": source,
                "cost_item": item,
                "estimated_cost": approved,
                "approved_amount": approved,
                "disbursed_total": disbursed,
                "settled_amount": rng.choice([0, disbursed]),
            }
        )
    insert(FundingLine, lines)
    now = timezone.now()
    reports = []
    for k in range(n_reports):
        pid, start = projects[k % len(projects)]
        problem = rng.random() < 0.05
        reports.append(
            {
                "author_id": author.pk,
                "project_id": pid,
                "unit_id": place(rng, communes),
                "status": "submitted",
                "submitted_at": now,
                "visit_date": min(today, start + datetime.timedelta(days=rng.randint(0, 300))),
                "progress_percent": rng.randint(0, 100),
                "has_problem": problem,
                "problem": "Chậm tiến độ" if problem else "",
            }
        )
    insert(FieldReport, reports)


def national_data(scale: float = SCALE, *, rng: random.Random | None = None, grow_from: float = 0.0) -> dict:
    """Loads the data at `scale` (from `grow_from` if that much is loaded already: measure at 1/50, then grow to
    1.0 without starting again). Returns the units and counts."""
    from areas.models import AdministrativeUnit

    rng = rng or random.Random(2026 + int(grow_from * 1000))
    started = time.perf_counter()
    if not grow_from:
        build_units(rng)
        build_people()
    communes = list(
        AdministrativeUnit.objects.filter(depth__gte=1, valid_to__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    counts = {key: scaled(key, scale) - (scaled(key, grow_from) if grow_from else 0) for key in NATIONAL}
    build_establishments(
        counts["establishments"],
        communes,
        rng,
        offset=scaled("establishments", grow_from) if grow_from else 0,
        creator=people()["admin"],
    )
    build_programme(
        counts["projects"],
        counts["lines"],
        counts["reports"],
        communes,
        rng,
        offset=scaled("projects", grow_from) if grow_from else 0,
    )
    # COPY bypasses the services and signals: rebuild the pre-computed figures as `manage.py rebuild_aggregates` does.
    from budgets import figures

    figures.rebuild()
    vacuum_analyze()
    note(f"data at scale {scale} ({summary()}) on {connection.vendor} in {time.perf_counter() - started:.0f} s")
    return {"communes": communes, "province": AdministrativeUnit.objects.get(path=OFFICER_PROVINCE)}


def summary() -> str:
    from areas.models import AdministrativeUnit
    from beneficiaries.models import Beneficiary
    from budgets.models import FundingLine
    from field.models import FieldReport
    from projects.models import Project

    return (
        f"{Project.objects.count()} đề án, {FundingLine.objects.count()} funding lines, "
        f"{FieldReport.objects.count()} field reports, {Beneficiary.objects.count()} establishments, "
        f"{AdministrativeUnit.objects.count()} units"
    )
