from django import template

from core.money import format_dong, format_million

register = template.Library()


@register.filter
def dong(value):
    """{{ amount|dong }} → 3.108.129.000"""
    if value in (None, ""):
        return "—"
    return format_dong(int(value))


@register.filter
def trieu(value, decimals=3):
    """{{ amount|trieu }} → 3.108,129 (triệu đồng)"""
    if value in (None, ""):
        return "—"
    return format_million(int(value), int(decimals))


@register.filter
def plain(value):
    """Years and codes must not get thousand separators: {{ year|plain }} → 2021."""
    return "" if value is None else str(value)
