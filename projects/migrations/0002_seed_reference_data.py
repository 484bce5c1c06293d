from django.db import migrations

from projects.seed import seed_reference, unseed_reference


def forwards(apps, schema_editor):
    seed_reference(
        apps.get_model("projects", "LegalBasis"),
        apps.get_model("projects", "ActivityContent"),
        apps.get_model("projects", "Organisation"),
    )


def backwards(apps, schema_editor):
    unseed_reference(
        apps.get_model("projects", "LegalBasis"),
        apps.get_model("projects", "ActivityContent"),
        apps.get_model("projects", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
