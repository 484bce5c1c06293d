from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api.models import ApiAccessLog, ApiClient
from api.services import client_create, client_revoke


class ApiClientCreateForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ["name", "unit"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "token_prefix", "active", "created_at", "revoked_at"]
    list_filter = ["active"]
    search_fields = ["name", "token_prefix"]
    raw_id_fields = ["unit"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiClientCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["name", "unit"] if obj is None else ["name", "unit", "token_prefix", "active", "revoked_at", "user"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["unit", "token_prefix", "active", "revoked_at", "user"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, token = client_create(actor=request.user, name=obj.name, unit=obj.unit)
        obj.pk = client.pk
        messages.warning(
            request,
            _("Mã khóa của %(name)s (chỉ hiện một lần, hãy sao chép ngay): %(token)s")
            % {"name": client.name, "token": token},
        )

    @admin.action(description=_("Thu hồi mã khóa"))
    def revoke(self, request, queryset):
        for client in queryset:
            client_revoke(actor=request.user, client=client)
        self.message_user(request, _("Đã thu hồi %(n)d mã khóa.") % {"n": queryset.count()})


@admin.register(ApiAccessLog)
class ApiAccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "client", "method", "path", "query", "status", "duration_ms"]
    list_filter = ["status", "client"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
