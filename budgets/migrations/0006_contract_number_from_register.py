"""The đề án whose contract was issued in the outgoing-document register before the đề án followed it take the
register's number and date (from now on budgets.contract_kinds.ProjectContract.issued writes them)."""

from django.db import migrations


def from_register(apps, schema_editor):
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    Project = apps.get_model("projects", "Project")
    in_force = (
        IssuedDocument.objects.filter(kind="project_contract", replaced_by__isnull=True)
        .select_related("job")
        .order_by("created_at")
    )
    for document in in_force:
        project_id = (document.job.params or {}).get("project")
        if project_id is None:
            continue
        Project.objects.filter(pk=project_id).exclude(
            contract_number=document.symbol, contract_date=document.issued_on
        ).update(contract_number=document.symbol, contract_date=document.issued_on)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0005_funding_line_sync_index"),
        ("documents", "0003_outgoing_register_and_signing"),
        ("projects", "0007_organisation_contract_party"),
    ]

    operations = [migrations.RunPython(from_register, migrations.RunPython.noop)]
