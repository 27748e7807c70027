from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from . import rules
from .models import (
    BoardSeat,
    BudgetYear,
    Contribution,
    MandatePeriod,
    Party,
    RoleAssignment,
    User,
)
from .resources import FORMATS, RESOURCES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserCreateForm(forms.Form):
    name = forms.CharField(label="Namn", max_length=200)
    email = forms.EmailField(label="E-postadress")
    office = forms.BooleanField(label="Förbundschef/kansli", required=False)
    staff_party = forms.ModelChoiceField(
        label="Partshandläggare för part",
        queryset=Party.objects.all(),
        required=False,
        empty_label="Ingen",
    )
    auditor_party = forms.ModelChoiceField(
        label="Revisor utsedd av part",
        queryset=Party.objects.all(),
        required=False,
        empty_label="Ingen",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Det finns redan ett konto med den e-postadressen.")
        return email

    def roles(self) -> list[tuple[str, Party | None]]:
        data = self.cleaned_data
        roles: list[tuple[str, Party | None]] = []
        if data.get("office"):
            roles.append((RoleAssignment.Role.OFFICE, None))
        if data.get("staff_party"):
            roles.append((RoleAssignment.Role.PARTY_STAFF, data["staff_party"]))
        if data.get("auditor_party"):
            roles.append((RoleAssignment.Role.AUDITOR, data["auditor_party"]))
        return roles


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["name", "kind", "org_number", "member_from", "member_to"]
        widgets = {"member_from": DATE_INPUT, "member_to": DATE_INPUT}


class BudgetYearForm(forms.ModelForm):
    class Meta:
        model = BudgetYear
        fields = [
            "year",
            "state_allocation_kr",
            "key",
            "other_income_kr",
            "equity_brought_in_kr",
            "board_cost_kr",
            "administration_cost_kr",
            "audit_cost_kr",
            "equity_at_year_end_kr",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"]


class PopulationForm(forms.Form):
    """One field per kommun and region: invånare 31 December the year before."""

    def __init__(self, *args, parties, current: dict[int, int], year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = parties
        for party in parties:
            self.fields[f"party_{party.pk}"] = forms.IntegerField(
                label=party.name,
                min_value=1,
                initial=current.get(party.pk),
                help_text=f"Invånare 31 december {year - 1}.",
            )

    def inhabitants(self) -> dict[Party, int]:
        return {party: self.cleaned_data[f"party_{party.pk}"] for party in self.parties}


class KeySharesForm(forms.Form):
    """One field per kommun and region: its fixed share of its group's quarter, in percent."""

    def __init__(self, *args, parties, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = parties
        for party in parties:
            share = current.get(party.pk)
            self.fields[f"party_{party.pk}"] = forms.CharField(
                label=f"{party.name} (%)",
                initial=rules.format_share(share).replace("\xa0%", "") if share is not None else "",
                help_text=(
                    "Andel av kommunernas fjärdedel."
                    if party.kind == Party.Kind.KOMMUN
                    else "Andel av regionernas fjärdedel."
                ),
            )

    def _hundredths(self, party) -> int:
        raw = self.cleaned_data[f"party_{party.pk}"].strip().replace(",", ".").rstrip("%").strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(
                {f"party_{party.pk}": "Ange andelen som ett tal, till exempel 25 eller 12,5."}
            ) from None
        hundredths = value * 100
        if hundredths != hundredths.to_integral_value():
            raise ValidationError({f"party_{party.pk}": "Ange andelen med högst två decimaler."})
        if not 0 <= hundredths <= rules.FULL_SHARE:
            raise ValidationError({f"party_{party.pk}": "En andel ligger mellan 0 och 100 %."})
        return int(hundredths)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.shares = {party: self._hundredths(party) for party in self.parties}
        problems = rules.fixed_share_problems(
            {
                kind: [s for p, s in self.shares.items() if p.kind == kind]
                for kind in (rules.REGION, rules.KOMMUN)
            }
        )
        if problems:
            raise ValidationError(problems)
        return data


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["invoiced_on", "paid_on", "paid_kr"]
        widgets = {"invoiced_on": DATE_INPUT, "paid_on": DATE_INPUT}


class MandatePeriodForm(forms.ModelForm):
    class Meta:
        model = MandatePeriod
        fields = ["starts_on", "ends_on"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}
        help_texts = {
            "starts_on": "Oftast 1 januari året efter valet.",
            "ends_on": "Oftast fyra år senare, 31 december.",
        }


class BoardSeatForm(forms.ModelForm):
    class Meta:
        model = BoardSeat
        fields = ["mandate_period", "party", "user", "kind", "office", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True)
        self.fields["office"].required = False
        self.fields["office"].choices = [("", "Ingen")] + [
            (code, label) for code, label in BoardSeat.Office.choices if code
        ]


class ImportForm(forms.Form):
    resource = forms.ChoiceField(
        label="Vad vill du importera?",
        choices=[(key, label) for key, (label, _) in RESOURCES.items()],
    )
    file = forms.FileField(
        label="Fil",
        help_text="CSV (komma- eller semikolonseparerad) eller Excel (XLSX) med rubrikrad.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in FORMATS:
            raise ValidationError("Välj en fil som slutar på .csv eller .xlsx.")
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("Filen är större än 5 MB.")
        return upload
