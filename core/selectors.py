"""What each role's home page shows; each figure comes from the owning app's scoped selector."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import Role
from areas.models import AdministrativeUnit
from beneficiaries.selectors import beneficiary_list


def home_context(*, user, role: str | None) -> dict:
    from monitoring import selectors as monitoring

    context: dict = {"role": role}
    year = timezone.localdate().year
    if role in (Role.STAFF, Role.LEADER, Role.AREA_OFFICER, Role.ADMIN):
        visible = beneficiary_list(user=user)
        context["beneficiary_count"] = visible.count()
    if role == Role.STAFF:
        context["work"] = monitoring.staff_worklist(user=user)
    if role == Role.LEADER:
        context["year"] = year
        context["figures"] = monitoring.key_figures(user=user, year=year)
        context["queue"] = monitoring.leader_queue(user=user)
        context["links"] = {
            "projects": monitoring.project_list_url(year=year, kind="de_an"),
            "tasks": monitoring.project_list_url(year=year, kind="du_toan"),
            "all": monitoring.project_list_url(year=year),
        }
    if role == Role.AREA_OFFICER:
        context["areas"] = list(user.areas.order_by("path"))
        context["overview"] = monitoring.officer_overview(user=user)
        context["recent_beneficiaries"] = visible.order_by("-created_at")[:5]
    if role == Role.ADMIN:
        context["user_count"] = get_user_model().objects.filter(is_active=True).count()
        context["unit_count"] = AdministrativeUnit.objects.count()
        context["activity"] = monitoring.admin_activity()
    return context
