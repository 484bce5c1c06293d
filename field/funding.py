"""Approved amounts per funding source for a đề án, as the acceptance form and biên bản show them.

The budgets app owns the amounts (funding lines per source and cost item); this module is the one place the field
app reads them, through budgets' selector, so that acceptance code does not know how budgets stores them.
"""

from budgets.selectors import amounts_by_source
from budgets.sources import FundingSource


def approved_amounts(project) -> dict[str, int | None]:
    """{source: approved đồng summed over the đề án's funding lines, or None when it has no line of that source}."""
    return {**dict.fromkeys(FundingSource.values), **amounts_by_source(project)}
