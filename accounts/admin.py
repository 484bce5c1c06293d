from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import AccessEvent, User
from accounts.second_factor import second_factor_reset


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "get_full_name", "email", "title", "is_active"]
    list_filter = ["groups", "is_active", "is_staff"]
    filter_horizontal = ["groups", "user_permissions", "areas"]
    actions = ["reset_second_factor"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Khuyến công"), {"fields": ("title", "phone", "language", "areas")}),)

    @admin.action(description=_("Đặt lại xác thực hai lớp (mất điện thoại, khóa bảo mật)"))
    def reset_second_factor(self, request, queryset):
        removed = sum(second_factor_reset(actor=request.user, user=user, request=request) for user in queryset)
        self.message_user(
            request,
            _("Đã xóa %(devices)s thiết bị xác thực của %(users)s người dùng; họ sẽ phải thiết lập lại khi đăng nhập.")
            % {"devices": removed, "users": queryset.count()},
        )


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: written by accounts.audit only (the filtered page and export: /accounts/nhat-ky-truy-cap/)."""

    list_display = ["created_at", "username", "action", "what", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username", "what", "ip_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
