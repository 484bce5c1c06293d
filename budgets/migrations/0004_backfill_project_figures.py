"""Fill ProjectFigures for the đề án that exist (budgets.figures keeps it in step from now on)."""

from django.db import migrations
from django.db.models import Count, Sum

SOURCES = ("kcqg", "kcdp", "doi_ung", "khac")


def backfill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    FundingLine = apps.get_model("budgets", "FundingLine")
    ProjectFigures = apps.get_model("budgets", "ProjectFigures")
    rows = {}
    for pid, year, level, kind, status, unit_id in Project.objects.values_list(
        "pk", "plan_year", "level", "kind", "status", "unit_id"
    ).iterator():
        rows[pid] = ProjectFigures(
            project_id=pid, plan_year=year, level=level, kind=kind, status=status, unit_id=unit_id
        )
    sums = (
        FundingLine.objects.values_list("project_id", "source")
        .annotate(
            a=Sum("approved_amount"), d=Sum("disbursed_total"), s=Sum("settled_amount"), e=Sum("estimated_cost"), n=Count("id")
        )
        .order_by()
    )
    for pid, source, a, d, s, e, n in sums.iterator():
        row = rows.get(pid)
        if row is None or source not in SOURCES:
            continue
        setattr(row, f"approved_{source}", a or 0)
        setattr(row, f"disbursed_{source}", d or 0)
        setattr(row, f"settled_{source}", s or 0)
        setattr(row, f"estimated_{source}", e or 0)
        setattr(row, f"lines_{source}", n)
    ProjectFigures.objects.bulk_create(rows.values(), batch_size=5000)


def clear(apps, schema_editor):
    apps.get_model("budgets", "ProjectFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("budgets", "0003_project_figures")]

    operations = [migrations.RunPython(backfill, clear)]
