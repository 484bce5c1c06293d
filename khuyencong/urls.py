from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views

admin.site.site_header = _("Quản trị hệ thống Khuyến công")
admin.site.site_title = _("Khuyến công")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("co-so/", include("beneficiaries.urls")),
    path("de-an/", include("projects.urls")),
    path("kinh-phi/", include("budgets.urls")),
    path("kiem-tra/", include("field.urls")),
    path("van-ban/", include("documents.urls")),
    path("binh-chon/", include("contest.urls")),
    path("theo-doi/", include("monitoring.urls")),
    path("admin/", admin.site.urls),
]
# No /media/ route, DEBUG or not: every stored file is served by a view that checks role and area
# (core.files.file_response).
