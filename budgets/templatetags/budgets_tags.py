"""{% project_money p %} on the đề án page: the money in brief, the exceptions a leader approved, and the link to
the money page. Two queries; shown to those who may see money (the đề án page is already scoped)."""

from django import template

from budgets.permissions import can_view_money
from budgets.selectors import project_money_brief

register = template.Library()


@register.inclusion_tag("budgets/partials/project_money_card.html", takes_context=True)
def project_money(context, project):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_view_money(user, project)[0]:
        return {"visible": False}
    return {"visible": True, "project": project, **project_money_brief(project)}
