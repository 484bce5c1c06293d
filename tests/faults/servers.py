"""Private servers for fault tests: a PostgreSQL cluster, a Redis and a gunicorn of the app, each on a free port
the OS gives, in its own temporary directory, stopped by its own PID. The shared servers (5432, 6379) are never
touched, so these tests run beside the rest of the suite and under pytest-xdist."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str):
    """A missing server binary: a failure in CI (CI=true), a skip on a developer's machine."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true và thiếu {what}", pytrace=False)
    pytest.skip(f"thiếu {what}")


def wait_until(check, *, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001,S110 — not up yet
            pass
        time.sleep(step)
    return False


class PrivatePostgres:
    """initdb into a fresh directory; listens on 127.0.0.1:<port> and a socket in that directory."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not bins:
            missing("PostgreSQL (/usr/lib/postgresql/*/bin/initdb)")
        self.bin = Path(bins[-1]).parent
        self.port = free_port()
        # initdb refuses to run as root: then the cluster belongs to the postgres account. tmp_path's parent is
        # private to root, hence a directory of our own under /tmp (removed by `remove`).
        self.dir = Path(tempfile.mkdtemp(prefix="kc-pg-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"

    def _run(self, *args, check=True):
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=60)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start")
        return self

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    @property
    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        return int(pidfile.read_text().split()[0]) if pidfile.exists() else None

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def copy_database(self, settings_dict: dict, name: str):
        """The (already migrated) test database, copied here with pg_dump | pg_restore: seconds, where running
        every migration again takes minutes on a busy machine."""
        env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        dump = subprocess.Popen(
            [
                str(self.bin / "pg_dump"),
                "-Fc",
                "--no-owner",
                "--no-acl",
                "-h",
                settings_dict.get("HOST") or "127.0.0.1",
                "-p",
                str(settings_dict.get("PORT") or 5432),
                "-U",
                settings_dict["USER"],
                settings_dict["NAME"],
            ],
            stdout=subprocess.PIPE,
            env=env,
        )
        restore = subprocess.run(
            [str(self.bin / "pg_restore"), "--no-owner", "--no-acl", "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", "postgres", "-d", name],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
            timeout=120,
        )
        dump.stdout.close()
        assert dump.wait(timeout=120) == 0 and restore.returncode == 0, restore.stderr[-2000:]

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    def __init__(self):
        self.exe = shutil.which("redis-server")
        if not self.exe:
            missing("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        assert wait_until(lambda: redis.Redis.from_url(self.url).ping(), timeout=10), "redis did not start"
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None


class Gunicorn:
    """The app in its own processes, as compose runs it (gunicorn, sync workers), on the given services."""

    def __init__(self, *, database_url: str, broker_url: str, media_root: Path, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(media_root),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONN_MAX_AGE": "60",
        }
        env.pop("PYTEST_XDIST_WORKER", None)
        self.log_path = media_root.parent / "gunicorn.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "khuyencong.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--timeout", "30", "--preload"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        # The sign-in page needs the database only (/healthz would wait on the broker some tests leave out). Booting
        # the app is slow on a busy 2-core machine; the fault itself is what the tests bound in time.
        login_page = self.base + "/accounts/login/"
        up = wait_until(lambda: requests.get(login_page, timeout=10).status_code == 200, timeout=180)
        assert up, "gunicorn did not answer its sign-in page:\n" + self.log_path.read_text()[-3000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


def signed_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/accounts/login/", timeout=10)
    response = session.post(
        base + "/accounts/login/",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
        headers={"Referer": base + "/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session
