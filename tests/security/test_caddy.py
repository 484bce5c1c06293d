"""The project's deploy/Caddyfile really run (Debian's caddy) in front of a gunicorn with production settings.

Only the Caddyfile's variables change (site address, free ports, upstream; `tls internal` as in a trial set-up):
HTTPS answers with the login page, HTTP is redirected to HTTPS, the security headers the deployment promises
arrive, static files are served, the body size limit holds, and Django sees HTTPS and the client's address only
through what Caddy sets (no redirect loop under SECURE_SSL_REDIRECT, a forged X-Forwarded-For is not believed).
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from accounts.models import AccessAction, AccessEvent

ROOT = Path(__file__).resolve().parents[2]
CADDY = shutil.which("caddy")

pytestmark = pytest.mark.caddy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, log: Path, **kwargs) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} stopped:\n{log.read_text()[-3000:]}")
        try:
            session = requests.Session()
            session.trust_env = False
            session.get(url, timeout=10, allow_redirects=False, **kwargs)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="module")
def site(django_db_setup, tmp_path_factory):
    """https://localhost:<port> served by Caddy, proxying to gunicorn on another free port (both started once for
    this module, on the test database, and stopped by PID)."""
    tmp_path = tmp_path_factory.mktemp("caddy")
    if CADDY is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true và không có caddy (apt-get install caddy)", pytrace=False)
        pytest.skip("caddy is not installed (apt-get install caddy)")
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn must open the test database from another process: PostgreSQL only")
    https, http, admin, upstream = (_free_port() for _ in range(4))
    origin = f"https://localhost:{https}"
    dropped = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.security.proxy_settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=_database_url(),
        CELERY_BROKER_URL=os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15",
        CACHE_URL="dummycache://",
        EMAIL_URL="smtp://127.0.0.1:1025",
        ALLOWED_HOSTS="localhost",
        SITE_URL=origin,
    )
    gunicorn_log = tmp_path / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "khuyencong.wsgi:application", "--bind", f"127.0.0.1:{upstream}",
         "--workers", "1", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=gunicorn_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    caddy_log = tmp_path / "caddy.log"
    caddy_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SITE_ADDRESS": f"localhost:{https}",
        "CADDY_TLS": "internal",
        "CADDY_HTTP_PORT": str(http),
        "CADDY_HTTPS_PORT": str(https),
        "CADDY_ADMIN": f"localhost:{admin}",
        "CADDY_UPSTREAM": f"127.0.0.1:{upstream}",
    }
    caddy = subprocess.Popen(
        [CADDY, "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        cwd=tmp_path, env=caddy_env, stdout=caddy_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{upstream}/healthz", gunicorn, gunicorn_log)
        root_ca = tmp_path / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 30
        while not root_ca.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        _wait(f"{origin}/healthz", caddy, caddy_log, verify=str(root_ca))
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE or a proxy from the environment would take over
        session.verify = str(root_ca)  # Caddy's own CA: the certificate is checked, not ignored
        yield type(
            "Site",
            (),
            {"origin": origin, "http": f"http://localhost:{http}", "session": session, "caddy_log": caddy_log},
        )
    finally:
        _stop(caddy)
        _stop(gunicorn)


def test_https_answers_with_the_login_page_and_django_sees_https(site):
    response = site.session.get(f"{site.origin}/", timeout=20)
    assert response.status_code == 200
    assert response.url.startswith(f"{site.origin}/accounts/login/")
    # SECURE_SSL_REDIRECT is on: had Django not seen https through X-Forwarded-Proto, it would have sent the
    # browser round again (a loop); it redirected to the login page only, and never to http://.
    assert all(r.headers.get("Location", "").startswith(("/", site.origin)) for r in response.history)
    assert len(response.history) <= 2
    assert 'name="csrfmiddlewaretoken"' in response.text and "password" in response.text


def test_http_is_redirected_to_https(site):
    response = site.session.get(f"{site.http}/accounts/login/?next=/", allow_redirects=False, timeout=20)
    assert response.status_code == 308
    # Caddy's automatic redirect names the standard HTTPS port (443, what compose publishes), not the test's.
    assert response.headers["Location"] == "https://localhost/accounts/login/?next=/"


def test_the_security_headers_the_deployment_promises_arrive(site):
    response = site.session.get(f"{site.origin}/accounts/login/", timeout=20)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    for cookie in response.cookies:
        assert cookie.secure, cookie.name


def test_static_files_are_served_compressed(site):
    response = site.session.get(f"{site.origin}/static/css/app.css", headers={"Accept-Encoding": "gzip"}, timeout=20)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "@media print" in response.text
    assert site.session.get(f"{site.origin}/static/css/nothing-here.css", timeout=20).status_code == 404


def test_a_body_over_the_limit_is_cut_by_the_proxy(site):
    adapted = subprocess.run(
        [CADDY, "adapt", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True, text=True, timeout=30, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )  # fmt: skip
    assert '"max_size":25000000' in adapted.stdout
    before = site.caddy_log.read_text()  # what Caddy logs about this upload, for the failure message
    try:
        status = site.session.post(
            f"{site.origin}/accounts/login/", data=b"x" * (26 * 1000 * 1000), timeout=60
        ).status_code
    except requests.ConnectionError:
        status = None  # the stream was reset mid-upload
    # Caddy 2.6 resets the stream once the body passes 25 MB (2.7 and later answer 413). Gunicorn closes early
    # on such a body as well, so this live check alone would not notice a missing limit: the adapted config
    # above does.
    assert status in (None, 413), (status, site.caddy_log.read_text()[len(before) :][-2000:])


def test_django_sees_the_address_caddy_saw_not_a_forged_one(transactional_db, site):
    login = f"{site.origin}/accounts/login/"
    page = site.session.get(login, timeout=20)
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = site.session.post(
        login,
        data={
            "csrfmiddlewaretoken": token,
            "login_view-current_step": "auth",
            "auth-username": "nobody",
            "auth-password": "wrong-password",
        },
        # Over https Django checks the Referer (it would not over http): another sign it sees the scheme.
        headers={"Referer": login, "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"},
        timeout=20,
    )
    assert response.status_code == 200, response.text[:500]
    event = AccessEvent.objects.get(action=AccessAction.LOGIN_FAILED)
    assert event.ip_address == "127.0.0.1"
