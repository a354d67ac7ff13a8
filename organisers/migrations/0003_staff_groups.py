"""The two staff groups, for the people who edit the programme.

Programredaktör may do everything with editions, sessions, venues, lists, actors and contacts.
Aktörsredaktör is tied to organisations through Organisation.editors; the admin limits such users to those
organisations' sessions and contacts (innovationsvecka/roles.py). The permissions here are the outer bound.
"""

from django.db import migrations

ACTOR_EDITOR_PERMISSIONS = [
    ("events", "view_session"), ("events", "add_session"), ("events", "change_session"),
    ("events", "view_historicalsession"),
    ("events", "view_edition"), ("events", "view_theme"), ("events", "view_audience"),
    ("events", "view_municipality"), ("events", "view_venue"),
    ("organisers", "view_organisation"), ("organisers", "view_supporttype"),
    ("organisers", "view_contact"), ("organisers", "add_contact"), ("organisers", "change_contact"),
    ("organisers", "delete_contact"), ("organisers", "view_historicalcontact"),
]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    programme, _ = Group.objects.get_or_create(name="Programredaktör")
    programme.permissions.set(Permission.objects.filter(content_type__app_label__in=["events", "organisers"]))
    actor, _ = Group.objects.get_or_create(name="Aktörsredaktör")
    wanted = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in ACTOR_EDITOR_PERMISSIONS
    ]
    actor.permissions.set(wanted)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Programredaktör", "Aktörsredaktör"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisers", "0002_seed_support_types"),
        ("events", "0004_my_programme"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
