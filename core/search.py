"""What every picker's JSON search endpoint shares: reading the typed words and answering the widget."""

from collections.abc import Callable, Iterable

from django.http import JsonResponse

from core.text import fold, search_words

# Enough to narrow any list; more words only make a longer query (and a hostile one a huge one).
MAX_WORDS = 6
PAGE = 20


def query_words(request) -> list[str]:
    """The folded words typed in `q` ("Nước mắm" → ["nuoc", "mam"]), capped."""
    return search_words(request.GET.get("q", ""))[:MAX_WORDS]


def matches(text: str, words: list[str]) -> bool:
    """The in-Python twin of filtering a `search_text` column with `__contains` on each folded word."""
    folded = fold(text)
    return all(word in folded for word in words)


def results_response(rows: Iterable, label: Callable, *, value: Callable = lambda obj: obj.pk) -> JsonResponse:
    """Tom Select's shape: {"results": [{"value", "text"}], "more"}. `rows` may hold one more than a page."""
    rows = list(rows)
    return JsonResponse(
        {
            "results": [{"value": str(value(obj)), "text": label(obj)} for obj in rows[:PAGE]],
            "more": len(rows) > PAGE,
        }
    )
