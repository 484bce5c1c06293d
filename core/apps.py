from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Dùng chung")

    def ready(self):
        from core import admin

        admin.install()  # every admin search box capped (core/admin.py)
