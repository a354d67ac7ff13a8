from django.db import migrations

SUPPORT_TYPES = [
    ("ideutveckling", "Idéutveckling", "Idea development"),
    ("affarsutveckling", "Affärsutveckling", "Business development"),
    ("finansiering", "Finansiering", "Funding"),
    ("teknikutveckling", "Teknikutveckling", "Technology development"),
    ("digitalisering", "Digitalisering", "Digitalisation"),
    ("hallbar-omstallning", "Hållbar omställning", "Sustainable transition"),
    ("internationalisering", "Internationalisering", "Internationalisation"),
    ("forskning-och-samverkan", "Forskning och samverkan", "Research and collaboration"),
]


def seed(apps, schema_editor):
    SupportType = apps.get_model("organisers", "SupportType")
    for order, (slug, name, name_en) in enumerate(SUPPORT_TYPES):
        SupportType.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("organisers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
