from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from two_factor.plugins.webauthn.views import GetCredentialJS
from two_factor.urls import urlpatterns as two_factor_urls

from accounts import views as accounts_views
from accounts.views import LoginView
from core import views as core_views
from monitoring import views as monitoring_views

# django-two-factor-auth's pages (setup, QR, recovery codes, profile, disable, passkey scripts), with its own
# sign-in replaced by ours (accounts.views.LoginView: rate limits on codes) so no unthrottled door remains.
_tf_patterns, _tf_namespace = two_factor_urls
_tf_patterns = [p for p in _tf_patterns if getattr(p, "name", None) != "login"]
_tf_patterns.append(path("account/login/", LoginView.as_view(), name="login"))

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
    # The passkey sign-in script is asked before the person is signed in (the token step of the login wizard), so
    # the site-wide login requirement must let it through; it only serves the options the wizard put in the session.
    path(
        "accounts/account/two_factor/webauthn/get_credential.js",
        login_not_required(GetCredentialJS.as_view(content_type="text/javascript")),
    ),
    path("accounts/", include((_tf_patterns, _tf_namespace))),
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
    # The admin's own sign-in would skip the second factor: it goes through ours.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
# No /media/ route, DEBUG or not: every stored file is served by a view that checks role and area
# (core.files.file_response).
