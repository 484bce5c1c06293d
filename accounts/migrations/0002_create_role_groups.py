from django.db import migrations


def create_groups(apps, schema_editor):
    from accounts.roles import create_role_groups

    create_role_groups(apps.get_model("auth", "Group"))


def remove_groups(apps, schema_editor):
    from accounts.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=Role.values).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
