from django import forms
from django.utils.text import slugify

from .models import Category, FollowUpSettings


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
