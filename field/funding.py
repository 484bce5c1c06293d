"""Approved amounts per funding source for a đề án, as the acceptance form and biên bản show them.

The budgets app owns the amounts (funding lines on the approval decision). This module is the one place the
field app reads them, so that the source of truth can change without touching the acceptance code.
"""

from budgets.sources import FundingSource


def approved_amounts(project) -> dict[str, int | None]:
    """{source: approved đồng, or None when nothing is recorded for that source}."""
    try:
        from budgets.selectors import approved_by_source
    except ImportError:  # budgets without funding lines yet: amounts unknown, the form shows "—"
        return dict.fromkeys(FundingSource.values)
    amounts = approved_by_source(project=project)
    return {source: amounts.get(source) for source in FundingSource.values}
