from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    """The department admin's pages (users, reference data) in the site layout; sits at the top, beside
    monitoring, so it may use every app's selectors and services. It has no models of its own."""

    name = "administration"
    verbose_name = _("Quản trị")
