"""Export and import of applications (django-import-export).

An import only writes content through the services: new rows become drafts of the importing
user's party, existing rows change only while they are open for edits, and the status column is
read-only, so no import can submit an application past the two-party rule or the workflow.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from forbund.models import Party

from . import services
from .models import Application


class ApplicationResource(resources.ModelResource):
    case_number = fields.Field(attribute="case_number", column_name="diarienummer", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    lead_party = fields.Field(
        attribute="lead_party",
        column_name="huvudman",
        widget=ForeignKeyWidget(Party, field="name"),
    )

    class Meta:
        model = Application
        fields = ("id", "case_number", "status", "lead_party", *services.CONTENT_FIELDS)
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None and kwargs.get("user") is not None:
            instance.created_by = kwargs["user"]

    def save_instance(self, instance, is_create, row, **kwargs):
        user = kwargs.get("user")
        if user is None:
            raise ValidationError("Import kräver en inloggad användare.")
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        content = {name: getattr(instance, name) for name in services.CONTENT_FIELDS}
        if is_create:
            created = services.application_create(
                lead_party=instance.lead_party, by=user, **content
            )
            instance.pk = created.pk
        else:
            current = Application.objects.get(pk=instance.pk)
            if current.lead_party_id != instance.lead_party_id:
                raise ValidationError("Huvudmannen kan inte bytas på en befintlig ansökan.")
            services.application_update(application=current, by=user, **content)
