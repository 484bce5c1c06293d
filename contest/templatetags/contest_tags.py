"""Small windows into the contest for pages owned by other apps (the juror's home, the establishment page)."""

from django import template

from contest import selectors

register = template.Library()


@register.inclusion_tag("contest/partials/juror_home.html")
def juror_contests(user):
    return {"progress": selectors.juror_open_contests(user=user)}


@register.inclusion_tag("contest/partials/beneficiary_certificates.html")
def beneficiary_certificates(beneficiary):
    from django.utils import timezone

    return {
        "certificates": selectors.beneficiary_certificates(beneficiary=beneficiary),
        "today": timezone.localdate(),
    }
