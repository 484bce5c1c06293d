"""PostgreSQL stopped under a steady trickle of page views and writes: every answer during the outage is the
Vietnamese 503 with Retry-After (never a raw 500), the app recovers by itself once the database is back, and no
accepted write is lost or half-written.

A private cluster (initdb into a temporary directory, its own port), a copy of the migrated test database and a
gunicorn of the app; the shared server on 5432 is only read once, by pg_dump."""

import threading
import time
from dataclasses import dataclass

import pytest
import requests
from django.db import connection

from beneficiaries.models import LegalForm
from tests.conftest import AREA_A
from tests.factories import UserFactory, first_commune
from tests.faults.servers import Gunicorn, PrivatePostgres

pytestmark = pytest.mark.faults

UNAVAILABLE = "Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút"
OUTAGE_SECONDS = 6


@dataclass
class Answer:
    kind: str  # "get" or "post"
    name: str
    started: float
    ended: float
    status: int
    retry_after: str | None
    unavailable_page: bool


def _trickle(session, base, unit_pk, stop, answers):
    token = session.cookies["csrftoken"]
    n = 0
    while not stop.is_set():
        n += 1
        started = time.monotonic()
        name = ""
        try:
            if n % 2:
                response = session.get(base + "/co-so/", timeout=10, allow_redirects=False)
            else:
                name = f"Cơ sở thử sự cố số {n}"
                response = session.post(
                    base + "/co-so/new/",
                    data={
                        "csrfmiddlewaretoken": token,
                        "name": name,
                        "legal_form": LegalForm.HOUSEHOLD,
                        "tax_code": f"07{n:08d}",
                        "address": "Thôn 3",
                        "unit": unit_pk,
                        "sector": "Cơ khí",
                        "employees": "5",
                    },
                    headers={"Referer": base + "/co-so/new/"},
                    timeout=10,
                    allow_redirects=False,
                )
        except requests.RequestException as exc:  # a refused or dropped connection is a failure of the app too
            answers.append(Answer("error", name, started, time.monotonic(), 0, None, False))
            answers[-1].error = repr(exc)
            continue
        answers.append(
            Answer(
                "post" if name else "get",
                name,
                started,
                time.monotonic(),
                response.status_code,
                response.headers.get("Retry-After"),
                UNAVAILABLE in response.text,
            )
        )
        time.sleep(0.05)


@pytest.fixture
def app_on_private_postgres(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL: cơ sở dữ liệu thử được sao sang máy chủ riêng bằng pg_dump")
    staff = UserFactory(username=f"nvsuco{time.monotonic_ns() % 10**6}", role="staff")
    pg = PrivatePostgres().init().start()
    try:
        pg.copy_database(connection.settings_dict, "kc_fault")
        (tmp_path / "media").mkdir()
        # No broker: creating an establishment enqueues nothing that must reach it.
        media = tmp_path / "media"
        app = Gunicorn(database_url=pg.url("kc_fault"), broker_url="redis://127.0.0.1:1/0", media_root=media)
        try:
            yield pg, app, staff
        finally:
            app.stop()
    finally:
        pg.remove()


def _rows(pg, prefix):
    import psycopg

    with psycopg.connect(pg.url("kc_fault")) as conn:
        rows = conn.execute(
            "select b.name, b.tax_code, b.employees,"
            " (select count(*) from beneficiaries_historicalbeneficiary h where h.id = b.id)"
            " from beneficiaries_beneficiary b where b.name like %s",
            [prefix + "%"],
        ).fetchall()
    return {name: (tax_code, employees, history) for name, tax_code, employees, history in rows}


def test_postgres_stopped_for_seconds_answers_503_then_recovers_and_keeps_every_accepted_write(
    app_on_private_postgres,
):
    from tests.faults.servers import signed_in

    pg, app, staff = app_on_private_postgres
    unit_pk = first_commune(AREA_A).pk
    session = signed_in(app.base, staff.username, "matkhau-123")
    session.get(app.base + "/co-so/new/", timeout=10)

    answers: list[Answer] = []
    stop = threading.Event()
    thread = threading.Thread(target=_trickle, args=(session, app.base, unit_pk, stop, answers), daemon=True)
    began = time.monotonic()
    thread.start()
    time.sleep(3)
    pid = pg.pid
    pg.stop()  # pg_ctl stop -m fast on this cluster's own data directory
    down_from = time.monotonic()
    assert pid and pg.pid is None
    time.sleep(OUTAGE_SECONDS)
    down_until = time.monotonic()
    pg.start()
    time.sleep(5)
    stop.set()
    thread.join(timeout=15)
    assert time.monotonic() - began < 40

    errors = [a for a in answers if a.kind == "error"]
    assert errors == [], [getattr(a, "error", "") for a in errors]
    assert {a.status for a in answers} <= {200, 302, 503}, sorted({a.status for a in answers})
    during = [a for a in answers if a.started >= down_from and a.ended <= down_until]
    assert len(during) >= 3, len(during)
    assert all(a.status == 503 for a in during), [(a.kind, a.status) for a in during if a.status != 503]
    for a in answers:
        if a.status == 503:
            assert a.retry_after == "30" and a.unavailable_page, a
    before = [a for a in answers if a.ended < down_from]
    assert before and all(a.status in (200, 302) for a in before)
    # Recovery: the last two seconds answer normally again (a dead pooled connection may cost one 503 first).
    last = [a for a in answers if a.started >= answers[-1].started - 2]
    assert last and all(a.status in (200, 302) for a in last), [(a.kind, a.status) for a in last]

    rows = _rows(pg, "Cơ sở thử sự cố số ")
    accepted = [a.name for a in answers if a.kind == "post" and a.status == 302]
    refused = [a.name for a in answers if a.kind == "post" and a.status == 503]
    assert accepted and refused
    for name in accepted:  # every accepted write is there, whole, with its history row
        assert name in rows, name
    for name, (tax_code, employees, history) in rows.items():
        assert tax_code.startswith("07") and employees == 5 and history == 1, name
    # A refused write left nothing (or, if it committed before the page failed, a whole row as above).
    assert set(rows) <= set(accepted) | set(refused)
