"""Pickers that scale: a <select> that asks the server as the user types.

Hundreds of communes, tens of thousands of establishments: a page cannot carry them all as <option>s, nor can a
person scroll them. `SearchSelect` renders only the chosen option(s) — plus the whole list up to INLINE_LIMIT rows, so
such a list still works without JavaScript — and names a JSON search endpoint of the app that owns the data;
static/js/search-select.js turns it into a Tom Select box (type, arrows, Enter; a tap on a phone). The endpoint
applies the user's area scope and the diacritic-insensitive match (`core.search`), so the field's queryset stays
the single authority on what may be chosen.
"""

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

# A list this long or shorter is rendered whole, so that it works without JavaScript (a plain <select>, which a
# browser lets one search by typing): every unit list of a province (516 communes old and new), organisations,
# a year's đề án. Tom Select then searches the rendered options at once and asks the server only beyond them.
# Longer lists (the registry of establishments) render only the chosen option and need the search box.
INLINE_LIMIT = 600


class SearchSelect(forms.Select):
    """One choice searched on the server. `url_name` is the app's search view; `params` go with each query."""

    allow_multiple_selected = False

    def __init__(
        self,
        url_name: str | None,
        *,
        params: dict | None = None,
        placeholder=None,
        inline_limit=INLINE_LIMIT,
        attrs=None,
    ):
        super().__init__(attrs)
        self.url_name = url_name
        self.params = params or {}
        self.placeholder = placeholder
        self.inline_limit = inline_limit

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def search_url(self) -> str:
        """The endpoint, or "" for a short list searched in the page (people, a contest's jurors)."""
        if not self.url_name:
            return ""
        url = reverse(self.url_name)
        return f"{url}?{urlencode(self.params)}" if self.params else url

    def _options(self, selected: set[str]) -> list[tuple[str, str]]:
        """(value, label) pairs to render: the chosen ones first, then the whole list if it is short.
        At most two queries, whatever the size of the list."""
        choices = self.choices
        field = getattr(choices, "field", None)
        queryset = getattr(choices, "queryset", None)
        if field is None or queryset is None or not self.url_name:  # short by nature: all of them
            return [(str(k), str(v)) for k, v in choices if str(k) != ""]
        head = list(queryset[: self.inline_limit + 1])
        label = field.label_from_instance
        key = field.to_field_name or "pk"
        if len(head) <= self.inline_limit:
            rows = head
        else:
            in_head = {str(getattr(obj, key)) for obj in head} & selected
            rows = [obj for obj in head if str(getattr(obj, key)) in in_head]
            missing = selected - in_head
            if missing:
                rows += list(queryset.filter(**{f"{key}__in": sorted(missing)}))
        return [(str(getattr(obj, key)), label(obj)) for obj in rows]

    def _empty_label(self):
        field = getattr(self.choices, "field", None)
        if self.allow_multiple_selected:
            return None
        if field is not None:
            return getattr(field, "empty_label", None) or ("" if not field.required else None)
        return None

    def render(self, name, value, attrs=None, renderer=None):
        values = [v for v in self.format_value(value) if v not in ("", None)]
        selected = {str(v) for v in values}
        final = self.build_attrs(
            self.attrs,
            {
                **(attrs or {}),
                "name": name,
                "data-search-select": True,
                **({"data-search-url": self.search_url()} if self.url_name else {}),
                "data-placeholder": str(self.placeholder or _("Gõ để tìm…")),
                "data-no-results": str(_("Không tìm thấy")),
                "data-loading": str(_("Đang tìm…")),
            },
        )
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = self._options(selected)
        empty = self._empty_label()
        rows = ([("", str(empty))] if empty is not None else []) + options
        if not selected:
            selected = {""}
        html = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (v, mark_safe(" selected") if v in selected else "", text)  # noqa: S308 (constant)
                for v, text in rows
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), html)


class SearchSelectMultiple(SearchSelect):
    """Several choices searched on the server (chosen ones shown as removable chips)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select sends nothing: that is "none chosen", not "not on the form"
