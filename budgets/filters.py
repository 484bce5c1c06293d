"""The annual money summary's filters from a query string: for its page, its Excel export and the export job."""

from django.utils import timezone

from budgets import selectors
from budgets.forms import SummaryFilterForm


def summary_filters(data, *, user):
    """(form, SummaryFilters) — filters is None when the form is invalid. No year given: the latest plan year."""
    data = data.copy()
    if not data.get("year"):
        data["year"] = str(selectors.latest_year() or timezone.localdate().year)
    form = SummaryFilterForm(data, user=user)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    filters = selectors.SummaryFilters(
        year=cleaned["year"],
        level=cleaned["level"],
        source=cleaned["source"],
        content=cleaned["content"],
        area=cleaned["area"],
        status=cleaned["status"],
    )
    return form, filters
