"""Figures shared between readers under the version of their data (core.figures_cache).

The pages' sums after every kind of write, with the cache on, are tests/budgets/test_figures.py's (the test
settings turn the cache on). Here: the rules of the cache itself, the writes that bypass model signals (bulk
imports, the units loader), the labels the figures carry (area and content names, allocations), the scope in the
key, the commit ordering, and an unreachable cache.
"""

import contextlib
import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from areas.models import AdministrativeUnit
from beneficiaries.importing import writer
from budgets.models import BudgetAllocation
from budgets.selectors import SummaryFilters, _budget_summary, budget_summary
from core import figures_cache
from monitoring.selectors import DashboardFilters, dashboard, home_context, key_figures, map_data
from projects.models import ActivityContent, ProjectStatus
from tests.conftest import AREA_A, AREA_B
from tests.factories import BeneficiaryFactory, ProjectFactory
from tests.monitoring.factories import communes, random_programme

S = ProjectStatus


class Counter:
    def __init__(self, value="a"):
        self.calls = 0
        self.value = value

    def __call__(self):
        self.calls += 1
        return f"{self.value}{self.calls}"


def test_a_value_is_computed_once_until_its_topic_moves(db):
    compute = Counter()
    assert figures_cache.cached("t", ("figures",), ("k",), compute) == "a1"
    assert figures_cache.cached("t", ("figures",), ("k",), compute) == "a1"
    assert compute.calls == 1
    # Another key, another name: computed on their own.
    assert figures_cache.cached("t", ("figures",), ("other",), compute) == "a2"
    assert figures_cache.cached("u", ("figures",), ("k",), compute) == "a3"
    # A topic the value does not read leaves it alone; its own topic recomputes it.
    figures_cache.bump("establishments")
    assert figures_cache.cached("t", ("figures",), ("k",), compute) == "a1"
    figures_cache.bump("figures")
    assert figures_cache.cached("t", ("figures",), ("k",), compute) == "a4"


def test_an_unknown_topic_is_a_programming_error(db):
    with pytest.raises(ValueError):
        figures_cache.bump("figure")


def test_off_when_the_setting_is_zero(db, settings):
    settings.FIGURES_CACHE_SECONDS = 0
    compute = Counter()
    figures_cache.cached("t", ("figures",), (), compute)
    figures_cache.cached("t", ("figures",), (), compute)
    assert compute.calls == 2


def test_a_lost_version_never_brings_back_an_old_value(db):
    compute = Counter()
    assert figures_cache.cached("t", ("figures",), (), compute) == "a1"
    # Redis evicted (or a restart lost) the version but not the entry: the version starts again from the clock.
    cache.delete("figures-cache:version:figures")
    assert figures_cache.cached("t", ("figures",), (), compute) == "a2"


def test_a_value_computed_while_a_write_was_in_flight_is_not_served_after_its_commit(
    db, django_capture_on_commit_callbacks
):
    compute = Counter("before")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        figures_cache.bump("figures")
        # Another reader, not seeing the uncommitted write, computes and stores under the moved version.
        assert figures_cache.cached("t", ("figures",), (), compute) == "before1"
    # The commit moved the version again: the next reader computes from the committed data.
    fresh = Counter("after")
    assert figures_cache.cached("t", ("figures",), (), fresh) == "after1"


def test_a_rolled_back_write_costs_a_recomputation_only(db):
    compute = Counter()
    figures_cache.cached("t", ("figures",), (), compute)
    with pytest.raises(RuntimeError), transaction.atomic():
        figures_cache.bump("figures")
        raise RuntimeError
    assert figures_cache.cached("t", ("figures",), (), compute) == "a2"


def test_an_unreachable_cache_computes_and_never_fails(db, settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    caches._settings = None  # re-read CACHES
    with contextlib.suppress(AttributeError, KeyError):
        del caches["default"]
    compute = Counter()
    assert figures_cache.cached("t", ("figures",), (), compute) == "a1"
    assert figures_cache.cached("t", ("figures",), (), compute) == "a2"
    figures_cache.bump("figures")  # logged, not raised: the write itself succeeded


@pytest.fixture
def programme(db):
    return random_programme(seed=18, n=12, years=(2021,))


def test_the_scope_is_part_of_the_key(programme, staff, officer_a, officer_b):
    everything = budget_summary(user=staff, filters=SummaryFilters(year=2021)).total.approved
    mine = budget_summary(user=officer_a, filters=SummaryFilters(year=2021)).total.approved
    theirs = budget_summary(user=officer_b, filters=SummaryFilters(year=2021)).total.approved
    assert 0 < mine < everything and mine != theirs
    assert mine == _budget_summary(user=officer_a, filters=SummaryFilters(year=2021), area_limit=None).total.approved


def test_a_second_reader_of_the_same_figures_runs_no_figures_query(programme, staff, leader):
    filters = SummaryFilters(year=2021)
    budget_summary(user=staff, filters=filters)
    with CaptureQueriesContext(connection) as shared:
        again = budget_summary(user=leader, filters=filters)  # another department-wide reader
    assert not [q for q in shared.captured_queries if "budgets_projectfigures" in q["sql"]]
    assert again.total == _budget_summary(user=leader, filters=filters, area_limit=None).total


def test_labels_and_envelopes_follow_their_own_writes(programme, staff):
    filters = DashboardFilters(year=2021)
    board = dashboard(user=staff, filters=filters)
    summary = budget_summary(user=staff, filters=SummaryFilters(year=2021))

    # An area renamed through its admin page (a model save).
    area = AdministrativeUnit.objects.get(pk=int(summary.by_area[0].key))
    area.name = "Huyện Đổi Tên"
    area.save()
    assert "Huyện Đổi Tên" in [r.label for r in budget_summary(user=staff, filters=SummaryFilters(year=2021)).by_area]

    # An activity content renamed, and a đề án's contents changed (the m2m relation, no đề án save).
    shown = dashboard(user=staff, filters=filters)["by_content"][0]["code"]
    content = ActivityContent.objects.get(code=shown)
    content.name = "Nội dung đổi tên"
    content.save()
    assert "Nội dung đổi tên" in [r["name"] for r in dashboard(user=staff, filters=filters)["by_content"]]
    approved = next(p for p in programme if p.status in (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED))
    before = {r["code"]: r["count"] for r in dashboard(user=staff, filters=filters)["by_content"]}
    unused = ActivityContent.objects.exclude(pk__in=approved.contents.all()).order_by("code").first()
    approved.contents.add(unused)
    after = {r["code"]: r["count"] for r in dashboard(user=staff, filters=filters)["by_content"]}
    assert after.get(unused.code, 0) == before.get(unused.code, 0) + 1

    # A yearly envelope changed.
    allocation = BudgetAllocation.objects.filter(year=2021).first()
    allocation.amount += 1_000_000
    allocation.save()
    assert dashboard(user=staff, filters=filters)["year"].allocated == board["year"].allocated + 1_000_000
    allocation.delete()
    assert dashboard(user=staff, filters=filters)["year"].allocated == board["year"].allocated - allocation.amount + (
        1_000_000
    )


def test_a_payment_and_a_deleted_project_move_the_key_figures(programme, staff, leader):
    year = key_figures(user=leader, year=2021)
    approved = next(p for p in programme if p.status == S.IN_PROGRESS and p.funding_lines.exists())
    line = approved.funding_lines.first()
    from budgets.services import disbursement_create

    amount = min(1_000_000, line.approved_amount - line.disbursed_total)
    disbursement_create(
        actor=staff, line=line, kind="tam_ung", paid_on=datetime.date(2021, 6, 1), amount=amount, document_number="T1"
    )
    assert key_figures(user=leader, year=2021).disbursed == year.disbursed + amount
    extra = ProjectFactory(monitored=True, status=S.APPROVED, plan_year=2021, unit=approved.unit)
    assert key_figures(user=leader, year=2021).projects + key_figures(user=leader, year=2021).tasks == (
        year.projects + year.tasks + 1
    )
    extra.delete()
    assert key_figures(user=leader, year=2021).projects + key_figures(user=leader, year=2021).tasks == (
        year.projects + year.tasks
    )


def test_establishments_imported_in_bulk_are_counted(db, staff):
    place = communes(AREA_B, 1)[0]
    ProjectFactory(monitored=True, plan_year=2021, unit=place)
    BeneficiaryFactory(unit=place)
    counted = home_context(user=staff, role="staff")["beneficiary_count"]
    placed = {
        p["unit"].pk: p["establishments"] for p in map_data(user=staff, filters=DashboardFilters(year=2021))["places"]
    }
    template = BeneficiaryFactory.build(unit=place)
    row = {
        f.attname: getattr(template, f.attname)
        for f in template._meta.concrete_fields
        if not f.primary_key and f.attname not in ("created_at", "updated_at", "created_by_id")
    }
    writer.insert_new([row], actor=staff, now=timezone.now())  # bulk: no model signal
    assert home_context(user=staff, role="staff")["beneficiary_count"] == counted + 1
    current = {
        p["unit"].pk: p["establishments"] for p in map_data(user=staff, filters=DashboardFilters(year=2021))["places"]
    }
    assert sum(current.values()) == sum(placed.values()) + 1


def test_the_staff_home_counts_follow_a_status_change(db, staff):
    place = communes(AREA_A, 1)[0]
    project = ProjectFactory(monitored=True, status=S.REGISTERED, unit=place)
    sections = {s["key"]: s["count"] for s in home_context(user=staff, role="staff")["work"]["sections"]}
    project.status = S.APPROVED
    project.save()
    after = {s["key"]: s["count"] for s in home_context(user=staff, role="staff")["work"]["sections"]}
    assert after["appraisal"] == sections["appraisal"] - 1 and after["contract"] == sections["contract"] + 1


def test_the_units_loader_moves_the_units_version(db, monkeypatch):
    from areas import loader

    compute = Counter()
    figures_cache.cached("t", ("units",), (), compute)
    loader.load_province("31", Unit=AdministrativeUnit)  # Hải Phòng again: nothing to change but the version
    figures_cache.cached("t", ("units",), (), compute)
    assert compute.calls == 2


def test_other_area_and_officer_pages_still_hide_other_areas(programme, officer_a, login):
    """The dashboard an officer of area A reads after a department-wide reader: only area A's figures."""
    from django.urls import reverse

    client = login(officer_a)
    assert client.get(reverse("monitoring:dashboard"), {"year": 2021}).status_code == 200
    board = dashboard(user=officer_a, filters=DashboardFilters(year=2021))
    names = {r["name"] for r in board["by_area"]}
    outside = set(AdministrativeUnit.objects.filter(path__startswith=AREA_B, depth=1).values_list("name", flat=True))
    assert names and not names & outside
