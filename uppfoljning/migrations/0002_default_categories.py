"""Create the default category lists and the settings row.

The lists are a frozen copy of uppfoljning.defaults.DEFAULT_CATEGORIES as it was when this
migration was written; later changes to the defaults do not change what this migration did.
"""

from django.db import migrations

DEFAULTS = {
    "gender": [
        ("kvinna", "Kvinna"),
        ("man", "Man"),
        ("annat-uppgift-saknas", "Annat/uppgift saknas"),
    ],
    "age_group": [
        ("16-24", "16–24 år"),
        ("25-29", "25–29 år"),
        ("30-39", "30–39 år"),
        ("40-49", "40–49 år"),
        ("50-64", "50–64 år"),
    ],
    "support_at_start": [
        ("a-kassa-aktivitetsstod", "A-kassa/aktivitetsstöd"),
        ("sjukpenning-rehabiliteringspenning", "Sjukpenning/rehabiliteringspenning"),
        ("aktivitetsersattning-sjukersattning", "Aktivitetsersättning/sjukersättning"),
        ("ekonomiskt-bistand", "Ekonomiskt bistånd/försörjningsstöd"),
        ("lon-egen-forsorjning", "Lön/egen försörjning"),
        ("ingen-ersattning", "Ingen ersättning"),
        ("annat-okant", "Annat/okänt"),
    ],
    "status_after": [
        ("arbete-osubventionerat", "Arbete, osubventionerat"),
        ("arbete-subventionerat", "Arbete, subventionerat"),
        ("studier", "Studier"),
        ("aktivt-arbetssokande", "Aktivt arbetssökande"),
        ("fortsatt-insats-hos-part", "Fortsatt insats hos part"),
        ("ohalsa-sjukskrivning", "Ohälsa/sjukskrivning"),
        ("annat-okant", "Annat/okänt"),
    ],
    "activity_kind": [
        ("utbildning", "Utbildning"),
        ("seminarium-konferens", "Seminarium/konferens"),
        ("natverksmote", "Nätverksmöte"),
        ("workshop", "Workshop/arbetsmöte"),
        ("handledning", "Handledning/konsultation"),
        ("information", "Informationsinsats"),
        ("annat", "Annat"),
    ],
}


def create_defaults(apps, schema_editor):
    Category = apps.get_model("uppfoljning", "Category")
    FollowUpSettings = apps.get_model("uppfoljning", "FollowUpSettings")
    existing = set(Category.objects.values_list("kind", "code"))
    Category.objects.bulk_create(
        Category(kind=kind, code=code, label=label, order=(index + 1) * 10)
        for kind, entries in DEFAULTS.items()
        for index, (code, label) in enumerate(entries)
        if (kind, code) not in existing
    )
    FollowUpSettings.objects.get_or_create(pk=1, defaults={"period_length": "tertial"})


def remove_defaults(apps, schema_editor):
    Category = apps.get_model("uppfoljning", "Category")
    for kind, entries in DEFAULTS.items():
        Category.objects.filter(kind=kind, code__in=[code for code, _label in entries]).delete()


class Migration(migrations.Migration):
    dependencies = [("uppfoljning", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
