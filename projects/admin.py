from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from projects.models import (
    ActivityContent,
    Adjustment,
    AnnualPlan,
    Attachment,
    Decision,
    DecisionItem,
    LegalBasis,
    Organisation,
    PlannedOutput,
    Project,
    ProjectTransition,
)


@admin.register(LegalBasis)
class LegalBasisAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "title", "effective_from", "effective_to"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]


@admin.register(ActivityContent)
class ActivityContentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "legal_basis", "effective_from", "effective_to", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "representative", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "unit", "address", "active"]}),
        (
            _("Bên ký hợp đồng"),
            {"fields": ["representative", "representative_title", "phone", "tax_code", "bank_account", "bank_name"]},
        ),
    ]


class PlannedOutputInline(admin.TabularInline):
    model = PlannedOutput
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ProjectTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "comment", "decision"]

    def has_add_permission(self, request, obj=None):
        # Status moves only through projects.services.project_transition.
        return False


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "level", "plan_year", "status"]
    list_filter = ["level", "kind", "plan_year", "status"]
    search_fields = ["code", "title", "search_text"]
    raw_id_fields = ["unit", "beneficiaries", "created_by"]
    # Status and version belong to the state machine; editing them here would bypass its rules.
    readonly_fields = ["status", "status_before_suspension", "version", "search_text"]
    inlines = [PlannedOutputInline, TransitionInline]


class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    extra = 0
    raw_id_fields = ["project"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "signed_on", "issuing_body", "kind"]
    list_filter = ["kind", "level"]
    search_fields = ["number", "summary"]
    inlines = [DecisionItemInline]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "level", "year", "decision"]
    list_filter = ["level"]


@admin.register(Adjustment)
class AdjustmentAdmin(SimpleHistoryAdmin):
    list_display = ["project", "kind", "authority", "status", "decision"]
    list_filter = ["kind", "status", "authority"]
    raw_id_fields = ["project", "decision", "requested_by", "decided_by"]
    readonly_fields = ["status", "decided_by", "decided_at"]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "kind", "size"]
    raw_id_fields = ["project", "uploaded_by"]
    readonly_fields = ["sha256", "size"]
