"""The pre-computed figures (budgets.ProjectFigures) equal the row-by-row sums after every kind of write.

The expected values are computed here in Python, line by line and đề án by đề án, without the ORM's aggregates
and without budgets.figures; then compared with the stored figures and with what the pages' selectors (dashboard,
money summary, leader's key figures, statutory report, map) show a department-wide and an area user.
"""

import datetime
import random
import threading
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from areas.models import AdministrativeUnit
from budgets import figures
from budgets.models import SOURCE_KEYS, FundingLine, ProjectFigures, figure_column
from budgets.selectors import SummaryFilters, budget_summary
from budgets.services import disbursement_create, funding_lines_save, settlement_record
from field.models import FieldReport
from monitoring.reports import ReportRequest, report_rows
from monitoring.selectors import APPROVED_STATES, DashboardFilters, dashboard, key_figures, map_data
from projects.models import ActivityContent, ProjectStatus
from projects.services import project_transition
from tests.conftest import AREA_A, AREA_B
from tests.factories import BeneficiaryFactory, ProjectFactory

S = ProjectStatus
YEARS = (2021, 2022)
AMOUNTS = {"approved": "approved_amount", "disbursed": "disbursed_total", "settled": "settled_amount"}
AMOUNTS["estimated"] = "estimated_cost"


def communes(area: str) -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(path__startswith=area, depth=2).order_by("path")[:4])


def expected_rows() -> dict:
    """{project id: {key fields and per-source amounts}}, by walking every đề án and every line in Python."""
    from projects.models import Project

    out = {}
    for p in Project.objects.all():
        row = {"plan_year": p.plan_year, "level": p.level, "kind": p.kind, "status": p.status, "unit_id": p.unit_id}
        for source in SOURCE_KEYS:
            for amount in (*AMOUNTS, "lines"):
                row[figure_column(amount, source)] = 0
        out[p.pk] = row
    for line in FundingLine.objects.all():
        row = out[line.project_id]
        for amount, column in AMOUNTS.items():
            row[figure_column(amount, line.source)] += getattr(line, column)
        row[figure_column("lines", line.source)] += 1
    return out


def stored_rows() -> dict:
    return {
        f.project_id: {
            k: getattr(f, k) for k in ("plan_year", "level", "kind", "status", "unit_id", *figures.AMOUNT_FIELDS)
        }
        for f in ProjectFigures.objects.all()
    }


def visible(user, project) -> bool:
    from accounts.scope import unit_in_scope

    return unit_in_scope(user, project.unit)


def assert_pages_match(users) -> None:
    """What the dashboard, the summary, the key figures, the report and the map show = the Python sums."""
    from projects.models import Project

    lines = list(FundingLine.objects.select_related("project__unit", "project__unit__successor"))
    projects = list(Project.objects.select_related("unit", "unit__successor"))
    for user in users:
        for year in YEARS:
            mine = [ln for ln in lines if ln.project.plan_year == year and visible(user, ln.project)]
            approved_lines = [ln for ln in mine if ln.project.status in APPROVED_STATES]
            board = dashboard(user=user, filters=DashboardFilters(year=year))
            assert board["year"].approved == sum(ln.approved_amount for ln in approved_lines)
            assert board["year"].disbursed == sum(ln.disbursed_total for ln in approved_lines)
            assert board["year"].settled == sum(ln.settled_amount for ln in approved_lines)
            for row in board["sources"]:
                assert row["approved"] == sum(ln.approved_amount for ln in approved_lines if ln.source == row["source"])
            approved_projects = [
                p for p in projects if p.plan_year == year and p.status in APPROVED_STATES and visible(user, p)
            ]
            assert board["year"].projects + board["year"].tasks == len(approved_projects)
            assert sum(r["count"] for r in board["by_area"]) == len(approved_projects)
            assert sum(r["approved"] for r in board["by_area"]) == board["year"].approved
            assert key_figures(user=user, year=year).approved == board["year"].approved

            summary = budget_summary(user=user, filters=SummaryFilters(year=year))
            assert summary.total.approved == sum(ln.approved_amount for ln in mine)
            assert summary.total.disbursed == sum(ln.disbursed_total for ln in mine)
            assert summary.total.estimated == sum(ln.estimated_cost for ln in mine)
            assert summary.total.projects == len({ln.project_id for ln in mine})
            for row in summary.by_source:
                assert row.approved == sum(ln.approved_amount for ln in mine if ln.source == row.key)
                assert row.projects == len({ln.project_id for ln in mine if ln.source == row.key})
            for row in summary.by_status:
                assert row.settled == sum(ln.settled_amount for ln in mine if ln.project.status == row.key)
            assert sum(r.approved for r in summary.by_area) == summary.total.approved
            local = budget_summary(user=user, filters=SummaryFilters(year=year, source="kcdp"))
            assert local.total.approved == sum(ln.approved_amount for ln in mine if ln.source == "kcdp")

            report = report_rows(user=user, req=ReportRequest(year=year))
            assert sum(r.approved_all or 0 for r in report) == board["year"].approved

            places = map_data(user=user, filters=DashboardFilters(year=year))
            placed = sum(p["projects"] for p in places["places"]) + places["unplaced"]["projects"]
            assert placed == len([p for p in projects if p.plan_year == year and visible(user, p)])


def check(users) -> None:
    assert stored_rows() == expected_rows()
    assert figures.differences() == []
    assert_pages_match(users)


def random_project(rng: random.Random, **extra):
    area = rng.choice([AREA_A, AREA_B])
    fields = {
        "plan_year": rng.choice(YEARS),
        "level": rng.choice(["kcqg", "kcdp"]),
        "kind": rng.choice(["de_an", "de_an", "du_toan"]),
        "status": rng.choice([S.DRAFT, S.REGISTERED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED]),
        "unit": rng.choice(communes(area)),
        "implementing_unit": __import__("tests.factories", fromlist=["x"]).first_organisation(),
    }
    fields.update(extra)
    project = ProjectFactory(**fields)
    project.contents.set(rng.sample(list(ActivityContent.objects.all()[:4]), rng.randint(0, 2)))
    return project


def random_line(rng: random.Random, project, used: set):
    choices = [(s, c) for s in SOURCE_KEYS for c in ("thiet_bi", "dao_tao", "to_chuc")]
    source, item = rng.choice([c for c in choices if (project.pk, *c) not in used])
    used.add((project.pk, source, item))
    approved = rng.randint(1, 400) * 1_000_000
    return FundingLine.objects.create(
        project=project,
        source=source,
        cost_item=item,
        estimated_cost=approved + rng.randint(0, 50) * 1_000_000,
        approved_amount=approved,
    )


@pytest.mark.parametrize("seed", [1, 2026])
def test_figures_equal_the_row_sums_after_every_kind_of_write(seed, staff, leader, officer_a, officer_b):
    rng = random.Random(seed)
    users = [staff, officer_a, officer_b]
    used: set = set()
    projects = [random_project(rng) for _ in range(12)]
    check(users)

    # Funding lines created, edited and deleted as the admin or an import would (plain ORM saves).
    lines = [random_line(rng, rng.choice(projects), used) for _ in range(30)]
    check(users)
    for ln in rng.sample(lines, 8):
        ln.approved_amount += rng.randint(1, 20) * 1_000_000
        ln.estimated_cost = ln.approved_amount
        ln.save()
    check(users)
    gone = rng.choice(lines)
    lines.remove(gone)
    gone.delete()
    check(users)

    # Funding lines through the service (rows added, changed and removed in one save).
    from budgets.services import LineInput

    editable = ProjectFactory(funded=True, status=S.REGISTERED, plan_year=2021, unit=communes(AREA_B)[0])
    funding_lines_save(
        actor=staff,
        project=editable,
        lines=[
            LineInput(
                id=None, source="kcdp", cost_item="thiet_bi", estimated_cost=90_000_000, approved_amount=80_000_000
            ),
            LineInput(
                id=None, source="doi_ung", cost_item="thiet_bi", estimated_cost=50_000_000, approved_amount=50_000_000
            ),
        ],
        ceiling_not_applicable=True,
    )
    check(users)
    saved = {ln.source: ln for ln in FundingLine.objects.filter(project=editable)}
    funding_lines_save(
        actor=staff,
        project=editable,
        lines=[
            LineInput(
                id=saved["kcdp"].pk,
                source="kcdp",
                cost_item="thiet_bi",
                estimated_cost=90_000_000,
                approved_amount=70_000_000,
            ),
            LineInput(
                id=saved["doi_ung"].pk,
                source="doi_ung",
                cost_item="thiet_bi",
                estimated_cost=0,
                approved_amount=0,
                delete=True,
            ),
        ],
        ceiling_not_applicable=True,
    )
    check(users)

    # Payments and settlements through the services (conditional UPDATEs that send no signal).
    payable = ProjectFactory(funded=True, status=S.IN_PROGRESS, plan_year=2021, unit=communes(AREA_A)[1])
    paid_line = random_line(rng, payable, used)
    disbursement_create(
        actor=staff,
        line=paid_line,
        kind="tam_ung",
        paid_on=datetime.date(2021, 6, 1),
        amount=paid_line.approved_amount // 2,
        document_number="UNC-1",
    )
    check(users)
    payable.status = S.ACCEPTED
    payable.save()
    settlement_record(
        actor=staff,
        line=paid_line,
        amount=paid_line.approved_amount // 2,
        settled_on=datetime.date(2021, 12, 1),
        document_number="QT-1",
    )
    check(users)

    # A transition through the service (approved → contracted), and state changes as the loaders make them.
    approved = ProjectFactory(funded=True, status=S.APPROVED, plan_year=2022, unit=communes(AREA_B)[1])
    random_line(rng, approved, used)
    check(users)
    project_transition(
        actor=staff,
        project=approved,
        to=S.CONTRACTED,
        contract_number="9/2022/HĐ",
        contract_date=datetime.date(2022, 3, 1),
        contract_parties="Sở Công Thương; cơ sở",
    )
    check(users)
    for p in rng.sample(projects, 4):
        p.status = rng.choice([S.APPROVED, S.STOPPED, S.SETTLED, S.REGISTERED])
        p.save()
    check(users)

    # A đề án moved to another unit (another area), another year and level.
    moved = rng.choice(projects)
    moved.unit = communes(AREA_B if moved.unit.path.startswith(AREA_A) else AREA_A)[2]
    moved.plan_year = 2022 if moved.plan_year == 2021 else 2021
    moved.level = "kcqg" if moved.level == "kcdp" else "kcdp"
    moved.save()
    check(users)

    # Field reports and establishments change no money: the figures stay equal.
    FieldReport.objects.create(
        client_id=uuid.uuid4(),
        author=officer_a,
        project=payable,
        unit=payable.unit,
        status="submitted",
        submitted_at=timezone.now(),
        visit_date=datetime.date(2021, 7, 1),
        progress_percent=40,
    )
    BeneficiaryFactory(unit=communes(AREA_B)[0])
    check(users)

    # A đề án deleted (its lines first: a line protects its đề án).
    doomed = rng.choice(projects)
    FundingLine.objects.filter(project=doomed).delete()
    doomed.delete()
    assert not ProjectFigures.objects.filter(project_id=doomed.pk).exists()
    check(users)


def test_rebuild_aggregates_repairs_and_check_reports_a_difference(staff, capsys):
    rng = random.Random(7)
    used: set = set()
    projects = [random_project(rng) for _ in range(5)]
    for _ in range(8):
        random_line(rng, rng.choice(projects), used)
    call_command("rebuild_aggregates", "--check")
    assert "khớp" in capsys.readouterr().out

    # A figure that drifted (written behind the services' back) is reported, then repaired by a rebuild.
    victim = projects[0]
    ProjectFigures.objects.filter(project=victim).update(approved_kcdp=1)
    ProjectFigures.objects.filter(project=projects[1]).delete()
    with pytest.raises(CommandError, match="2 đề án"):
        call_command("rebuild_aggregates", "--check")
    out = capsys.readouterr().out
    assert f"đề án {victim.pk}: approved_kcdp 1" in out and "thiếu" in out
    call_command("rebuild_aggregates")
    assert stored_rows() == expected_rows()
    call_command("rebuild_aggregates", "--check")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_payments_and_line_edits_leave_the_figures_equal_to_the_rows(transactional_db):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role

    staff = User.objects.create_user("staff_race", password="x")
    staff.groups.add(Group.objects.get(name=Role.STAFF))
    rng = random.Random(99)
    used: set = set()
    projects = [
        ProjectFactory(funded=True, status=S.IN_PROGRESS, plan_year=2021, unit=communes(AREA_A)[i % 3])
        for i in range(3)
    ]
    lines = [random_line(rng, p, used) for p in projects for _ in range(3)]
    for ln in lines:
        FundingLine.objects.filter(pk=ln.pk).update(approved_amount=1_000_000_000)
    figures.rebuild()
    errors = []
    barrier = threading.Barrier(6)

    def pay(worker: int):
        from django.db import connection as conn

        try:
            barrier.wait()
            for i in range(6):
                ln = FundingLine.objects.get(pk=lines[(worker + i) % len(lines)].pk)
                disbursement_create(
                    actor=staff,
                    line=ln,
                    kind="thanh_toan",
                    paid_on=datetime.date(2021, 6, 1),
                    amount=1_000_000 * (worker + 1),
                    document_number=f"UNC-{worker}-{i}",
                )
        except Exception as exc:  # noqa: BLE001 — reported below with the thread's number
            errors.append((worker, repr(exc)))
        finally:
            conn.close()

    def edit(worker: int):
        from django.db import connection as conn

        try:
            barrier.wait()
            for i in range(6):
                ln = FundingLine.objects.get(pk=lines[(worker * 2 + i) % len(lines)].pk)
                ln.estimated_cost = 1_000_000 * (i + worker)
                ln.save(update_fields=["estimated_cost", "updated_at"])
        except Exception as exc:  # noqa: BLE001
            errors.append((worker, repr(exc)))
        finally:
            conn.close()

    threads = [threading.Thread(target=pay, args=(w,)) for w in range(4)]
    threads += [threading.Thread(target=edit, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(FundingLine.objects.values_list("disbursed_total", flat=True)) == sum(
        6 * 1_000_000 * (w + 1) for w in range(4)
    )
    assert figures.differences() == []
    assert stored_rows() == expected_rows()
