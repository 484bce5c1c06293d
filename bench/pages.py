"""Every main page, one request at a time, at national scale: a department-wide staff member (no area filter) and
one province's officer.

Loads 1/50 of the national data, counts each page's queries, grows the data to BENCH_SCALE (1.0 = national: 50,012
đề án, 200,020 funding lines, 100,004 field reports, 100,018 establishments, 4,360 units), counts again and times
each page (median of BENCH_RUNS after a warm-up). Prints per page and viewer:

    BENCH <page>_ms <median> ms            (staff; officer pages are officer_<page>_ms), computed: the figures
                                           shared between readers (core.figures_cache) emptied before each request
    BENCH <page>_shared_ms <median> ms     (home, money summary, dashboard, map: served from the shared figures)
    BENCH <page>_queries <n> queries       (computed; fails, exit 1, if it differs between 1/50 and the full data)
    BENCH <page>_kb <size> KB

and exits 1 when a count grew. Target: every page < 100 ms for the staff member at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_x .venv/bin/python bench/pages.py
    BENCH_SCALE=0.2 BENCH_RUNS=3 … (quicker)
"""

import random
import sys

import _common
from _common import bench_line, note

STAFF_ONLY = {"register"}  # the outgoing-documents register is for department roles


# Pages with figures shared between readers (core.figures_cache): `<page>_ms` is the page computed, as the first
# reader after a write gets it; `<page>_shared_ms` the same page for the next readers.
SHARED = {"home", "money_summary", "dashboard", "map"}


def pages(data: dict) -> list[tuple[str, str, dict]]:
    from beneficiaries.models import Beneficiary
    from projects.models import Project

    province = data["province"]
    project = Project.objects.filter(code__startswith="B-", unit__path__startswith=province.path).order_by("id").first()
    establishment = Beneficiary.objects.filter(unit__path__startswith=province.path).order_by("id").first()
    return [
        ("home", "/", {}),
        ("establishment_list", "/co-so/", {}),
        ("establishment_filter", "/co-so/", {"legal_form": "hop_tac_xa", "eligible": "yes"}),
        ("establishment_search", "/co-so/", {"q": "co khi thanh cong"}),
        ("project_list", "/de-an/", {}),
        ("project_filter", "/de-an/", {"year": 2024, "level": "kcdp"}),
        ("project_search", "/de-an/", {"q": "may moc thiet bi"}),
        ("project_detail", f"/de-an/{project.pk}/", {}),
        ("establishment_detail", f"/co-so/{establishment.pk}/", {}),
        ("money_summary", "/kinh-phi/", {"year": 2024}),
        ("dashboard", "/theo-doi/", {"year": 2024}),
        ("map", "/theo-doi/ban-do/", {"year": 2024}),
        ("field_index", "/kiem-tra/", {}),
        ("notices", "/thong-bao/", {}),
        ("register", "/van-ban/so-van-ban-di/", {}),
    ]


def clients():
    from django.test import Client

    people = _common.people()
    out = {}
    for role in ("staff", "officer"):
        client = Client()
        client.force_login(people[role], backend="django.contrib.auth.backends.ModelBackend")
        out[role] = client
    return out


def run() -> int:
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host
    with _common.bench_database() as reused:
        small = 0.02
        if reused:
            from areas.models import AdministrativeUnit

            data = {"province": AdministrativeUnit.objects.get(path=_common.OFFICER_PROVINCE)}
        else:
            data = _common.national_data(small, rng=random.Random(18))
        viewers = clients()
        listed = pages(data)
        before = {}
        if not reused:
            for role, client in viewers.items():
                for name, url, params in listed:
                    if role == "officer" and name in STAFF_ONLY:
                        continue
                    client.get(url, params)  # warm-up
                    before[role, name] = _common.count_queries(client, url, params)
            if small < _common.SCALE:
                _common.national_data(_common.SCALE, grow_from=small)
        note(_common.summary())
        failed = []
        slow = []
        for role, client in viewers.items():
            prefix = "" if role == "staff" else f"{role}_"
            for name, url, params in listed:
                if role == "officer" and name in STAFF_ONLY:
                    continue
                ms, queries, size = _common.time_get(client, url, params)
                bench_line(f"{prefix}{name}_ms", ms, "ms")
                if name in SHARED:
                    shared_ms, _, _ = _common.time_get(client, url, params, computed=False)
                    bench_line(f"{prefix}{name}_shared_ms", shared_ms, "ms")
                bench_line(f"{prefix}{name}_queries", queries, "queries")
                bench_line(f"{prefix}{name}_kb", size / 1024, "KB")
                if before and before[role, name] != queries:
                    failed.append(f"{role} {name}: {before[role, name]} queries at 1/50, {queries} at {_common.SCALE}")
                if ms >= 100:
                    slow.append(f"{role} {name} {ms:.0f} ms")
        if slow:
            note("over 100 ms: " + ", ".join(slow))
        if failed:
            note("query counts grew with the data:\n  " + "\n  ".join(failed))
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(run())
