from django import forms
from django.core.exceptions import ValidationError

from .models import Party, RoleAssignment, User


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
