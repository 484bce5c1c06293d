from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import DocumentJob, IssuingBody


@admin.register(IssuingBody)
class IssuingBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent_name", "signer_authority", "signer_title", "signer_name", "active"]
    list_filter = ["active"]


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by the services only (request, render, re-send)."""

    list_display = ["title", "kind", "version", "status", "progress", "attempts", "requested_by", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "uid", "sha256"]
    readonly_fields = [field.name for field in DocumentJob._meta.fields] + ["requesters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
