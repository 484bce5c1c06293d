"""The registry of document kinds.

A kind is a small module: a `DocumentKind` subclass registered with `@register`. The documents app knows no
particular kind: it loads every installed app's `document_kinds` module, so a kind lives next to its data
(`beneficiaries/document_kinds.py`, `field/document_kinds.py`, …) and needs no change here. See docs/DEVELOPING.md.
"""

from django.http import Http404
from django.utils.module_loading import autodiscover_modules

from documents.kinds.base import DocumentKind, DocumentParamsError

_REGISTRY: dict[str, DocumentKind] = {}


def register(cls: type[DocumentKind]) -> type[DocumentKind]:
    kind = cls()
    if kind.code in _REGISTRY and type(_REGISTRY[kind.code]) is not cls:
        raise ValueError(f"Document kind {kind.code!r} is registered twice")
    _REGISTRY[kind.code] = kind
    return cls


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)


def get_kind(code: str) -> DocumentKind:
    """The kind with this code; an unknown code is a 404 (it comes from a URL or a form)."""
    try:
        return _REGISTRY[code]
    except KeyError:
        raise Http404(f"Không có loại văn bản {code!r}")


def all_kinds() -> list[DocumentKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.code)


def page_kinds() -> list[DocumentKind]:
    """The kinds with a card on "Văn bản của tôi", in the order their apps are installed."""
    return [kind for kind in _REGISTRY.values() if kind.request_template]


def load_kinds() -> None:
    autodiscover_modules("document_kinds")


__all__ = [
    "DocumentKind",
    "DocumentParamsError",
    "all_kinds",
    "get_kind",
    "load_kinds",
    "page_kinds",
    "register",
    "unregister",
]
