from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from two_factor import views as two_factor_views

from accounts import audit, permissions, second_factor, selectors
from accounts.exporting import XLSX_CONTENT_TYPE, access_log_workbook
from accounts.forms import AccessLogFilterForm, LanguageForm, ReauthForm
from accounts.models import AccessAction
from accounts.scope import area_paths
from accounts.services import user_set_language
from areas.selectors import unit_search as unit_search_selector
from core.permissions import require
from core.search import PAGE, query_words, results_response
from core.text import fold


@require_POST
def set_language(request):
    """Saves the chosen interface language on the user, so it follows them to any device."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngôn ngữ không hợp lệ."))
        return redirect("home")
    user_set_language(actor=request.user, language=form.cleaned_data["language"])
    translation.activate(form.cleaned_data["language"])
    messages.success(request, _("Đã đổi ngôn ngữ giao diện."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


def profile(request):
    return render(
        request, "accounts/profile.html", {"language_form": LanguageForm(initial={"language": request.user.language})}
    )


# --- Password change and reset, recorded in the access log; reset requests rate limited -----------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(self.request, AccessAction.PASSWORD_CHANGE)
        return response


def _reset_rate(group, request) -> str:
    return settings.PASSWORD_RESET_RATE


def _reset_account(group, request) -> str:
    return fold(request.POST.get("email", ""))


# Per address and per account asked for: a flood from one place, or at one person's mailbox, stops.
@method_decorator(
    [
        ratelimit(group="password_reset_ip", key="ip", rate=_reset_rate, method="POST"),
        ratelimit(group="password_reset_account", key=_reset_account, rate=_reset_rate, method="POST"),
    ],
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        audit.record(self.request, AccessAction.PASSWORD_RESET_REQUEST, form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(self.request, AccessAction.PASSWORD_RESET, user=form.user)
        return response


class LoginView(two_factor_views.LoginView):
    """django-two-factor-auth's sign-in wizard: password (django-axes locks as before), then the second factor
    if the user has one. Codes are limited per address and per account (TWO_FACTOR_ATTEMPT_RATE) on top of
    django-otp's own growing delay per device."""

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and (
            request.user.is_verified() or not second_factor.required_for(request.user)
        ):
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        step = self.request.POST.get("login_view-current_step", "")
        if step in (self.TOKEN_STEP, self.BACKUP_STEP):
            user = self.get_user()
            rate = settings.TWO_FACTOR_ATTEMPT_RATE
            by_ip = is_ratelimited(self.request, group="second_factor_ip", key="ip", rate=rate, increment=True)
            by_account = is_ratelimited(
                self.request,
                group="second_factor_account",
                key=lambda group, request: str(user.pk if user else ""),
                rate=rate,
                increment=True,
            )
            if by_ip or by_account:
                return rate_limited(self.request, None)
        return super().post(*args, **kwargs)


@ratelimit(group="reauth", key="user", rate="10/15m", method="POST")
def reauth(request):
    """The password again before a factor is added, removed or its recovery codes regenerated."""
    form = ReauthForm(request.user, request.POST or None)
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if request.method == "POST" and form.is_valid():
        second_factor.mark_authenticated(request)
        return redirect(target or "two_factor:profile")
    return render(request, "accounts/reauth.html", {"form": form, "next": target})


def rate_limited(request, exception):
    """RATELIMIT_VIEW: too many requests, said in Vietnamese."""
    return render(request, "registration/rate_limited.html", status=429)


# --- The access log page (admin) ---------------------------------------------------------------------------------

LOG_PAGE_SIZE = 50


def _access_log_filtered(request):
    require(permissions.can_view_access_log(request.user))
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.access_events(**{k: v for k, v in filters.items() if v})


def access_log(request):
    form, events = _access_log_filtered(request)
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "accounts/access_log.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "retention": settings.ACCESS_LOG_RETENTION_DAYS,
        },
    )


def access_log_export(request):
    form, events = _access_log_filtered(request)
    content = access_log_workbook(events)
    audit.record(request, AccessAction.EXPORT, _("Nhật ký truy cập (%(count)s dòng)") % {"count": events.count()})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-truy-cap-{stamp}.xlsx"'
    return response


@require_GET
def unit_search(request):
    """The administrative-unit picker's JSON (core.widgets.SearchSelect): the units of the user's areas matching
    `q`, current communes first; `current=1` only units in force, `top=1` only districts and current communes."""
    units = unit_search_selector(
        paths=area_paths(request.user),
        words=query_words(request),
        current_only=request.GET.get("current") == "1",
        top_level_only=request.GET.get("top") == "1",
    )
    return results_response(units[: PAGE + 1], str)
