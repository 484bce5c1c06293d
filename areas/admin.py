from django.contrib import admin

from areas.models import AdministrativeUnit


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit_type", "parent", "valid_from", "valid_to"]
    list_filter = ["unit_type", "depth", "valid_to"]
    search_fields = ["name", "code", "search_name", "aliases"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth"]
