"""Home-page blocks from the field app, fed by its scoped selectors."""

from django import template

from field import permissions, selectors

register = template.Library()


@register.inclusion_tag("field/partials/officer_projects.html")
def officer_field_projects(user):
    """An area officer's đề án with a "Viết báo cáo" button, and their unfinished drafts."""
    return {
        "projects": list(selectors.reportable_projects(user=user)[:20]),
        "drafts": list(selectors.my_drafts(user=user).select_related("project", "beneficiary")[:5]),
        "can_write": permissions.can_write_report(user)[0],
    }


@register.inclusion_tag("field/partials/open_problems.html")
def open_field_problems(user):
    """Problems flagged in field reports that wait for this staff member (or anyone) to acknowledge them."""
    qs = selectors.open_problems_for_home(user=user)
    # The first ten ids come from the open-problems index alone (a subquery); the joins to the đề án, the
    # establishment and the area then read ten rows instead of hashing every one of them (one query either way).
    return {"problems": list(qs.filter(pk__in=qs.values("pk")[:10]))}
