from django.contrib import admin

from areas.models import AdministrativeUnit, UnitSuccessor


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
