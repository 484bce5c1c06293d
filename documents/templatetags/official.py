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


@register.filter
def two_digits(value):
    """{{ 7|two_digits }} → "07": counts as the department writes them in reports ("07 đề án")."""
    if value in (None, ""):
        return ""
    return f"{int(value):02d}"


@register.filter
def quantity(value):
    """A Decimal quantity without trailing zeros, Vietnamese decimal comma: Decimal("2.50") → "2,5"."""
    if value in (None, ""):
        return ""
    from decimal import Decimal

    text = f"{Decimal(value).normalize():f}"
    whole, _, frac = text.partition(".")
    from core.money import group_thousands

    return group_thousands(int(whole)) + ("," + frac if frac else "")


#: What a paper form leaves for a value to be written in by hand.
DOTS = "…………………………"


@register.filter
def or_dots(value, length=None):
    """{{ party.tax_code|or_dots }}: the value, or a dotted line when it is missing (never dots beside data).
    `length` = number of dots for a short field: {{ x|or_dots:12 }}."""
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return "…" * int(length) if length else DOTS
    return value
