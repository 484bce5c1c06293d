from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Người dùng và phân quyền")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.roles import sync_role_permissions

        # Permissions of apps added later are granted to the role groups after each migrate.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")

        from axes.signals import user_locked_out

        from accounts import signals

        user_locked_out.connect(signals.log_lockout, dispatch_uid="accounts.log_lockout")
