"""What each role's home page shows; each figure comes from the owning app's scoped selector."""

from django.contrib.auth import get_user_model

from accounts.roles import Role
from areas.models import AdministrativeUnit
from beneficiaries.selectors import beneficiary_list


def home_context(*, user, role: str | None) -> dict:
    context: dict = {"role": role}
    if role in (Role.STAFF, Role.LEADER, Role.AREA_OFFICER, Role.ADMIN):
        visible = beneficiary_list(user=user)
        context["beneficiary_count"] = visible.count()
        context["recent_beneficiaries"] = visible.order_by("-created_at")[:5]
    if role == Role.AREA_OFFICER:
        context["areas"] = list(user.areas.order_by("path"))
    if role == Role.ADMIN:
        context["user_count"] = get_user_model().objects.filter(is_active=True).count()
        context["unit_count"] = AdministrativeUnit.objects.count()
    return context
