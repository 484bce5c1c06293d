from django import forms
from django.contrib import admin

from areas.models import BoundaryFile
from monitoring.boundaries import boundary_upload, check_geojson


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
