from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản, báo cáo")

    def ready(self) -> None:
        from documents.kinds import load_kinds

        load_kinds()
