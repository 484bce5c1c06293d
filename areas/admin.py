from django import forms
from django.contrib import admin

from areas.models import AdministrativeUnit, BoundaryFile, UnitSuccessor
from areas.services import boundary_upload, check_geojson


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit_type", "parent", "valid_from", "valid_to"]
    list_filter = ["unit_type", "depth", "valid_to"]
    search_fields = ["name", "code", "search_name", "aliases"]
    raw_id_fields = ["parent", "successor"]
    readonly_fields = ["path", "depth"]


@admin.register(UnitSuccessor)
class UnitSuccessorAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__code", "successor__code"]
    raw_id_fields = ["predecessor", "successor"]


class BoundaryFileForm(forms.ModelForm):
    class Meta:
        model = BoundaryFile
        fields = ["file", "licence"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_geojson(upload.read())
        upload.seek(0)
        return upload


@admin.register(BoundaryFile)
class BoundaryFileAdmin(admin.ModelAdmin):
    form = BoundaryFileForm
    list_display = ["file", "licence", "active", "uploaded_at"]

    def has_change_permission(self, request, obj=None):
        return False  # a new file replaces the old one; an uploaded file is never edited

    def save_model(self, request, obj, form, change):
        saved = boundary_upload(actor=request.user, file=form.cleaned_data["file"], licence=obj.licence)
        obj.pk = saved.pk
