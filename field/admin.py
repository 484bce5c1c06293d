from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from field.models import (
    Acceptance,
    AcceptanceFunding,
    AcceptanceOutput,
    ActionReminder,
    CouncilMember,
    FieldAssignment,
    FieldReport,
    FollowUpAction,
    Inspection,
    ObservedOutput,
    ReportPhoto,
)


@admin.register(FieldAssignment)
class FieldAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["project", "unit", "staff"]
    raw_id_fields = ["project", "unit", "staff"]


class ObservedOutputInline(admin.TabularInline):
    model = ObservedOutput
    extra = 0
    raw_id_fields = ["output"]


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    fields = ["original_name", "taken_at", "gps_latitude", "gps_longitude", "width", "height"]
    readonly_fields = fields


@admin.register(FieldReport)
class FieldReportAdmin(SimpleHistoryAdmin):
    list_display = [
        "visit_date",
        "project",
        "beneficiary",
        "author",
        "status",
        "has_problem",
        "problem_acknowledged_at",
    ]
    list_filter = ["status", "has_problem"]
    raw_id_fields = ["author", "project", "beneficiary", "unit", "responsible_staff", "problem_acknowledged_by"]
    readonly_fields = ["client_id"]
    inlines = [ObservedOutputInline, ReportPhotoInline]


class FollowUpActionInline(admin.TabularInline):
    model = FollowUpAction
    extra = 0
    raw_id_fields = ["owner", "done_by"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "kind", "status", "planned_date", "done_date"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["project", "created_by"]
    filter_horizontal = ["team"]
    inlines = [FollowUpActionInline]


@admin.register(ActionReminder)
class ActionReminderAdmin(admin.ModelAdmin):
    list_display = ["action", "sent_on", "recipient", "sent_at"]
    raw_id_fields = ["action"]


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ["user"]


class AcceptanceOutputInline(admin.TabularInline):
    model = AcceptanceOutput
    extra = 0
    raw_id_fields = ["output"]


class AcceptanceFundingInline(admin.TabularInline):
    model = AcceptanceFunding
    extra = 0


@admin.register(Acceptance)
class AcceptanceAdmin(SimpleHistoryAdmin):
    """Read and correct typos only: recording a new acceptance goes through the page (it moves the đề án)."""

    list_display = ["project", "attempt", "held_on", "result"]
    list_filter = ["result"]
    raw_id_fields = ["project", "recorded_by"]
    inlines = [CouncilMemberInline, AcceptanceOutputInline, AcceptanceFundingInline]

    def has_add_permission(self, request):
        return False
