from django import forms
from django.core.exceptions import ValidationError

from forbund.models import Party

from . import filetypes, rules
from .models import Application, BudgetLine, CoFunding, Proposal
from .services import CONTENT_FIELDS

TEXTAREA = forms.Textarea(attrs={"rows": 5})


class ApplicationForm(forms.ModelForm):
    """The content of an application. `lead_party` appears only on a new draft."""

    lead_party = forms.ModelChoiceField(
        label="Huvudman",
        queryset=Party.objects.none(),
        required=True,
        empty_label=None,
        help_text="Den part som tar emot och redovisar pengarna.",
    )

    class Meta:
        model = Application
        fields = CONTENT_FIELDS
        widgets = {
            "background": TEXTAREA,
            "purpose": TEXTAREA,
            "goals": TEXTAREA,
            "target_group": TEXTAREA,
            "method": TEXTAREA,
            "follow_up_plan": TEXTAREA,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "background": "Vilket behov finns, och vilka brister i samverkan ska insatsen möta?",
            "goals": "Mål som går att följa upp, t.ex. andel deltagare i arbete eller studier.",
            "planned_participants": "Krävs för en individinriktad insats.",
            "follow_up_plan": "Hur ni följer upp och utvärderar resultaten.",
        }

    def __init__(self, *args, lead_parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lead_parties is None:
            del self.fields["lead_party"]
        else:
            self.fields["lead_party"].queryset = lead_parties
            self.order_fields(["lead_party", *CONTENT_FIELDS])
        self.fields["kind"].choices = Application.Kind.choices


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "category", "description", "amount_kr"]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.fields["amount_kr"].min_value = 0
        self.fields["amount_kr"].widget.attrs["min"] = 0
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})

    def clean_year(self):
        year = self.cleaned_data["year"]
        problem = rules.budget_year_problem(year, self.years)
        if problem:
            raise ValidationError(problem)
        return year


class CoFundingForm(forms.ModelForm):
    class Meta:
        model = CoFunding
        fields = ["party", "year", "kind", "description", "amount_kr"]

    def __init__(self, *args, years=(), parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        if parties is not None:
            self.fields["party"].queryset = parties
        self.fields["amount_kr"].min_value = 0
        self.fields["amount_kr"].widget.attrs["min"] = 0
        self.fields["amount_kr"].help_text = "Insatser i annan form anges med sitt värde."

    def clean_year(self):
        year = self.cleaned_data["year"]
        problem = rules.budget_year_problem(year, self.years)
        if problem:
            raise ValidationError(problem)
        return year


class RowFormSet(forms.BaseModelFormSet):
    def rows(self) -> list[dict]:
        """Return the kept rows as plain dicts for the service."""
        result = []
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            data = {name: form.cleaned_data[name] for name in form._meta.fields}
            result.append(data)
        return result


BudgetFormSet = forms.modelformset_factory(
    BudgetLine, form=BudgetLineForm, formset=RowFormSet, extra=3, can_delete=True
)
CoFundingFormSet = forms.modelformset_factory(
    CoFunding, form=CoFundingForm, formset=RowFormSet, extra=2, can_delete=True
)


class InviteForm(forms.Form):
    party = forms.ModelChoiceField(
        label="Part att bjuda in", queryset=Party.objects.none(), empty_label="Välj part"
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label="Svar",
        choices=[("confirm", "Vi bekräftar vårt deltagande"), ("decline", "Vi avböjer")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Kommentar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Krävs om ni avböjer.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("comment", "").strip():
            self.add_error("comment", "Skriv varför parten avböjer, så att huvudmannen vet.")
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Fil", help_text=rules.ATTACHMENT_HELP)
    description = forms.CharField(label="Beskrivning", max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > rules.MAX_ATTACHMENT_BYTES:
            raise ValidationError("Filen är större än 10 MB och kan inte bifogas.")
        try:
            filetypes.detect(upload)
        except filetypes.UnsupportedFile as error:
            raise ValidationError(str(error)) from error
        return upload


class SubmitForm(forms.Form):
    answer = forms.CharField(
        label="Svar på kansliets frågor", widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, completing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not completing:
            del self.fields["answer"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Varför återtas ansökan?", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CommentForm(forms.Form):
    text = forms.CharField(label="Kommentar", widget=forms.Textarea(attrs={"rows": 4}))


class CompletionRequestForm(forms.Form):
    questions = forms.CharField(
        label="Vad ska sökanden komplettera?",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Frågorna skickas till huvudmannen och kontaktpersonen.",
    )


class ProposalForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="Förslag", choices=Proposal.Recommendation.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(label="Motivering", widget=forms.Textarea(attrs={"rows": 8}))
    conditions = forms.CharField(
        label="Villkor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="T.ex. krav på lägesrapport per tertial.",
    )

    def __init__(self, *args, years, budget_by_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            self.fields[f"amount_{year}"] = forms.IntegerField(
                label=f"Belopp {year} (kr)",
                min_value=0,
                required=False,
                help_text=(f"Sökt: {budget_by_year.get(year, 0)} kr" if budget_by_year else None),
            )

    def amounts(self) -> dict[int, int]:
        return {year: self.cleaned_data.get(f"amount_{year}") or 0 for year in self.years}

    def clean(self):
        data = super().clean()
        if data.get("recommendation") == Proposal.Recommendation.GRANT and not any(
            data.get(f"amount_{year}") for year in self.years
        ):
            raise ValidationError("Ett förslag att bevilja måste ha ett belopp för minst ett år.")
        return data
