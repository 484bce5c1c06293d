from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import DocumentJob, IssuedDocument, IssuingBody, SigningIdentity


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


@admin.register(SigningIdentity)
class SigningIdentityAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "signer_kind", "user", "issuing_body", "pkcs12_path", "active"]
    list_filter = ["signer_kind", "active"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(SimpleHistoryAdmin):
    """Read-only: the register is written by issuing and signing only; an issued document is never edited."""

    list_display = ["symbol", "issued_on", "summary", "signer_name", "signature_count"]
    list_filter = ["year", "doc_type"]
    search_fields = ["symbol", "summary", "sha256"]
    readonly_fields = [field.name for field in IssuedDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
