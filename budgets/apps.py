from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Kinh phí")

    def ready(self):
        # The contract and the plan's documents (Tờ trình, the decision, the KCQG registration) are document
        # kinds registered on import; they are no `document_kinds` module, and budgets/document_kinds.py, which
        # holds the helpers they share, does not import them back.
        from budgets import contract_kinds, plan_documents  # noqa: F401
        from budgets.services import settlement_guard
        from projects import hooks
        from projects.models import ProjectStatus

        # A đề án is settled only when every line with approved money has its quyết toán.
        hooks.register_guard(ProjectStatus.SETTLED, settlement_guard)
        # The đề án's contract line on the đề án page.
        hooks.register_project_documents(contract_kinds.project_document_links)
        # The CONTRACTED step takes the number and date of the contract issued in the register.
        hooks.set_contract_finder(contract_kinds.contract_in_register)

        # The pre-computed figures follow every save and delete of a đề án or a funding line (budgets.figures).
        from django.db.models.signals import post_delete, post_save

        from budgets import figures
        from budgets.models import FundingLine
        from projects.models import Project

        post_save.connect(figures.project_saved, sender=Project, dispatch_uid="figures_project_saved")
        post_save.connect(figures.line_saved, sender=FundingLine, dispatch_uid="figures_line_saved")
        post_delete.connect(figures.line_deleted, sender=FundingLine, dispatch_uid="figures_line_deleted")

        # The figures shared between readers (core.figures_cache): budgets.figures bumps where it writes; a đề án
        # deleted takes its figures row with it (a cascade, not watched: rebuild() deletes them all at once).
        from budgets.models import BudgetAllocation
        from core import figures_cache

        figures_cache.watch(BudgetAllocation, "figures")
        post_delete.connect(
            lambda sender, **kwargs: figures_cache.bump("figures"),
            sender=Project,
            weak=False,
            dispatch_uid="figures_cache_project_deleted",
        )
