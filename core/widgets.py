"""Pickers that scale: a <select> that asks the server as the user types.

Hundreds of communes, tens of thousands of establishments: a page cannot carry them all as <option>s, nor can a
person scroll them. `SearchSelect` renders only the chosen option(s) — plus the whole list up to INLINE_LIMIT rows, so
such a list still works without JavaScript — and names a JSON search endpoint of the app that owns the data;
static/js/search-select.js turns it into a Tom Select box (type, arrows, Enter; a tap on a phone). The endpoint
applies the user's area scope and the diacritic-insensitive match (`core.search`), so the field's queryset stays
the single authority on what may be chosen.

A longer list still works without JavaScript (or before it has loaded, or if it failed to): beside the <select>
the widget renders a search box `<name>__q` and a "Tìm" button, which submits the form itself with
`_picker=<name>`. `core.forms.BootstrapFormMixin` sees that button, validates and saves nothing, and the view
renders the form again with everything the user typed; the widget then lists the field queryset's rows matching
the words (folded, capped as everywhere) after the chosen one(s). search-select.js removes the box and the button
when it turns the <select> into a search box, so with JavaScript nothing else changes.
"""

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.search import MAX_WORDS, matches
from core.text import search_words

# A list this long or shorter is rendered whole, so that it works without JavaScript (a plain <select>, which a
# browser lets one search by typing): every unit list of a province (516 communes old and new), organisations,
# a year's đề án. Tom Select then searches the rendered options at once and asks the server only beyond them.
# Longer lists (the registry of establishments) render only the chosen option and need the search box.
INLINE_LIMIT = 600
# Without JavaScript: the name of the "Tìm" button (its value is the field's name), the suffix of the search box's
# name, and how many matches the <select> then lists.
PICKER_SEARCH = "_picker"
TERM_SUFFIX = "__q"
FALLBACK_RESULTS = 50
# The folded columns a search filters on, in the order tried; a tree (units) also matches its parent's name.
SEARCH_COLUMNS = ("search_text", "search_name")


def search_fields(model) -> tuple[str, ...]:
    names = {f.name for f in model._meta.get_fields()}
    column = next((c for c in SEARCH_COLUMNS if c in names), None)
    if column is None:
        return ()
    if "parent" in names and model._meta.get_field("parent").related_model is model:
        return (column, f"parent__{column}")
    return (column,)


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
        self.term = ""  # what was typed in the search box without JavaScript (read with the form's data)
        self.searched = False  # its "Tìm" was pressed
        self.found = None  # how many rows matched, once searched
        self.long = False  # longer than inline_limit: rendered with the search box

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

    def _read_search(self, data, name) -> None:
        self.term = str(data.get(name + TERM_SUFFIX) or "")[:200]
        self.searched = data.get(PICKER_SEARCH) == name

    def value_from_datadict(self, data, files, name):
        self._read_search(data, name)
        return super().value_from_datadict(data, files, name)

    def _matches(self, queryset, label) -> list:
        """The rows of the field's queryset matching the typed words (one query); at most FALLBACK_RESULTS + 1."""
        words = search_words(self.term)[:MAX_WORDS]
        fields = search_fields(queryset.model)
        if not fields:  # no folded column: the labels of the first rows, matched in Python
            return [obj for obj in queryset[: self.inline_limit + 1] if matches(label(obj), words)][
                : FALLBACK_RESULTS + 1
            ]
        for word in words:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__contains": word})
            queryset = queryset.filter(condition)
        return list(queryset[: FALLBACK_RESULTS + 1])

    def _options(self, selected: set[str]) -> list[tuple[str, str]]:
        """(value, label) pairs to render: the chosen ones first, then the whole list if it is short, or the
        matches of a search made without JavaScript. At most three queries, whatever the size of the list."""
        self.found = None
        choices = self.choices
        field = getattr(choices, "field", None)
        queryset = getattr(choices, "queryset", None)
        if field is None or queryset is None or not self.url_name:  # short by nature: all of them
            return [(str(k), str(v)) for k, v in choices if str(k) != ""]
        label = field.label_from_instance
        key = field.to_field_name or "pk"
        # Whether the list is short, from its keys alone: 601 units as model instances cost 30 ms of a page whose
        # picker then showed one of them.
        head = list(queryset.values_list(key, flat=True)[: self.inline_limit + 1])
        if len(head) <= self.inline_limit:
            rows = list(queryset) if head else []
        else:
            rows = list(queryset.filter(**{f"{key}__in": sorted(selected)})) if selected else []
            self.long = True
            if self.searched and search_words(self.term):
                found = self._matches(queryset, label)
                self.found = len(found)
                chosen = {str(getattr(obj, key)) for obj in rows}
                rows += [obj for obj in found[:FALLBACK_RESULTS] if str(getattr(obj, key)) not in chosen]
        return [(str(getattr(obj, key)), label(obj)) for obj in rows]

    def _fallback(self, name: str, final: dict) -> str:
        """The search box and "Tìm" button of a long list, for a page without JavaScript."""
        box_id = f"{final['id']}{TERM_SUFFIX}" if final.get("id") else ""
        if self.found is None:  # nothing searched yet (or "Tìm" with an empty box)
            hint = _("Gõ vài chữ của tên rồi bấm “Tìm” để chọn trong danh sách.")
        elif not self.found:
            hint = _("Không tìm thấy “%(q)s”. Thử gõ ít chữ hơn.") % {"q": self.term}
        elif self.found > FALLBACK_RESULTS:
            hint = _("Có hơn %(n)s kết quả cho “%(q)s”; danh sách có %(n)s kết quả đầu, gõ thêm chữ để thu hẹp.") % {
                "n": FALLBACK_RESULTS,
                "q": self.term,
            }
        else:
            hint = _("Có %(n)s kết quả cho “%(q)s”: chọn trong danh sách ở trên.") % {"n": self.found, "q": self.term}
        return format_html(
            '<div class="search-select-fallback mt-1" data-search-fallback="{name}">'
            '<div class="input-group">'
            '<input type="search" class="form-control" name="{box}"{id} value="{term}" aria-label="{label}"'
            ' placeholder="{placeholder}" maxlength="200">'
            '<button type="submit" class="btn btn-outline-secondary" name="{button}" value="{name}"'
            " formnovalidate>{search}</button>"
            '</div><div class="form-text">{hint}</div></div>',
            name=name,
            box=name + TERM_SUFFIX,
            id=format_html(' id="{}"', box_id) if box_id else "",
            term=self.term,
            label=_("Tìm trong danh sách"),
            placeholder=_("Gõ để tìm…"),
            button=PICKER_SEARCH,
            search=_("Tìm"),
            hint=hint,
        )

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
        self.long = False
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
        fallback = self._fallback(name, final) if self.long else ""
        if self.long and self.searched and self.allow_multiple_selected:
            # Chosen ones and matches as ticks: a multiple <select> would need Ctrl-click to add one.
            return format_html("{}{}", self._checkboxes(name, final, options, selected), fallback)
        html = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (v, mark_safe(" selected") if v in selected else "", text)  # noqa: S308 (constant)
                for v, text in rows
            ),
        )
        return format_html("<select{}>{}</select>{}", flatatt(final), html, fallback)

    def _checkboxes(self, name: str, final: dict, options, selected: set[str]) -> str:
        base = final.get("id") or name
        items = format_html_join(
            "",
            '<div class="form-check"><input class="form-check-input" type="checkbox" name="{}" value="{}"'
            ' id="{}_{}"{}><label class="form-check-label" for="{}_{}">{}</label></div>',
            (
                (name, v, base, i, mark_safe(" checked") if v in selected else "", base, i, text)  # noqa: S308
                for i, (v, text) in enumerate(options)
            ),
        )
        return format_html('<div class="search-select-checks" id="{}">{}</div>', base, items)


class SearchSelectMultiple(SearchSelect):
    """Several choices searched on the server (chosen ones shown as removable chips)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        self._read_search(data, name)
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select sends nothing: that is "none chosen", not "not on the form"
