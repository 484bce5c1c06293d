"""Shared by every app's permission checks: `can_<action>(user, obj) -> (allowed, reason)`."""

from django.core.exceptions import PermissionDenied

Decision = tuple[bool, str]


def require(decision: Decision) -> None:
    """Enforce a can_<action> answer: a refusal becomes a 403 carrying its Vietnamese reason."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)
