"""Small windows into the contest for pages owned by other apps (the juror's home, the establishment page)."""

from django import template

from contest import selectors

register = template.Library()


@register.inclusion_tag("contest/partials/juror_home.html")
def juror_contests(user):
    return {"progress": selectors.juror_open_contests(user=user)}


@register.inclusion_tag("contest/partials/beneficiary_certificates.html", takes_context=True)
def beneficiary_certificates(context, beneficiary):
    """Certified products of an establishment, with their PDF (a document job) for whoever may have it: the office
    and the area officers of the establishment's area (the page itself is already scoped to them)."""
    from django.utils import timezone

    from documents.kinds import get_kind
    from documents.permissions import can_request_document
    from documents.selectors import latest_jobs

    user = context["request"].user
    certificates = selectors.beneficiary_certificates(beneficiary=beneficiary)
    jobs = latest_jobs(user=user, kind="contest_certificate", params_list=[{"certificate": c.pk} for c in certificates])
    return {
        "rows": list(zip(certificates, jobs, strict=True)),
        "can_request_pdf": can_request_document(user, get_kind("contest_certificate"))[0],
        "today": timezone.localdate(),
        "csrf_token": context.get("csrf_token"),
    }
