"""The default category lists (DOMAIN.md, "Follow-up figures"): (list, code, label) in order.

The data migration that creates them holds its own frozen copy; a test keeps the two equal.
"""

DEFAULT_CATEGORIES: dict[str, list[tuple[str, str]]] = {
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


def ensure_default_categories() -> int:
    """Create the default categories that are missing (by list and code); return how many.

    Safe to run again: existing categories, edited or not, are left as they are, and a default
    whose code or label is already taken in its list is not added again.
    """
    from .models import Category

    rows = list(Category.objects.values_list("kind", "code", "label"))
    codes = {(kind, code) for kind, code, _label in rows}
    labels = {(kind, label) for kind, _code, label in rows}
    missing = [
        Category(kind=kind, code=code, label=label, order=(index + 1) * 10)
        for kind, entries in DEFAULT_CATEGORIES.items()
        for index, (code, label) in enumerate(entries)
        if (kind, code) not in codes and (kind, label) not in labels
    ]
    Category.objects.bulk_create(missing)
    return len(missing)
