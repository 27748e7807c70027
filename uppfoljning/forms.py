from decimal import Decimal

from django import forms
from django.utils.text import slugify

from finsam.templatetags.finsam import format_kr

from . import rules
from .models import Category, FollowUpSettings
from .services_reports import PARTICIPANT_FIELDS
from .validators import validate_no_personnummer


class CategoryCreateForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["label", "code", "order"]
        help_texts = {
            "code": "Kort kod som används i import och export, till exempel ”studier”. "
            "Lämnas fältet tomt bildas koden av benämningen. Koden kan inte ändras senare.",
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, instance=Category(kind=kind), **kwargs)
        self.fields["code"].required = False

    def clean_code(self):
        code = self.cleaned_data.get("code") or slugify(self.data.get(self.add_prefix("label"), ""))
        if not code:
            raise forms.ValidationError("Skriv en kod med bokstäver a–z, siffror och bindestreck.")
        return code[:40]


class CategoryEditForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["label", "order", "active"]


class FollowUpSettingsForm(forms.ModelForm):
    class Meta:
        model = FollowUpSettings
        fields = ["period_length"]
        widgets = {"period_length": forms.Select}


# --- Period reports ------------------------------------------------------------------------------


def _count_field(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        help_text=help_text,
        error_messages={
            "min_value": f"{label} kan inte vara negativt.",
            "invalid": f"{label}: skriv ett heltal.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-number"}),
    )


class PeriodReportForm(forms.Form):
    """The figures of one period report, grouped the way the page shows them.

    Fields: participants_* (individinriktad), count_<category id> per breakdown list,
    cost_<cost category>, comment. `groups` lists (legend, help, [field names]) for the template.
    """

    comment = forms.CharField(
        label="Kommentar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_personnummer],
        help_text="Det som behövs för att förstå periodens siffror. Inga namn, personnummer "
        "eller andra uppgifter om enskilda.",
    )

    def __init__(
        self,
        *args,
        individual: bool,
        categories: dict,
        cost_choices,
        budget: dict[str, int],
        year: int,
        start_locked: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.individual = individual
        self.groups: list[tuple[str, str, list[str]]] = []
        comment = self.fields.pop("comment")
        if individual:
            names = []
            for key in PARTICIPANT_FIELDS:
                name = f"participants_{key}"
                self.fields[name] = _count_field(rules.PARTICIPANT_LABELS[key])
                names.append(name)
            if start_locked:
                self.fields["participants_start"].disabled = True
                self.fields["participants_start"].help_text = start_locked
            self.fields["participants_end"].help_text = "Ska vara start + nya − avslutade."
            self.groups.append(("Deltagare", "", names))
            for kind, (total_key, row) in rules.BREAKDOWNS.items():
                names = []
                for category in categories.get(kind, []):
                    name = f"count_{category.pk}"
                    self.fields[name] = _count_field(category.label)
                    names.append(name)
                if names:
                    total = rules.TOTAL_LABELS[total_key].lower()
                    self.groups.append((row, f"Summan ska bli lika med {total}.", names))
        names = []
        for code, label in cost_choices:
            name = f"cost_{code}"
            planned = budget.get(code)
            help_text = f"Budget {year}: {format_kr(planned)}" if planned is not None else ""
            field = _count_field(label, help_text)
            field.label = f"{label} (kr)"
            self.fields[name] = field
            names.append(name)
        self.groups.append(
            ("Kostnader under perioden (utfall)", "I hela kronor, per kostnadsslag.", names)
        )
        self.fields["comment"] = comment

    def grouped(self):
        """Return (legend, help, bound fields) per group, for the template."""
        return [
            (legend, help, [self[name] for name in names]) for legend, help, names in self.groups
        ]

    def participants(self) -> dict[str, int | None]:
        return {
            key: self.cleaned_data.get(f"participants_{key}")
            for key in PARTICIPANT_FIELDS
            if not self.fields.get(f"participants_{key}", forms.Field()).disabled
        }

    def counts(self) -> dict[int, int | None]:
        return {
            int(name.removeprefix("count_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("count_")
        }

    def costs(self) -> dict[str, int | None]:
        return {
            name.removeprefix("cost_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("cost_")
        }


class ActivityForm(forms.Form):
    """One activity of a strukturövergripande insats, with attendees per party."""

    kind = forms.ModelChoiceField(
        label="Typ av aktivitet", queryset=Category.objects.none(), empty_label="Välj typ"
    )
    held_on = forms.DateField(
        label="Datum",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="ÅÅÅÅ-MM-DD",
    )
    hours = forms.DecimalField(
        label="Timmar",
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        max_digits=4,
        help_text="Till exempel 1,5 för en och en halv timme.",
        localize=True,
    )
    description = forms.CharField(
        label="Beskrivning", required=False, max_length=200, validators=[validate_no_personnummer]
    )

    def __init__(self, *args, kinds, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.party_fields = []
        for party in parties:
            name = f"attendees_{party.pk}"
            self.fields[name] = _count_field(f"Deltagare från {party.name}")
            self.party_fields.append((party, name))

    def attendance(self) -> dict[int, int]:
        return {
            party.pk: self.cleaned_data.get(name) or 0
            for party, name in self.party_fields
            if self.cleaned_data.get(name)
        }

    def minutes(self) -> int:
        return int(self.cleaned_data["hours"] * 60)


ActivityFormSet = forms.formset_factory(ActivityForm, extra=2, can_delete=True)


class OfficeCommentForm(forms.Form):
    comment = forms.CharField(
        label="Vad behöver rättas?",
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_personnummer],
        help_text="Huvudmannen ser kommentaren i rapporten.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fil (CSV eller Excel)",
        help_text="En rad per insats och period. Hämta mallen nedan för kolumnerna.",
    )


class DashboardFilterForm(forms.Form):
    ar = forms.TypedChoiceField(label="År", required=False, coerce=int, empty_value=None)
    part = forms.TypedChoiceField(label="Part", required=False, coerce=int, empty_value=None)
    typ = forms.ChoiceField(label="Typ av insats", required=False)
    publik = forms.BooleanField(
        label="Visa som för allmänheten (antal under 5 döljs)", required=False
    )

    def __init__(self, *args, years, parties, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ar"].choices = [("", "Alla år")] + [(y, str(y)) for y in years]
        self.fields["part"].choices = [("", "Alla parter")] + [(p.pk, p.name) for p in parties]
        self.fields["typ"].choices = [("", "Båda typerna")] + list(kinds.items())
