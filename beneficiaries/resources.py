"""django-import-export's view of the registry.

The import pages use their own fast path (importing/engine.py), which reads and validates the whole
sheet at once and writes in bulk. This ModelResource is the library's row-by-row path over the same
cleaning and address rules: the Django admin and scripts can use it, and bench/import_beneficiaries.py
compares the two on the same rows.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from areas.models import AdministrativeUnit
from beneficiaries.importing import engine
from beneficiaries.importing.addresses import UnitResolver
from beneficiaries.models import EDITABLE_FIELDS, Beneficiary, BeneficiaryStatus, CraftVillage
from core.text import fold, sort_key


class BeneficiaryResource(resources.ModelResource):
    unit = fields.Field(attribute="unit", column_name="unit", widget=ForeignKeyWidget(AdministrativeUnit))
    craft_village = fields.Field(
        attribute="craft_village", column_name="craft_village", widget=ForeignKeyWidget(CraftVillage)
    )

    class Meta:
        model = Beneficiary
        fields = ("id", *EDITABLE_FIELDS, "needs_review", "review_note")
        import_id_fields = ("tax_code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def before_import(self, dataset, **kwargs):
        self.resolver = UnitResolver.load()
        self.villages = engine.load_villages()

    def before_import_row(self, row, **kwargs):
        """The sheet's raw cells (keyed by column key) become model values through the same cleaning as the page."""
        number = kwargs.get("row_number") or 0
        values, errors, note = engine.read_values(number, dict(row), self.resolver, self.villages)
        if "legal_form" not in values and values.get("name"):
            values["legal_form"] = engine.cleaning.legal_form(None, values["name"])
        if errors:
            raise ValidationError("; ".join(f"{column}: {message}" for column, message in errors))
        row.clear()
        for name, value in values.items():
            row[name] = value.pk if name in ("unit", "craft_village") and value is not None else value
        row.setdefault("tax_code", "")
        if note:
            row["needs_review"], row["review_note"] = True, note[:255]

    def get_instance(self, instance_loader, row):
        tax_code, registration = row.get("tax_code"), row.get("registration_number")
        if tax_code:
            return Beneficiary.objects.filter(tax_code=tax_code).first()
        if registration:
            return Beneficiary.objects.filter(registration_number=registration).first()
        return None

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.status = BeneficiaryStatus.ACTIVE
            instance.created_by = self.actor
        instance.search_text = fold(
            " ".join(
                [instance.name, instance.tax_code, instance.registration_number, instance.address, instance.unit.name]
            )
        )[:600]
        instance.sort_name = sort_key(instance.name)
