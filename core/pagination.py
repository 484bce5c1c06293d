"""Pagination for list pages, written once: `paginate(request, qs)` and the include templates/includes/pagination.html.

The page size comes from `?per_page=` when it is one of `PAGE_SIZES` (else the default), the page number from `?page=`
(out-of-range or junk numbers give the nearest page, as Django's `get_page` does).
"""

from django.core.paginator import Page, Paginator

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 25


def per_page(request, *, sizes: tuple[int, ...] = PAGE_SIZES, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The page size asked for in `?per_page=`, or `default` when it is missing or not one of `sizes`."""
    try:
        value = int(request.GET.get("per_page", default))
    except ValueError:
        return default
    return value if value in sizes else default


def paginate(
    request,
    qs,
    *,
    size: int | None = None,
    count: int | None = None,
    paginator_class: type[Paginator] = Paginator,
) -> Page:
    """The page of `qs` that `?page=` asks for, `size` rows (default: `per_page(request)`) a page.

    `count`, when the caller already knows how many rows there are, spares the COUNT query.
    """
    paginator = paginator_class(qs, size or per_page(request))
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    """The current query string minus `page`, for the links of the pagination include."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
