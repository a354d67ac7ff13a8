from django.db import migrations

THEMES = [
    ("smart-industri", "Smart industri", "Smart industry",
     "Digitalisering, automation och nya produktionssätt i Sörmlands industri.",
     "Digitalisation, automation and new ways of production in Sörmland's industry."),
    ("hallbar-livsmedelsforsorjning", "Hållbar livsmedelsförsörjning", "Sustainable food supply",
     "Livsmedel från jord till bord, med lägre klimatpåverkan och starkare lokal produktion.",
     "Food from farm to fork, with a smaller climate footprint and stronger local production."),
    ("morgondagens-energilosningar", "Morgondagens energilösningar", "Energy solutions of tomorrow",
     "Förnybar energi, lagring och smartare energianvändning.",
     "Renewable energy, storage and smarter use of energy."),
    ("life-science", "Life science med välfärd och hälsa", "Life science with welfare and health",
     "Innovationer för vård, omsorg, hälsa och välfärd.",
     "Innovation for health, care and welfare."),
]

AUDIENCES = [
    ("idebarare", "Idébärare", "Idea-holders"),
    ("nyforetagare", "Nyföretagare", "New business owners"),
    ("befintliga-foretag", "Befintliga företag", "Established companies"),
    ("studenter-och-unga", "Studenter och unga", "Students and young people"),
    ("offentlig-sektor", "Offentlig sektor", "Public sector"),
    ("alla", "Alla", "Everyone"),
]

MUNICIPALITIES = [
    ("eskilstuna", "Eskilstuna"), ("flen", "Flen"), ("gnesta", "Gnesta"), ("katrineholm", "Katrineholm"),
    ("nykoping", "Nyköping"), ("oxelosund", "Oxelösund"), ("strangnas", "Strängnäs"), ("trosa", "Trosa"),
    ("vingaker", "Vingåker"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("events", "Theme")
    Audience = apps.get_model("events", "Audience")
    Municipality = apps.get_model("events", "Municipality")
    for order, (slug, name, name_en, text, text_en) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "description": text, "description_en": text_en, "order": order},
        )
    for order, (slug, name, name_en) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "order": order})
    for order, (slug, name) in enumerate(MUNICIPALITIES):
        Municipality.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("events", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
