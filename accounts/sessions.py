"""Session engine: the database backend, renewing the idle deadline at most once a minute instead of on every request.

SESSION_SAVE_EVERY_REQUEST rewrote the session row on every page (one UPDATE per request, contended under load). Here
the row's expiry is remembered when the session is read, and `IdleSessionRenewalMiddleware` marks the session modified
only when that expiry is more than SESSION_RENEW_SECONDS older than a fresh one would be: the idle timeout stays exact
to within that interval, and a page view normally writes nothing.
"""

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore


class SessionStore(DbSessionStore):
    db_expire_date = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.db_expire_date = session.expire_date if session is not None else None
        return session
