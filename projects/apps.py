from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Đề án khuyến công")

    def ready(self):
        from core import figures_cache
        from projects.models import ActivityContent, Project

        # The figures group by activity content, read through the đề án's contents (core.figures_cache); the
        # money itself is budgets.figures', which bumps "figures" where it writes.
        figures_cache.watch(ActivityContent, "figures")
        figures_cache.watch(Project.contents.through, "figures")
