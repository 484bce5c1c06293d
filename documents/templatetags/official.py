"""Filters for official documents: {% load official %}."""

from django import template

from core.numwords import amount_in_words, number_to_words

register = template.Library()


@register.filter
def amount_words(value):
    """{{ 21000000|amount_words }} → "Hai mươi mốt triệu đồng" (the "Bằng chữ" line)."""
    if value in (None, ""):
        return ""
    return amount_in_words(int(value))


@register.filter
def number_words(value):
    """{{ 300|number_words }} → "ba trăm"."""
    if value in (None, ""):
        return ""
    return number_to_words(int(value))
