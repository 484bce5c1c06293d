from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from areas.models import AdministrativeUnit, UnitSuccessor
        from core import figures_cache

        # Area names, places and successors are part of every figure grouped by area (core.figures_cache).
        figures_cache.watch(AdministrativeUnit, "units")
        figures_cache.watch(UnitSuccessor, "units")
