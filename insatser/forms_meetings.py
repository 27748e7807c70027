"""Forms for meetings, decisions and insatser. The services check the same rules again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from finsam.templatetags.finsam import format_kr
from forbund.models import User

from . import filetypes, rules
from . import rules_meetings as meeting_rules
from .models_insats import Report
from .models_meetings import Decision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Datum", widget=DATE)
    starts_at = forms.TimeField(label="Klockan", required=False, widget=TIME)
    place = forms.CharField(label="Plats", max_length=200)


class AddProposalForm(forms.Form):
    application = forms.ModelChoiceField(
        label="Ansökan med förslag till beslut", queryset=None, empty_label="Välj ansökan"
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.case_number} {a.title} ({a.lead_party})"
        )


class AddDelegationReportForm(forms.Form):
    decision = forms.ModelChoiceField(
        label="Delegationsbeslut att anmäla", queryset=None, empty_label="Välj beslut"
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.decided_on:%Y-%m-%d} {d.application.case_number} {d.application.title}"
        )


class AddOtherItemForm(forms.Form):
    title = forms.CharField(label="Rubrik", max_length=200)
    notes = forms.CharField(
        label="Anteckning", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Protokollsanteckning", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label="Skäl (frivilligt)",
        max_length=300,
        required=False,
        help_text="Till exempel att du är anställd hos eller närstående till en sökande.",
    )


def _amount_fields(form, years, initial_amounts, help_by_year=None):
    for year in years:
        form.fields[f"amount_{year}"] = forms.IntegerField(
            label=f"Belopp {year} (kr)",
            min_value=0,
            required=False,
            initial=initial_amounts.get(year),
            help_text=(help_by_year or {}).get(year),
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Beslut", choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label="Villkor", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reasons = forms.CharField(
        label="Motivering",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Krävs vid avslag.",
    )
    conflicted = PeopleChoiceField(
        label="Anmälde jäv och deltog inte",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, years, members, initial_amounts=None, help_by_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.fields["conflicted"].queryset = members
        _amount_fields(self, self.years, initial_amounts or {}, help_by_year)
        self.order_fields(["outcome", *[f"amount_{y}" for y in self.years]])

    def amounts(self) -> dict[int, int]:
        return {year: self.cleaned_data.get(f"amount_{year}") or 0 for year in self.years}

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == meeting_rules.REJECT and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Skriv skälen för avslaget.")
        if outcome == meeting_rules.GRANT:
            problem = meeting_rules.amounts_problem(outcome, self.amounts(), self.years)
            if problem:
                raise ValidationError(problem)
        return data


class DelegatedDecisionForm(forms.Form):
    conditions = forms.CharField(
        label="Villkor", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reasons = forms.CharField(
        label="Motivering", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, years, initial_amounts=None, limit_kr=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.limit_kr = limit_kr
        _amount_fields(self, self.years, initial_amounts or {})
        self.order_fields([f"amount_{y}" for y in self.years])

    def amounts(self) -> dict[int, int]:
        return {year: self.cleaned_data.get(f"amount_{year}") or 0 for year in self.years}

    def clean(self):
        data = super().clean()
        amounts = self.amounts()
        problem = meeting_rules.amounts_problem(meeting_rules.GRANT, amounts, self.years)
        problem = problem or meeting_rules.delegation_problem(sum(amounts.values()), self.limit_kr)
        if problem:
            raise ValidationError(problem)
        return data


class SignersForm(forms.Form):
    chair = PersonChoiceField(
        label="Ordförande vid sammanträdet", queryset=User.objects.none(), empty_label=None
    )
    adjusters = PeopleChoiceField(
        label="Justerare",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="En eller två ledamöter som justerar protokollet tillsammans med ordföranden.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = members
        self.fields["adjusters"].queryset = members

    def clean(self):
        data = super().clean()
        adjusters = list(data.get("adjusters") or [])
        if len(adjusters) > meeting_rules.MAX_ADJUSTERS:
            self.add_error("adjusters", "Välj en eller två justerare.")
        chair = data.get("chair")
        if chair and chair in adjusters:
            self.add_error("adjusters", "Ordföranden justerar redan; välj någon annan.")
        return data


# Insatser.


class AgreementForm(forms.Form):
    signed_on = forms.DateField(label="Avtalet undertecknades", widget=DATE)

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise ValidationError("Avtalsdatumet kan inte ligga i framtiden.")
        return day


class PaymentRequestForm(forms.Form):
    year = forms.TypedChoiceField(label="År", coerce=int)
    amount_kr = forms.IntegerField(label="Belopp (kr)", min_value=1)
    description = forms.CharField(
        label="Avser", max_length=200, help_text="Till exempel ”Lönekostnader januari–april”."
    )

    def __init__(self, *args, years_left: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years_left = years_left
        self.fields["year"].choices = [
            (year, f"{year} (kvar att rekvirera {format_kr(left)})")
            for year, left in sorted(years_left.items())
        ]

    def clean(self):
        data = super().clean()
        year, amount = data.get("year"), data.get("amount_kr")
        if year is not None and amount and amount > self.years_left.get(year, 0):
            self.add_error(
                "amount_kr",
                f"Det återstår {format_kr(self.years_left.get(year, 0))} att rekvirera för {year}.",
            )
        return data


class DenyForm(forms.Form):
    reason = forms.CharField(label="Skäl för avvisning", widget=forms.Textarea(attrs={"rows": 4}))


class PaidForm(forms.Form):
    paid_on = forms.DateField(label="Utbetald den", widget=DATE)

    def clean_paid_on(self):
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise ValidationError("Utbetalningsdatumet kan inte ligga i framtiden.")
        return day


class ReportAddForm(forms.Form):
    kind = forms.ChoiceField(label="Typ av rapport", choices=Report.Kind.choices)
    due_on = forms.DateField(label="Ska lämnas senast", widget=DATE)


class ReportSubmitForm(forms.Form):
    text = forms.CharField(
        label="Rapport",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Hur insatsen går: aktiviteter, deltagare, resultat mot målen och kostnader.",
    )
    attachment = forms.FileField(
        label="Bilaga (frivillig)", required=False, help_text=rules.ATTACHMENT_HELP
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if upload.size > rules.MAX_ATTACHMENT_BYTES:
            raise ValidationError("Filen är större än 10 MB och kan inte bifogas.")
        try:
            filetypes.detect(upload)
        except filetypes.UnsupportedFile as error:
            raise ValidationError(str(error)) from error
        return upload
