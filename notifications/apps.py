from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        # Lower apps send core.events signals; connecting here keeps every import pointing downwards.
        from notifications import receivers

        receivers.connect()
