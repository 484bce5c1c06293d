from django.views.decorators.http import require_GET

from areas import selectors
from core.search import PAGE, query_words, results_response


@require_GET
def unit_search(request):
    """The administrative-unit picker's JSON: the user's units matching `q`, current communes first."""
    units = selectors.unit_search(
        user=request.user,
        words=query_words(request),
        current_only=request.GET.get("current") == "1",
        top_level_only=request.GET.get("top") == "1",
    )
    return results_response(units[: PAGE + 1], str)
