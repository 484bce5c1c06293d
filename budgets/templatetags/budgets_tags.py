"""{% project_money p %} on the đề án page: the money in brief, the exceptions a leader approved, and the link to
the money page. Two queries; shown to those who may see money (the đề án page is already scoped)."""

from django import template
from django.db.models import Sum

from budgets.models import BudgetException, ExceptionStatus, FundingLine
from budgets.permissions import APPROVAL_PENDING, can_view_money

register = template.Library()


@register.inclusion_tag("budgets/partials/project_money_card.html", takes_context=True)
def project_money(context, project):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_view_money(user, project)[0]:
        return {"visible": False}
    totals = FundingLine.objects.filter(project=project).aggregate(
        approved=Sum("approved_amount"),
        estimated=Sum("estimated_cost"),
        disbursed=Sum("disbursed_total"),
        settled=Sum("settled_amount"),
    )
    exceptions = list(
        BudgetException.objects.filter(project=project, status=ExceptionStatus.APPROVED).select_related("decided_by")
    )
    return {
        "visible": True,
        "project": project,
        "totals": totals,
        "exceptions": exceptions,
        # Before the decision nothing is approved: the lines hold what is proposed.
        "proposed_only": project.status in APPROVAL_PENDING,
    }
