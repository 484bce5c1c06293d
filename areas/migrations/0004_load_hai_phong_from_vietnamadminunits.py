"""Reloads Hải Phòng's units from vietnamadminunits: real centres and areas, the old → new links."""

from django.db import migrations


def forwards(apps, schema_editor):
    from areas.loader import load_province

    load_province(
        "31", Unit=apps.get_model("areas", "AdministrativeUnit"), Successor=apps.get_model("areas", "UnitSuccessor")
    )


class Migration(migrations.Migration):
    dependencies = [("areas", "0003_unit_area_and_successors")]
    # Backwards: the links go with the table and the positions with the columns; nothing else to undo.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
