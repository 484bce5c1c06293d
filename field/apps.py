from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "field"
    verbose_name = _("Kiểm tra, giám sát và nghiệm thu")

    def ready(self) -> None:
        from field import closure_kinds
        from field.selectors import passed_acceptance
        from projects import hooks

        # The "Ghi nghiệm thu" button on the đề án page then finds the biên bản recorded here.
        hooks.set_acceptance_finder(passed_acceptance)
        # The contract's closure minutes (a document kind registered on import) and their line on the đề án page.
        hooks.register_project_documents(closure_kinds.project_document_links)
