"""Approximate centres of Hải Phòng's (and ex-Hải Dương's) units for the schematic map (monitoring.geodata)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from monitoring.geodata import assign_centres

    assign_centres(apps.get_model("areas", "AdministrativeUnit"))


def backwards(apps, schema_editor):
    from monitoring.geodata import clear_centres

    clear_centres(apps.get_model("areas", "AdministrativeUnit"))


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_seed_hai_phong_units")]

    operations = [migrations.RunPython(forwards, backwards)]
