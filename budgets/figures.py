"""Pre-computed figures (issue 18): `ProjectFigures`, one row per đề án with its money per source, kept exactly in
step with the funding lines and the đề án's own keys (year, level, kind, status, unit).

Why a per-đề-án row recomputed in the writer's transaction rather than deltas or a materialized view: the row is
rebuilt whole from the đề án's few lines, so it cannot drift (no increment to lose, no "as of" time to show), it
works the same on SQLite and PostgreSQL, and the pages then sum one narrow row per đề án without joining the
200,000 funding lines. Every write reaches it:

- model signals (connected in `BudgetsConfig.ready`) on `Project` and `FundingLine` saves and deletes — the
  services, the admin, the imports and the test factories all save through the ORM;
- the services' conditional UPDATEs of a line's paid and settled totals (which send no signal) call
  `refresh_project` themselves;
- bulk loads (the demo, the benchmarks) call `rebuild()` at the end, as `manage.py rebuild_aggregates` does.

Concurrency: `refresh_project` first locks the đề án row (SELECT … FOR UPDATE) and only then reads the lines, so two
transactions changing lines of the same đề án recompute one after the other and the second one reads the first
one's committed lines (READ COMMITTED takes a new snapshot per statement).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from budgets.models import AMOUNT_KEYS, LINE_COLUMNS, SOURCE_KEYS, FundingLine, ProjectFigures, figure_column
from core import figures_cache
from projects.models import Project

KEY_FIELDS = ("plan_year", "level", "kind", "status", "unit_id")
AMOUNT_FIELDS = tuple(figure_column(a, s) for s in SOURCE_KEYS for a in AMOUNT_KEYS)


def _line_sums(lines) -> dict:
    """{column: value} of a set of funding lines, per source: one aggregate query."""
    aggregates = {}
    for source in SOURCE_KEYS:
        only = Q(source=source)
        for amount, column in LINE_COLUMNS.items():
            aggregates[figure_column(amount, source)] = Coalesce(Sum(column, filter=only), 0)
        aggregates[figure_column("lines", source)] = Count("id", filter=only)
    return lines.aggregate(**aggregates)


def computed(project_id: int) -> dict | None:
    """What the figures of one đề án should be, read from the đề án and its lines (no lock)."""
    keys = Project.objects.filter(pk=project_id).values(*KEY_FIELDS).first()
    if keys is None:
        return None
    return {**keys, **_line_sums(FundingLine.objects.filter(project_id=project_id))}


def refresh_project(project_id: int | None, *, create: bool = True) -> None:
    """Recompute one đề án's figures inside the caller's transaction. `create=False` (deletions) only updates
    an existing row: while a đề án is being deleted its figures row may already be gone."""
    if project_id is None:
        return
    with transaction.atomic():
        figures_cache.bump("figures")  # inside: the second move waits for the outermost commit
        keys = Project.objects.select_for_update().filter(pk=project_id).values(*KEY_FIELDS).first()
        if keys is None:
            ProjectFigures.objects.filter(project_id=project_id).delete()
            return
        values = {**keys, **_line_sums(FundingLine.objects.filter(project_id=project_id))}
        if ProjectFigures.objects.filter(project_id=project_id).update(**values) or not create:
            return
        ProjectFigures.objects.bulk_create(
            [ProjectFigures(project_id=project_id, **values)],
            update_conflicts=True,
            unique_fields=["project"],
            update_fields=list(values),
        )


def _all_computed(project_ids=None):
    """(project_id, {values}) for every đề án (or the given ones), computed from the lines in two queries per
    batch (the đề án keys, then the lines grouped by đề án and source)."""
    projects = Project.objects.order_by("pk")
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)
    batch = 5000
    last = 0
    while True:
        rows = list(projects.filter(pk__gt=last).values("pk", *KEY_FIELDS)[:batch])
        if not rows:
            return
        last = rows[-1]["pk"]
        out = {r["pk"]: {**{k: r[k] for k in KEY_FIELDS}, **dict.fromkeys(AMOUNT_FIELDS, 0)} for r in rows}
        lines = (
            FundingLine.objects.filter(project_id__gte=rows[0]["pk"], project_id__lte=last)
            .values_list("project_id", "source")
            .annotate(
                approved=Sum("approved_amount"),
                disbursed=Sum("disbursed_total"),
                settled=Sum("settled_amount"),
                estimated=Sum("estimated_cost"),
                lines=Count("id"),
            )
            .order_by()
        )
        for pid, source, *amounts in lines:
            if pid not in out or source not in SOURCE_KEYS:
                continue
            for amount, value in zip(AMOUNT_KEYS, amounts, strict=True):
                out[pid][figure_column(amount, source)] = value or 0
        yield from out.items()


def rebuild() -> int:
    """Rebuild every đề án's figures from the lines (bulk loads, deployments). Returns the number of rows."""
    with transaction.atomic():
        figures_cache.bump("figures")
        ProjectFigures.objects.all().delete()
        n = 0
        chunk = []
        for pid, values in _all_computed():
            chunk.append(ProjectFigures(project_id=pid, **values))
            if len(chunk) >= 5000:
                ProjectFigures.objects.bulk_create(chunk)
                n += len(chunk)
                chunk = []
        ProjectFigures.objects.bulk_create(chunk)
        return n + len(chunk)


def differences(limit: int = 20) -> list[str]:
    """Where the stored figures differ from the lines (empty when they agree): missing, stray or wrong rows."""
    stored = {
        row["project_id"]: row for row in ProjectFigures.objects.values("project_id", *KEY_FIELDS, *AMOUNT_FIELDS)
    }
    out = []
    for pid, values in _all_computed():
        row = stored.pop(pid, None)
        if row is None:
            out.append(f"đề án {pid}: thiếu số liệu tổng hợp")
            continue
        wrong = [f"{k} {row[k]} ≠ {v}" for k, v in values.items() if row[k] != v]
        if wrong:
            out.append(f"đề án {pid}: " + ", ".join(wrong))
    out.extend(f"đề án {pid}: số liệu thừa (không còn đề án)" for pid in stored)
    return out[:limit] if limit else out


# --- signal receivers (connected in BudgetsConfig.ready) ------------------------------------------------------
def project_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_project(instance.pk)


def line_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_project(instance.project_id)


def line_deleted(sender, instance, **kwargs):
    refresh_project(instance.project_id, create=False)
