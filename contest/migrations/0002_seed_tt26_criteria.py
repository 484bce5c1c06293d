from django.db import migrations


def forwards(apps, schema_editor):
    from contest.seed import seed_criteria

    seed_criteria(apps.get_model("contest", "CriteriaSet"), apps.get_model("contest", "Criterion"))


def backwards(apps, schema_editor):
    from contest.seed import unseed_criteria

    unseed_criteria(apps.get_model("contest", "CriteriaSet"), apps.get_model("contest", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("contest", "0001_contest_entries_scoring_certificates")]

    operations = [migrations.RunPython(forwards, backwards)]
