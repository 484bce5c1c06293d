"""Writes for API clients: creation (the token is returned once) and revocation."""

import secrets
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from api.models import ApiClient, token_hash


def _require_admin(actor) -> None:
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống được quản lý đơn vị dùng API.")


def client_create(*, actor, name: str, unit=None) -> tuple[ApiClient, str]:
    """Creates a client with its service account; returns it and the token (shown once, never stored)."""
    from django.contrib.auth.models import Group

    _require_admin(actor)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        user = User(username=f"api-{uuid.uuid4().hex[:12]}", first_name=name[:150])
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.add(Group.objects.get(name=Role.AREA_OFFICER if unit is not None else Role.LEADER))
        if unit is not None:
            user.areas.add(unit)
        client = ApiClient(
            name=name, unit=unit, user=user, token_hash=token_hash(token), token_prefix=token[:8], created_by=actor
        )
        client.full_clean(exclude=["user"])
        client.save()
    return client, token


def client_revoke(*, actor, client: ApiClient) -> ApiClient:
    """Revokes the token for good; a repeated call changes nothing."""
    _require_admin(actor)
    if not client.active:
        return client
    with transaction.atomic():
        client.active = False
        client.revoked_at = timezone.now()
        client.save(update_fields=["active", "revoked_at", "updated_at"])
    return client
