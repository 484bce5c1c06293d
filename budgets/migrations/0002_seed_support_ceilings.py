from django.db import migrations

from budgets.seed import seed_ceilings, unseed_ceilings


def forwards(apps, schema_editor):
    seed_ceilings(apps.get_model("budgets", "SupportCeiling"), apps.get_model("projects", "ActivityContent"))


def backwards(apps, schema_editor):
    unseed_ceilings(apps.get_model("budgets", "SupportCeiling"))


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_money_models"),
        ("projects", "0002_seed_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
