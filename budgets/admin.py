from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budgets.models import (
    BudgetAllocation,
    BudgetException,
    Disbursement,
    FundingAdjustment,
    FundingLine,
    ProjectFunding,
    Settlement,
    SupportCeiling,
)


@admin.register(SupportCeiling)
class SupportCeilingAdmin(SimpleHistoryAdmin):
    """The ceiling table is reference data: admins keep it in step with the law (a new row per change)."""

    list_display = [
        "activity_content",
        "title",
        "level",
        "percent_cap",
        "amount_cap",
        "basis",
        "effective_from",
        "effective_to",
        "legal_basis",
    ]
    list_filter = ["level", "activity_content", "basis"]
    search_fields = ["title", "legal_basis", "notes"]


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["year", "level", "amount", "decision", "legal_basis"]
    list_filter = ["level", "year"]


class ReadOnlyMoneyAdmin(SimpleHistoryAdmin):
    """Money moves only through the services (their checks and locks); the admin shows it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundingLine)
class FundingLineAdmin(ReadOnlyMoneyAdmin):
    list_display = [
        "project",
        "source",
        "cost_item",
        "estimated_cost",
        "approved_amount",
        "disbursed_total",
        "settled_amount",
    ]
    list_filter = ["source", "cost_item", "project__plan_year", "project__level"]
    search_fields = ["project__code", "project__title"]
    list_select_related = ["project"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyMoneyAdmin):
    list_display = ["line", "kind", "paid_on", "amount", "document_number", "recorded_by"]
    list_select_related = ["line__project", "recorded_by"]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyMoneyAdmin):
    list_display = ["line", "amount", "settled_on", "document_number"]


@admin.register(FundingAdjustment)
class FundingAdjustmentAdmin(ReadOnlyMoneyAdmin):
    list_display = ["line", "approved_amount", "adjusted_amount", "decision", "recorded_by"]


@admin.register(BudgetException)
class BudgetExceptionAdmin(ReadOnlyMoneyAdmin):
    list_display = ["project", "kind", "amount", "status", "requested_by", "decided_by", "decided_at"]
    list_filter = ["kind", "status"]


@admin.register(ProjectFunding)
class ProjectFundingAdmin(ReadOnlyMoneyAdmin):
    list_display = ["project", "ceiling", "ceiling_units", "ceiling_exception", "allocation_exception"]
