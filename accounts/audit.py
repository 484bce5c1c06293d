"""The access log's one writer. Other apps call `record(request, action, what)` when they hand out personal or
financial data (lists, summaries, PDFs, uploaded files); accounts' signal handlers record sign-ins and the like.

accounts is a low floor, so any app may import this module without an upward import.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

from accounts.models import AccessAction, AccessEvent

__all__ = ["AccessAction", "client_ip", "record"]


def client_ip(request) -> str | None:
    """The client's address; axes locks on the same one (AXES_CLIENT_IP_CALLABLE), so log and lockout agree.

    Behind the compose proxy REMOTE_ADDR is Caddy; Caddy replaces any X-Forwarded-For a client sends with the
    address it saw, so with TRUST_PROXY_HEADERS the last entry is the client. Without it (embedded mode, a
    gunicorn reached directly) the header is the client's own word and is ignored.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "TRUST_PROXY_HEADERS", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidate = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def record(request, action: str, what: str = "", *, user=None, username: str = "") -> AccessEvent:
    """Write one access-log row for this request. `what` names what was taken ("Danh sách cơ sở CNNT (120 dòng)")."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if candidate is not None and candidate.is_authenticated else None
    if user is not None and not username:
        username = user.get_username()
    meta = request.META if request is not None else {}
    return AccessEvent.objects.create(
        user=user,
        username=username[:150],
        action=AccessAction(action),
        what=str(what)[:500],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        path=(request.path if request is not None else "")[:300],
    )


def axes_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name from authenticate()'s credentials, else the wizard's "auth-username"."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    data = getattr(request, "POST", {}) if request is not None else {}
    return data.get("auth-username") or data.get("username")
