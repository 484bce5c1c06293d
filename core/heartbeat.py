"""Worker heartbeat: beat sends `core.heartbeat.beat` every 30 s; the worker that runs it writes the time into Redis
(the broker) under a key that expires, so `/healthz` and the admin home can tell a worker that consumes from one that
is absent or stuck (every worker busy for minutes counts as stuck: nothing picks up the queue)."""

from __future__ import annotations

import socket
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

KEY_PREFIX = "khuyencong:worker-heartbeat:"  # the default; settings.WORKER_HEARTBEAT_KEY_PREFIX overrides it
INTERVAL_SECONDS = 30
STALE_AFTER_SECONDS = 120
KEEP_SECONDS = 24 * 3600  # an absent worker's last sign of life is kept a day, then forgotten


def key_prefix() -> str:
    """The keys' prefix: a test run under pytest-xdist gives each of its workers its own (khuyencong.settings.test)."""
    return getattr(settings, "WORKER_HEARTBEAT_KEY_PREFIX", KEY_PREFIX)


def _redis():
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)


@shared_task(ignore_result=True, acks_late=False, time_limit=10, expires=INTERVAL_SECONDS * 2)
def beat(hostname: str | None = None) -> None:
    """Run by a worker: record that it is consuming now."""
    host = hostname or getattr(beat.request, "hostname", None) or socket.gethostname()
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        return
    _redis().set(key_prefix() + host, timezone.now().isoformat(), ex=KEEP_SECONDS)


def worker_status(now: datetime | None = None) -> dict:
    """{"status": ok | stale | absent | eager | unknown, "last_seen": iso or None, "workers": {host: iso}}."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "eager", "last_seen": None, "workers": {}}
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        return {"status": "unknown", "last_seen": None, "workers": {}}
    client = _redis()
    prefix = key_prefix()
    keys = list(client.scan_iter(match=prefix + "*", count=100))
    workers = {}
    for key, value in zip(keys, client.mget(keys) if keys else [], strict=True):
        if value:
            workers[key.decode()[len(prefix) :]] = value.decode()
    if not workers:
        return {"status": "absent", "last_seen": None, "workers": {}}
    last = max(datetime.fromisoformat(v) for v in workers.values())
    age = ((now or timezone.now()) - last).total_seconds()
    return {
        "status": "ok" if age <= STALE_AFTER_SECONDS else "stale",
        "last_seen": last.isoformat(),
        "workers": workers,
    }


def worker_health(now: datetime | None = None) -> dict:
    """`worker_status` for a page: never raises. A broker that cannot be asked is its own state ("unreachable"),
    since then nothing tells whether a worker runs — and nothing can be queued either."""
    try:
        status = worker_status(now)
    except Exception as exc:  # noqa: BLE001 — any failure to ask Redis is shown, not raised into the page
        return {
            "status": "unreachable",
            "last_seen": None,
            "workers": {},
            "last_seen_at": None,
            "error": f"{type(exc).__name__}: {exc}",
        }
    # The page prints the time in the user's zone; the JSON of /healthz keeps the ISO text.
    status["last_seen_at"] = datetime.fromisoformat(status["last_seen"]) if status["last_seen"] else None
    return status
