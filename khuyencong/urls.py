from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as accounts_views
from core import views as core_views
from monitoring import views as monitoring_views

admin.site.site_header = _("Quản trị hệ thống Khuyến công")
admin.site.site_title = _("Khuyến công")
# Technical support only: department roles work in the app's own pages (/quan-tri/).
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

# Database or broker unreachable → a Vietnamese 503 with Retry-After; any other failure → the 500 page.
handler500 = "core.errors.server_error"

urlpatterns = [
    path("", monitoring_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("dia-ban/tim/", accounts_views.unit_search, name="unit_search"),
    path("co-so/", include("beneficiaries.urls")),
    path("de-an/", include("projects.urls")),
    path("kinh-phi/", include("budgets.urls")),
    path("kiem-tra/", include("field.urls")),
    path("van-ban/", include("documents.urls")),
    path("binh-chon/", include("contest.urls")),
    path("theo-doi/", include("monitoring.urls")),
    path("api/", include("api.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("quan-tri/", include("administration.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
