from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Cơ sở công nghiệp nông thôn")

    def ready(self):
        from beneficiaries.models import Beneficiary
        from core import figures_cache

        # The map counts establishments per commune (core.figures_cache); the import writer bumps its bulk writes.
        figures_cache.watch(Beneficiary, "establishments")
