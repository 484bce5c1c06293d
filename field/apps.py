from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "field"
    verbose_name = _("Kiểm tra, giám sát và nghiệm thu")

    def ready(self) -> None:
        from field.selectors import passed_acceptance
        from projects import hooks

        # The "Ghi nghiệm thu" button on the đề án page then finds the biên bản recorded here.
        hooks.set_acceptance_finder(passed_acceptance)
