from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contest.models import Certificate, Contest, CriteriaSet, Criterion, Entry


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["code", "name", "max_points", "parent", "position"]
    extra = 1


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    """A new circular's grid is entered here as data: groups, then sub-criteria with `parent` set."""

    list_display = ["name", "code", "effective_from", "active"]
    inlines = [CriterionInline]


@admin.register(Contest)
class ContestAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "level", "state"]
    list_filter = ["state", "level"]
    # State changes go through contest.services.contest_transition (who and when are recorded there).
    readonly_fields = ["state"]
    filter_horizontal = ["secretaries", "jurors"]


@admin.register(Entry)
class EntryAdmin(SimpleHistoryAdmin):
    list_display = ["number", "product_name", "group", "beneficiary", "contest"]
    list_filter = ["contest", "group"]
    search_fields = ["product_name", "beneficiary__name"]
    readonly_fields = ["proposed"]


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ["number", "product_name", "beneficiary_name", "issued_on", "valid_until"]
    list_filter = ["contest"]

    def has_change_permission(self, request, obj=None):
        return False
