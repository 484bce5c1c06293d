from django.db import migrations


def seed(apps, schema_editor):
    from documents.seed import seed_issuing_body

    seed_issuing_body(apps.get_model("documents", "IssuingBody"))


def unseed(apps, schema_editor):
    apps.get_model("documents", "IssuingBody").objects.filter(name="SỞ CÔNG THƯƠNG", abbreviation="SCT").delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_job_table_and_issuing_body")]

    operations = [migrations.RunPython(seed, unseed)]
