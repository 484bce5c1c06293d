import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from core.forms import MoneyField
from core.money import format_dong, format_million, parse_dong
from core.text import fold, nfc, sort_key


class DateForm(forms.Form):
    day = forms.DateField()
    amount = MoneyField()


def test_a_date_typed_day_first_parses_as_day_first():
    with translation.override("vi"):
        form = DateForm({"day": "05/03/2021", "amount": "1"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2021, 3, 5)


def test_the_english_interface_also_reads_dates_day_first():
    with translation.override("en"):
        form = DateForm({"day": "05/03/2021", "amount": "1"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2021, 3, 5)


def test_dates_render_dd_mm_yyyy():
    with translation.override("vi"):
        out = Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(Context({"d": datetime.date(2021, 1, 18)}))
    assert out == "18/01/2021"


def test_numbers_render_with_dot_thousand_separators():
    with translation.override("vi"):
        out = Template("{{ n }}|{% load vn %}{{ n|dong }}|{{ n|trieu }}|{{ y|plain }}").render(
            Context({"n": 3108129000, "y": 2021})
        )
    assert out == "3.108.129.000|3.108.129.000|3.108,129|2021"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (999, "999"), (1000, "1.000"), (21_000_000, "21.000.000"), (-1_234_567, "-1.234.567")],
)
def test_format_dong(value, expected):
    assert format_dong(value) == expected


def test_format_million_keeps_the_department_style():
    assert format_million(986_629_000) == "986,629"
    assert format_million(600_000_000) == "600,000"
    assert format_million(1_521_500_000, 1) == "1.521,5"
    assert format_million(1_419_064_500) == "1.419,065"  # half-up, no float error
    assert format_million(999_999_999_600) == "1.000.000,000"
    assert format_million(-2_500_000, 0) == "-3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3.108.129.000", 3108129000), ("3108129000", 3108129000), ("1.000 đ", 1000), ("", None), ("12,00", 12)],
)
def test_parse_dong_accepts_what_officials_type(text, expected):
    assert parse_dong(text) == expected


@pytest.mark.parametrize("text", ["12,5", "abc", "1.2.3x"])
def test_parse_dong_refuses_fractions_and_garbage(text):
    with pytest.raises(ValueError):
        parse_dong(text)


def test_money_field_reports_bad_input_in_vietnamese():
    form = DateForm({"day": "05/03/2021", "amount": "ba triệu"})
    assert not form.is_valid()
    assert "Nhập số tiền bằng đồng" in form.errors["amount"][0]


def test_fold_ignores_diacritics_case_and_d_stroke():
    assert fold("Nước mắm Cát Hải") == "nuoc mam cat hai"
    assert fold("ĐỒNG Đức") == "dong duc"


def test_nfc_normalises_decomposed_text_and_spaces():
    decomposed = "Nu\u031bo\u031b\u0301c  ma\u0306\u0301m "
    assert nfc(decomposed) == "Nước mắm"


def test_sort_key_orders_words_the_vietnamese_way():
    names = ["Zô", "Đông", "Ê", "Dung", "Ấn", "Anh", "Ăn", "Ánh", "Bình", "Ơn", "Ông", "Ư"]
    assert sorted(names, key=sort_key) == [
        "Anh",
        "Ánh",
        "Ăn",
        "Ấn",
        "Bình",
        "Dung",
        "Đông",
        "Ê",
        "Ông",
        "Ơn",
        "Ư",
        "Zô",
    ]
