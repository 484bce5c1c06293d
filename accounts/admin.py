from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "get_full_name", "email", "title", "is_active"]
    list_filter = ["groups", "is_active", "is_staff"]
    filter_horizontal = ["groups", "user_permissions", "areas"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Khuyến công"), {"fields": ("title", "phone", "language", "areas")}),)
