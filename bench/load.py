"""Fifty people at once on production-like processes, national-scale data.

Starts what compose runs — gunicorn with the production settings (`--workers 2 × cores + 1`, `--timeout 60`) and a
Celery worker — on a bench database holding the national data (bench/_common.py, BENCH_SCALE), signs in 50 users
(30 staff, 10 area officers, 5 leaders, 5 admins) through the real two-step sign-in (password, then a TOTP code
from a device created for each: production requires the second factor and the bench does not turn it off), then:

1. `/healthz` alone from 50 concurrent clients for BENCH_HEALTHZ_SECONDS (10): `BENCH healthz_rps`; then the 50
   users on the lightest page in the site's layout (their notices, /thong-bao/) for as long: `BENCH layout_rps`,
   `BENCH layout_p95_ms`, `BENCH layout_rps_vs_healthz` — the ceiling of any signed-in page on this machine;
2. the mix for BENCH_LOAD_SECONDS (90): every user in a loop, no think time, over home, lists with filters and
   diacritic-free search, details, money summary, dashboard, map, field index, an officer filing a field report,
   a document request. Prints per page p50/p95/p99/errors and

    BENCH load_p95_ms, BENCH load_p50_ms, BENCH load_rps, BENCH load_errors, BENCH healthz_rps,
    BENCH load_rps_vs_healthz (the mix's throughput as a percentage of the health check's)

   That run is saturated: no user waits between clicks, so every request queues behind the other 49 (by Little's
   law the median is about 50 / throughput) and it measures the server's capacity.
3. the same users for BENCH_PACED_SECONDS (60) pausing 1–3 s before each click, as people read a page: the wait
   a person sees while everyone works. Per page table and

    BENCH load_paced_p50_ms, BENCH load_paced_p95_ms, BENCH load_paced_p99_ms, BENCH load_paced_rps,
    BENCH load_paced_errors

Loopback only. Requests carry what the compose proxy (Caddy) adds: `X-Forwarded-Proto: https` and each user's own
`X-Forwarded-For` address, so the production settings (HTTPS redirect, secure cookies, per-address rate limits) stay
as they are. The production settings get what they require: SECRET_KEY, ALLOWED_HOSTS, the broker and a Redis cache
(CELERY_BROKER_URL, default redis://127.0.0.1:6379/<BENCH_REDIS_DB>), an SMTP URL (nothing is mailed by the mix).
Everything it starts it stops, by PID. Exit 1 when any request failed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_x CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \
        .venv/bin/python bench/load.py
    BENCH_LOAD_SECONDS=20 BENCH_SCALE=0.1 … (a quick run)
"""

import asyncio
import datetime
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict

import _common
from _common import ROOT, bench_line, note

PORT = int(os.environ.get("BENCH_PORT", "8104"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "90"))
HEALTHZ_SECONDS = float(os.environ.get("BENCH_HEALTHZ_SECONDS", "10"))
# After the saturated run, the same users for BENCH_PACED_SECONDS (60; 0 skips it) with a pause of 1–3 s before each
# click: the latency a person sees while 49 colleagues work, rather than the server's capacity.
PACED_SECONDS = float(os.environ.get("BENCH_PACED_SECONDS", "60"))
THINK = (1.0, 3.0)
BROKER = os.environ.get("CELERY_BROKER_URL") or f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '4')}"
WORKERS = 2 * (os.cpu_count() or 1) + 1
PASSWORD = "tai-thu-" + secrets.token_hex(8)
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = f"https://127.0.0.1:{PORT}"
PEOPLE = {"staff": 30, "area_officer": 10, "leader": 5, "admin": 5}
TIMEOUT = 60


# --- set-up (Django, in this process) ---------------------------------------------------------------------------


def make_users(province) -> list[dict]:
    """50 users with a password and a confirmed TOTP device each (the key is kept to compute the code)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils.crypto import get_random_string
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.roles import Role
    from tests.factories import UserFactory

    # The production hasher (this process runs the test settings, whose fast MD5 hasher production refuses).
    encoded = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(22))
    users = []
    for role, count in PEOPLE.items():
        for i in range(count):
            areas = [province] if role == Role.AREA_OFFICER else []
            # A kept bench database (BENCH_KEEPDB=1) still holds the users of the last run, with the reports and
            # documents they made (which protect them from deletion): they are taken again, with a new device.
            user = User.objects.filter(username=f"load_{role}_{i}").first() or UserFactory(
                username=f"load_{role}_{i}", role=role, areas=areas
            )
            user.password = encoded
            user.save(update_fields=["password"])
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
            users.append({"username": user.username, "role": role, "device": device, "ip": f"10.18.{len(users)}.7"})
    return users


def targets(province) -> dict:
    """Ids the mix visits: đề án and establishments in the officer's province (visible to everyone) and the
    đề án an officer may report on."""
    from accounts.models import User
    from beneficiaries.models import Beneficiary
    from field.selectors import reportable_projects
    from projects.models import Project

    officer = User.objects.get(username="load_area_officer_0")
    return {
        "projects": list(
            Project.objects.filter(unit__path__startswith=province.path)
            .order_by("id")
            .values_list("id", flat=True)[:300]
        ),
        "establishments": list(
            Beneficiary.objects.filter(unit__path__startswith=province.path)
            .order_by("id")
            .values_list("id", flat=True)[:300]
        ),
        "reportable": [p.pk for p in reportable_projects(user=officer)[:200]],
    }


def code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- the processes ------------------------------------------------------------------------------------------------


def static_dir() -> str:
    """Where the production static files (hashed names, compressed: minutes on a loaded 2-core machine) are
    collected once and kept for later runs, named by the sources' paths, sizes and times."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("static/**/*"), *ROOT.glob("*/static/**/*")]):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    digest.update(sys.prefix.encode())
    return os.path.join(tempfile.gettempdir(), f"kc-bench-static-{digest.hexdigest()[:12]}")


def production_env(static_root: str, media_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="khuyencong.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CELERY_BROKER_URL=BROKER,
        # A cache of its own for each run (core.figures_cache): the first requests compute, as after a deployment.
        CACHE_URL=f"{BROKER}{'&' if '?' in BROKER else '?'}key_prefix=kc-load-{secrets.token_hex(4)}",
        EMAIL_URL="smtp://127.0.0.1:2525",
        STATIC_ROOT=static_root,
        MEDIA_ROOT=media_root,
        SITE_URL=ORIGIN,
        LOG_LEVEL="WARNING",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DB_STATEMENT_TIMEOUT_MS", None)  # production's own web statement timeout
    return env


def start(name: str, argv: list[str], env: dict, log) -> subprocess.Popen:
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    note(f"started {name} (pid {process.pid})")
    return process


def stop(name: str, process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    note(f"stopped {name} (pid {process.pid})")


# --- the load generator -------------------------------------------------------------------------------------------


class Session:
    """One person's browser: cookies kept by hand (the production cookies are Secure and the loopback is plain
    HTTP behind a pretend proxy), the proxy's headers, the CSRF token."""

    def __init__(self, http, user):
        self.http = http
        self.user = user
        self.cookies = {}

    def headers(self, extra=None):
        h = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.user["ip"]}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**h, **(extra or {})}

    def keep(self, response):
        for name, morsel in response.cookies.items():
            if morsel.value:
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)

    async def get(self, path, params=None):
        async with self.http.get(BASE + path, params=params, headers=self.headers(), allow_redirects=False) as response:
            body = await response.read()
            self.keep(response)
            return response.status, body

    async def post(self, path, data):
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        extra = {"Origin": ORIGIN, "Referer": ORIGIN + path}
        async with self.http.post(BASE + path, data=data, headers=self.headers(extra), allow_redirects=False) as r:
            body = await r.read()
            self.keep(r)
            return r.status, r.headers.get("Location", ""), body

    async def login(self):
        status, _ = await self.get("/accounts/login/")
        assert status == 200, f"login page {status}"
        status, location, body = await self.post(
            "/accounts/login/",
            {"login_view-current_step": "auth", "auth-username": self.user["username"], "auth-password": PASSWORD},
        )
        assert status == 200 and b"token-otp_token" in body, f"{self.user['username']}: password step {status}"
        status, location, body = await self.post(
            "/accounts/login/", {"login_view-current_step": "token", "token-otp_token": code(self.user["device"])}
        )
        assert status == 302, f"{self.user['username']}: code step {status}"
        status, _ = await self.get("/")
        assert status == 200, f"{self.user['username']}: home after sign-in {status}"


def mix(role: str, ids: dict, rng: random.Random) -> list[tuple[int, str, object]]:
    """(weight, page name, action) for a role; an action returns (method, path, params/data)."""
    project = lambda: f"/de-an/{rng.choice(ids['projects'])}/"  # noqa: E731
    establishment = lambda: f"/co-so/{rng.choice(ids['establishments'])}/"  # noqa: E731
    pages = [
        (6, "home", lambda: ("GET", "/", None)),
        (4, "establishment_list", lambda: ("GET", "/co-so/", {"legal_form": "hop_tac_xa", "page": rng.randint(1, 5)})),
        (4, "establishment_search", lambda: ("GET", "/co-so/", {"q": rng.choice(["co khi", "nuoc mam", "det may"])})),
        (4, "project_list", lambda: ("GET", "/de-an/", {"year": rng.choice([2023, 2024, 2025]), "level": "kcdp"})),
        (4, "project_search", lambda: ("GET", "/de-an/", {"q": rng.choice(["may moc", "dao tao nghe", "hoi cho"])})),
        (6, "project_detail", lambda: ("GET", project(), None)),
        (5, "establishment_detail", lambda: ("GET", establishment(), None)),
        (3, "field_index", lambda: ("GET", "/kiem-tra/", None)),
    ]
    if role != "area_officer":
        pages += [
            (3, "money_summary", lambda: ("GET", "/kinh-phi/", {"year": rng.choice([2024, 2025])})),
            (3, "dashboard", lambda: ("GET", "/theo-doi/", {"year": rng.choice([2024, 2025])})),
            (2, "map", lambda: ("GET", "/theo-doi/ban-do/", {"year": rng.choice([2024, 2025])})),
        ]
    if role in ("staff", "area_officer"):
        pages.append(
            (
                1,
                "document_request",
                lambda: (
                    "POST",
                    "/van-ban/yeu-cau/",
                    {"kind": "beneficiary_sheet", "beneficiary": rng.choice(ids["establishments"])},
                ),
            )
        )
    if role == "area_officer" and ids["reportable"]:
        pages.append((3, "field_report", lambda: ("REPORT", rng.choice(ids["reportable"]), None)))
    return pages


async def file_report(session: Session, project_id: int, rng) -> tuple[int, bytes]:
    path = f"/kiem-tra/de-an/{project_id}/bao-cao/moi/"
    status, _ = await session.get(path)
    if status != 200:
        return status, b""
    data = {
        "client_id": str(uuid.uuid4()),
        "visit_date": datetime.date.today().strftime("%d/%m/%Y"),
        "progress_percent": str(rng.randint(0, 100)),
        "observations": "Đoàn đã đến cơ sở, máy móc vận hành bình thường.",
        "intent": "submit",
    }
    status, location, body = await session.post(path, data)
    return (200 if status == 302 and "/bao-cao/" in location else status), body


async def user_loop(session, pages, rng, deadline, results, think=None):
    """One user clicking until the deadline: at once after each answer (think=None, the saturated run), or after
    a pause drawn uniformly from `think` = (low, high) seconds, as a person reads the page before the next click."""
    weights = [w for w, _, _ in pages]
    while time.monotonic() < deadline:
        if think:
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= deadline:
                break
        _, name, action = rng.choices(pages, weights)[0]
        method, path, params = action()
        started = time.perf_counter()
        try:
            if method == "GET":
                status, _ = await session.get(path, params)
            elif method == "POST":
                status, location, _ = await session.post(path, params)
                status = 200 if status == 302 else status
            else:
                status, _ = await file_report(session, path, rng)
        except Exception as exc:  # noqa: BLE001 — a timeout or a reset is an error of the run, not of the bench
            status = f"{type(exc).__name__}"
        results[name].append(((time.perf_counter() - started) * 1000, status))


async def healthz_loop(http, deadline, counter):
    while time.monotonic() < deadline:
        async with http.get(BASE + "/healthz", headers={"X-Forwarded-Proto": "https"}) as response:
            await response.read()
            counter[response.status] += 1


async def layout_loop(session, deadline, results):
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status, _ = await session.get("/thong-bao/")
        results["layout"].append(((time.perf_counter() - started) * 1000, status))


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def mix_phase(sessions, ids, seconds: float, think) -> dict:
    results = defaultdict(list)
    rng = random.Random(18)
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(
            user_loop(
                s, mix(s.user["role"], ids, random.Random(rng.random())), random.Random(i), deadline, results, think
            )
            for i, s in enumerate(sessions)
        )
    )
    return results


def print_table(results: dict) -> None:
    print(f"{'page':24} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>6}")
    for name in sorted(results):
        times = [ms for ms, _ in results[name]]
        bad = [status for _, status in results[name] if status != 200]
        print(
            f"{name:24} {len(times):6d} {pct(times, 50):8.0f} {pct(times, 95):8.0f} {pct(times, 99):8.0f} "
            f"{len(bad):6d}{'  ' + ', '.join(sorted({str(b) for b in bad})) if bad else ''}"
        )


async def drive(users, ids) -> int:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=len(users) + 5)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http:
        for _ in range(360):  # gunicorn up (its workers import Django) and the database reachable
            try:
                async with http.get(BASE + "/healthz", headers={"X-Forwarded-Proto": "https"}) as r:
                    if r.status == 200:
                        break
            except (TimeoutError, aiohttp.ClientError):
                pass
            await asyncio.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer /healthz")
        sessions = [Session(http, user) for user in users]
        started = time.perf_counter()
        for i in range(0, len(sessions), 10):
            await asyncio.gather(*(s.login() for s in sessions[i : i + 10]))
        note(f"{len(sessions)} users signed in (password + TOTP) in {time.perf_counter() - started:.1f} s")

        counter = defaultdict(int)
        deadline = time.monotonic() + HEALTHZ_SECONDS
        started = time.perf_counter()
        await asyncio.gather(*(healthz_loop(http, deadline, counter) for _ in users))
        healthz_rps = sum(counter.values()) / (time.perf_counter() - started)

        # The floor of any page in the site's layout: the same users on the lightest signed-in page (their
        # notices) — session, sign-in and second-factor checks, navigation, the base template.
        floor = defaultdict(list)
        deadline = time.monotonic() + HEALTHZ_SECONDS
        started = time.perf_counter()
        await asyncio.gather(*(layout_loop(s, deadline, floor) for s in sessions))
        layout_rps = len(floor["layout"]) / (time.perf_counter() - started)

        started = time.perf_counter()
        results = await mix_phase(sessions, ids, LOAD_SECONDS, None)
        elapsed = time.perf_counter() - started  # the last answers arrive after the deadline
        started = time.perf_counter()
        paced = await mix_phase(sessions, ids, PACED_SECONDS, THINK) if PACED_SECONDS > 0 else None
        paced_elapsed = time.perf_counter() - started

    everything = [ms for rows in results.values() for ms, _ in rows]
    errors = sum(1 for rows in results.values() for _, status in rows if status != 200)
    print_table(results)
    load_rps = len(everything) / elapsed
    if healthz_rps and counter.get(200, 0) != sum(counter.values()):
        note(f"healthz answers: {dict(counter)}")
    bench_line("load_p50_ms", statistics.median(everything), "ms")
    bench_line("load_p95_ms", pct(everything, 95), "ms")
    bench_line("load_p99_ms", pct(everything, 99), "ms")
    bench_line("load_rps", load_rps, "requests/s")
    bench_line("load_errors", errors, "errors")
    bench_line("healthz_rps", healthz_rps, "requests/s")
    bench_line("load_rps_vs_healthz", 100 * load_rps / healthz_rps, "%")
    floor_times = [ms for ms, _ in floor["layout"]]
    errors += sum(1 for _, status in floor["layout"] if status != 200)
    bench_line("layout_rps", layout_rps, "requests/s")
    bench_line("layout_p95_ms", pct(floor_times, 95), "ms")
    bench_line("layout_rps_vs_healthz", 100 * layout_rps / healthz_rps, "%")
    if paced is not None:
        note(f"paced: the same {len(sessions)} users, each pausing {THINK[0]:g}–{THINK[1]:g} s before every click")
        print_table(paced)
        times = [ms for rows in paced.values() for ms, _ in rows]
        paced_errors = sum(1 for rows in paced.values() for _, status in rows if status != 200)
        bench_line("load_paced_p50_ms", statistics.median(times), "ms")
        bench_line("load_paced_p95_ms", pct(times, 95), "ms")
        bench_line("load_paced_p99_ms", pct(times, 99), "ms")
        bench_line("load_paced_rps", len(times) / paced_elapsed, "requests/s")
        bench_line("load_paced_errors", paced_errors, "errors")
        errors += paced_errors
    return errors


def run() -> int:
    with _common.bench_database("bench_load") as reused:
        data = _common.national_data() if not reused else None
        from areas.models import AdministrativeUnit

        province = data["province"] if data else AdministrativeUnit.objects.get(path=_common.OFFICER_PROVINCE)
        users = make_users(province)
        ids = targets(province)
        from django.db import connection

        connection.close()
        work = tempfile.mkdtemp(prefix="kc-load-")
        static_root, media_root = static_dir(), os.path.join(work, "media")
        env = production_env(static_root, media_root)
        if not os.path.exists(os.path.join(static_root, "staticfiles.json")):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
            )
            note(f"collectstatic (manifest storage, as the image builds it) in {time.perf_counter() - started:.0f} s")
        log_path = os.path.join(work, "processes.log")
        processes = []
        with open(log_path, "w") as log:
            try:
                processes.append(
                    (
                        "gunicorn",
                        start(
                            "gunicorn",
                            [
                                os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                                "khuyencong.wsgi:application",
                                "--bind",
                                f"127.0.0.1:{PORT}",
                                "--workers",
                                str(WORKERS),
                                "--timeout",
                                "60",
                            ],
                            env,
                            log,
                        ),
                    )
                )
                processes.append(
                    (
                        "celery worker",
                        start(
                            "celery worker",
                            [
                                os.path.join(os.path.dirname(sys.executable), "celery"),
                                "-A",
                                "khuyencong",
                                "worker",
                                "-l",
                                "warning",
                                "--concurrency",
                                "1",
                            ],
                            env,
                            log,
                        ),
                    )
                )
                errors = asyncio.run(drive(users, ids))
            finally:
                for name, process in reversed(processes):
                    stop(name, process)
        with open(log_path) as log:
            tail = log.read()[-3000:]
        if errors:
            note(f"process log ({log_path}):\n{tail}")
        else:
            import shutil

            shutil.rmtree(work, ignore_errors=True)  # the media and the log of this run (the static files stay)
        return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(run())
