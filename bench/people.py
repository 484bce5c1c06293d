"""The admin's users list and the unit picker at 3,500 units and 2,000 users: server time and queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_h13 .venv/bin/python bench/people.py

Creates a throwaway test database (test_<name>), migrates it and drops it at the end.
"""

import datetime as dt
import os
import random
import statistics
import time

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

UNITS = int(os.environ.get("BENCH_UNITS", 3500))
USERS = int(os.environ.get("BENCH_USERS", 2000))
RUNS = 15
WORDS = ["An", "Bình", "Hòa", "Tân", "Phú", "Đông", "Tây", "Nam", "Bắc", "Thịnh", "Hưng", "Lạc", "Phong", "Thủy"]


def _populate() -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from areas.models import AdministrativeUnit, UnitType
    from core.text import fold

    rng = random.Random(7)
    province = AdministrativeUnit.objects.filter(depth=0).first()
    existing = AdministrativeUnit.objects.count()
    new_units = []
    for i in range(max(0, UNITS - existing)):
        name = f"Xã {rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
        code = f"9{i:05d}"
        new_units.append(
            AdministrativeUnit(
                code=code,
                name=name,
                short_name=name[3:],
                unit_type=UnitType.COMMUNE,
                parent=province,
                path=f"{province.path}c{code}/",
                depth=1,
                valid_from=dt.date(2025, 7, 1),
                search_name=fold(name),
            )
        )
    AdministrativeUnit.objects.bulk_create(new_units, batch_size=1000)
    communes = list(AdministrativeUnit.objects.filter(depth__gte=1, valid_to__isnull=True).values_list("pk", flat=True))
    groups = {g.name: g for g in Group.objects.all()}
    password = make_password("x")
    users = [
        User(
            username=f"user{i:04d}",
            first_name=rng.choice(WORDS),
            last_name=f"Nguyễn {rng.choice(WORDS)}",
            email=f"user{i:04d}@example.vn",
            password=password,
            is_active=rng.random() > 0.1,
        )
        for i in range(USERS)
    ]
    from accounts.models import user_search_text

    for user in users:
        user.search_text = user_search_text(user)  # bulk_create skips save(), which keeps it for everyone else
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(username__startswith="user"))
    Membership = User.groups.through
    Area = User.areas.through
    memberships, areas = [], []
    for user in users:
        role = rng.choices([Role.AREA_OFFICER, Role.STAFF, Role.LEADER, Role.JUROR], weights=[70, 20, 5, 5])[0]
        memberships.append(Membership(user_id=user.pk, group_id=groups[role].pk))
        if role == Role.AREA_OFFICER:
            for unit_id in rng.sample(communes, 3):
                areas.append(Area(user_id=user.pk, administrativeunit_id=unit_id))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Area.objects.bulk_create(areas, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _time(client, url, params) -> float:
    client.get(url, params)  # warm
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples)


def run() -> None:
    from accounts.roles import Role
    from areas.models import AdministrativeUnit
    from tests.factories import UserFactory

    admin = UserFactory(username="bench-admin", role=Role.ADMIN)
    started = time.perf_counter()
    _populate()
    print(
        f"database: {connection.vendor}; {AdministrativeUnit.objects.count()} units, "
        f"{USERS} users in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    users_plain = _time(client, "/quan-tri/nguoi-dung/", {})
    users_filtered = _time(client, "/quan-tri/nguoi-dung/", {"role": Role.AREA_OFFICER, "active": "1", "q": "nguyen"})
    users_searched = _time(client, "/quan-tri/nguoi-dung/", {"q": "nguyen hoa"})
    users_last = _time(client, "/quan-tri/nguoi-dung/", {"page": USERS // 50})
    picker = _time(client, "/dia-ban/tim/", {"q": "hoa binh", "current": "1"})
    picker_empty = _time(client, "/dia-ban/tim/", {"current": "1"})
    historical = _time(client, "/quan-tri/don-vi/tim/", {"q": "thuy", "historical": "1"})
    counts = {}
    for page in (1, USERS // 50):
        with CaptureQueriesContext(connection) as queries:
            client.get("/quan-tri/nguoi-dung/", {"page": page})
        counts[page] = len(queries)
    print(f"users list filtered: {users_filtered:.1f} ms; last page: {users_last:.1f} ms")
    print(f"unit picker without words: {picker_empty:.1f} ms; historical picker: {historical:.1f} ms")
    print(f"queries: {counts[1]} on page 1, {counts[USERS // 50]} on the last page")
    print(f"BENCH users_list_ms {users_plain:.1f} ms")
    print(f"BENCH users_list_filtered_ms {users_filtered:.1f} ms")
    print(f"BENCH users_list_searched_ms {users_searched:.1f} ms")
    print(f"BENCH unit_picker_ms {picker:.1f} ms")
    print(f"BENCH users_list_queries {counts[1]} queries")


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        run()
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
