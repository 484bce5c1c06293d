from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class IdleSessionRenewalMiddleware:
    """Push a signed-in session's idle deadline forward when it is more than SESSION_RENEW_SECONDS stale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or not session.session_key:
            return response
        expire = getattr(session, "db_expire_date", None)
        if expire is None:
            return response
        fresh = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        if fresh - expire > timedelta(seconds=settings.SESSION_RENEW_SECONDS):
            session.modified = True  # SessionMiddleware (outside this one) saves it with a new expiry
        return response


# Pages a user may open before their second factor is set up (and the sign-in/out pages themselves).
SETUP_ALLOWED = {
    "login",
    "logout",
    "reauth",
    "set_language",
    "healthz",
    "two_factor:login",
    "two_factor:setup",
    "two_factor:qr",
    "two_factor:setup_complete",
    "two_factor:backup_tokens",
}
# Adding, removing or regenerating a factor: the password again, recently (settings.REAUTH_MINUTES).
REAUTH_REQUIRED = {"two_factor:setup", "two_factor:disable", "two_factor:backup_tokens"}
# A successful POST to one of these changed the user's factors: one access-log row.
FACTOR_CHANGES = {"two_factor:setup", "two_factor:disable", "two_factor:backup_tokens"}


class SecondFactorMiddleware:
    """Holds users of the roles in TWO_FACTOR_REQUIRED_ROLES on the setup page until they have a second factor,
    asks for the password before factor changes, and records those changes in the access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.view_name in FACTOR_CHANGES
            and request.method == "POST"
            and response.status_code == 302
            and request.user.is_authenticated
        ):
            from accounts import audit
            from accounts.models import AccessAction

            audit.record(request, AccessAction.MFA_CHANGE, match.view_name.split(":")[-1])
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.utils.http import urlencode

        from accounts import second_factor

        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None:
            return None
        name = match.view_name
        if "webauthn" in name:
            return None  # the passkey registration's own endpoints, used by the setup page
        if name in REAUTH_REQUIRED and not second_factor.recently_authenticated(request):
            return redirect(f"{second_factor.reauth_url()}?{urlencode({'next': request.get_full_path()})}")
        if not second_factor.required_for(user) or user.is_verified() or name in SETUP_ALLOWED:
            return None
        if request.headers.get("HX-Request"):
            # A fragment the page asks for by itself (the notification bell): nothing to show until the second
            # factor is set up. A redirect would swap the whole setup page into the fragment, again and again.
            from django.http import HttpResponse

            return HttpResponse(status=204)
        if second_factor.has_factor(user):
            # A session opened before the factor existed: sign in again, with it.
            logout(request)
            return redirect(f"{second_factor.login_url()}?{urlencode({'next': request.get_full_path()})}")
        return redirect("two_factor:setup")
