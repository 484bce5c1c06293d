from django.db import migrations


def seed(apps, schema_editor):
    from areas.seed import seed_units

    seed_units(apps.get_model("areas", "AdministrativeUnit"))


def unseed(apps, schema_editor):
    Unit = apps.get_model("areas", "AdministrativeUnit")
    # Children first: parent is PROTECT.
    for depth in (2, 1, 0):
        Unit.objects.filter(depth=depth).delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
