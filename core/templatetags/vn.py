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
    """{{ amount|trieu }} → 3.108,129 (triệu đồng); 600.000.000 → 600 and 1.521.500.000 → 1.521,5, as officials write
    them ("215,000 triệu" reads as two hundred thousand to many, "0,000" as a placeholder)."""
    if value in (None, ""):
        return "—"
    text = format_million(int(value), int(decimals))
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return "0" if text in ("-0", "") else text


@register.filter
def plain(value):
    """Years and codes must not get thousand separators: {{ year|plain }} → 2021."""
    return "" if value is None else str(value)
