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
