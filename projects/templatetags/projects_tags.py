from django import template
from django.utils.html import format_html

from beneficiaries.models import BeneficiaryStatus
from projects.models import ProjectStatus
from projects.permissions import can_create_project
from projects.selectors import beneficiary_projects

register = template.Library()

S = ProjectStatus
_BADGE = {
    S.DRAFT: "secondary",
    S.REGISTERED: "info",
    S.APPRAISED: "info",
    S.APPROVED: "primary",
    S.CONTRACTED: "primary",
    S.IN_PROGRESS: "warning",
    S.AWAITING_ACCEPTANCE: "warning",
    S.ACCEPTED: "success",
    S.CONTRACT_CLOSED: "success",
    S.SETTLED: "dark",
    S.NOT_APPROVED: "danger",
    S.SUSPENDED: "danger",
    S.STOPPED: "danger",
}


@register.simple_tag
def status_badge(status: str):
    label = S(status).label if status in S.values else status
    return format_html('<span class="badge text-bg-{}">{}</span>', _BADGE.get(status, "secondary"), label)


@register.inclusion_tag("projects/partials/beneficiary_projects.html", takes_context=True)
def projects_of_beneficiary(context, beneficiary):
    """The đề án of one establishment that the signed-in user may see; used on the beneficiary page."""
    user = context["request"].user
    return {
        "projects": beneficiary_projects(user=user, beneficiary=beneficiary),
        "b": beneficiary,
        "can_create": beneficiary.status != BeneficiaryStatus.ARCHIVED
        and can_create_project(user, beneficiary.unit)[0],
    }
