"""Every ModelAdmin's search box is capped, like the app's lists: a pasted page of text searches its first
SEARCH_MAX_CHARS characters and SEARCH_MAX_WORDS distinct words (quoted phrases count as one word), so no admin
search builds a query SQLite refuses or PostgreSQL spends seconds on.

Done once, on `django.contrib.admin.ModelAdmin.get_search_results` (CoreConfig.ready), so it holds for the
project's admins, django-simple-history's, the user admin and any third-party or future ModelAdmin (and for the
admin's autocomplete, which searches through the same method) without a base class to remember."""

from django.contrib import admin
from django.utils.text import smart_split

from core.text import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, nfc


def capped_search_term(value: str | None) -> str:
    """The admin's search term cut to the app's limits, its words kept as typed (the admin matches `icontains` on
    the stored text, diacritics included, so unlike `core.text.search_words` nothing is folded)."""
    words: list[str] = []
    for word in smart_split(nfc(value or "")[:SEARCH_MAX_CHARS]):
        if word not in words:
            words.append(word)
        if len(words) == SEARCH_MAX_WORDS:
            break
    return " ".join(words)


def install() -> None:
    """Wrap ModelAdmin.get_search_results once (idempotent)."""
    original = admin.ModelAdmin.get_search_results
    if getattr(original, "capped", False):
        return

    def get_search_results(self, request, queryset, search_term):
        return original(self, request, queryset, capped_search_term(search_term))

    get_search_results.capped = True
    get_search_results.__doc__ = original.__doc__
    admin.ModelAdmin.get_search_results = get_search_results
