"""Without JavaScript a SearchSelect is a plain <select>: it must hold the options a person may choose."""

import re

import pytest
from django import forms

from areas.models import AdministrativeUnit
from core.forms import BootstrapFormMixin
from core.widgets import FALLBACK_RESULTS, INLINE_LIMIT, SearchSelect, SearchSelectMultiple

pytestmark = pytest.mark.django_db


def _form(limit=INLINE_LIMIT, **kwargs):
    class UnitForm(forms.Form):
        unit = forms.ModelChoiceField(
            queryset=AdministrativeUnit.objects.select_related("parent").order_by("path"),
            widget=SearchSelect("unit_search", inline_limit=limit),
        )

    return UnitForm(**kwargs)


def _values(html: str) -> list[str]:
    return [v for v in re.findall(r'<option value="([^"]*)"', html) if v]


def test_every_unit_of_the_province_is_rendered_so_it_can_be_chosen_without_javascript(django_assert_max_num_queries):
    units = AdministrativeUnit.objects.count()
    assert 60 < units <= INLINE_LIMIT  # the lists that used to show only the chosen option
    str(_form()["unit"])  # fills the labels' per-process caches (areas.labels)
    with django_assert_max_num_queries(2):
        html = str(_form()["unit"])
    assert len(_values(html)) == units
    chosen = AdministrativeUnit.objects.order_by("path").last()
    form = _form(data={"unit": str(chosen.pk)})
    assert form.is_valid() and form.cleaned_data["unit"] == chosen


def test_a_list_longer_than_the_limit_renders_only_the_chosen_option(django_assert_max_num_queries):
    chosen = AdministrativeUnit.objects.order_by("path").last()
    with django_assert_max_num_queries(2):
        html = str(_form(limit=10, initial={"unit": chosen.pk})["unit"])
    assert _values(html) == [str(chosen.pk)] and "data-search-url" in html


# --- a list longer than the limit, without JavaScript: a search box and a "Tìm" button that submits the form ---


class _LongForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Tên")
    unit = forms.ModelChoiceField(
        queryset=AdministrativeUnit.objects.select_related("parent").order_by("path"),
        widget=SearchSelect("unit_search", inline_limit=10),
    )
    units = forms.ModelMultipleChoiceField(
        queryset=AdministrativeUnit.objects.select_related("parent").order_by("path"),
        widget=SearchSelectMultiple("unit_search", inline_limit=10),
        required=False,
    )


def test_a_long_list_offers_a_search_box_and_button_that_javascript_removes():
    html = str(_LongForm()["unit"])
    assert 'name="unit__q"' in html and 'name="_picker" value="unit"' in html and "formnovalidate" in html
    assert 'data-search-fallback="unit"' in html
    assert "data-search-fallback" not in str(_form()["unit"])  # a short list is whole: no box


def test_pressing_tim_saves_nothing_keeps_what_was_typed_and_lists_the_matches(django_assert_max_num_queries):
    from areas.selectors import unit_search

    # The same units the JSON endpoint answers for the same words (names, aliases and districts, diacritics ignored).
    expected = {str(u.pk) for u in unit_search(paths=None, words=["an", "truong"])}
    assert 1 < len(expected) < FALLBACK_RESULTS
    form = _LongForm(data={"name": "Cơ sở chè Tân Cương", "unit__q": "An Trường", "_picker": "unit"})
    assert not form.is_valid() and form.errors == {}  # nothing saved, nothing refused
    with django_assert_max_num_queries(3):
        html = str(form["unit"])
    assert set(_values(html)) == expected
    assert 'value="An Trường"' in html and "kết quả cho “An Trường”" in html
    assert 'value="Cơ sở chè Tân Cương"' in str(form["name"])


def test_the_chosen_unit_stays_first_and_a_search_then_submit_saves_it():
    chosen = AdministrativeUnit.objects.order_by("path").last()
    data = {"name": "Cơ sở", "unit": str(chosen.pk), "unit__q": "an truong", "_picker": "unit"}
    form = _LongForm(data=data)
    assert not form.is_valid()
    values = _values(str(form["unit"]))
    assert values[0] == str(chosen.pk) and len(values) > 1 and f'value="{chosen.pk}" selected' in str(form["unit"])
    submitted = _LongForm(data={k: v for k, v in data.items() if k != "_picker"})  # "Lưu": the term is ignored
    assert submitted.is_valid() and submitted.cleaned_data["unit"] == chosen


def test_no_match_and_too_many_matches_say_so():
    form = _LongForm(data={"unit__q": "khong co xa nay", "_picker": "unit"})
    form.is_valid()
    html = str(form["unit"])
    assert _values(html) == [] and "Không tìm thấy “khong co xa nay”" in html
    form = _LongForm(data={"unit__q": "xa", "_picker": "unit"})
    form.is_valid()
    html = str(form["unit"])
    assert len(_values(html)) == FALLBACK_RESULTS and f"Có hơn {FALLBACK_RESULTS} kết quả" in html


def test_a_search_of_the_multiple_picker_lists_ticks_not_a_ctrl_click_list():
    first = AdministrativeUnit.objects.order_by("path").last()
    form = _LongForm(data={"units": [str(first.pk)], "units__q": "an truong", "_picker": "units"})
    assert not form.is_valid()
    html = str(form["units"])
    assert "<select" not in html and f'value="{first.pk}" id="id_units_0" checked' in html
    assert html.count('type="checkbox"') > 1
    assert _LongForm(data={"name": "x", "units": [str(first.pk)], "unit": str(first.pk)}).is_valid()


def test_a_button_of_another_form_or_field_is_no_search():
    assert _LongForm(data={"name": "x", "unit": "1", "_picker": "other"}).picker_search() is None
    assert _LongForm(data={"_picker": "unit"}, prefix="p").picker_search() is None
    assert _LongForm(data={"_picker": "p-unit"}, prefix="p").picker_search() == "unit"


def test_on_the_establishment_form_tim_saves_nothing_and_answers_the_form_with_the_matches(
    client, login, staff, monkeypatch
):
    from beneficiaries.forms import BeneficiaryForm
    from beneficiaries.models import Beneficiary

    monkeypatch.setattr(BeneficiaryForm.base_fields["unit"].widget, "inline_limit", 10)
    data = {"name": "Hợp tác xã cói", "legal_form": "hop_tac_xa", "tax_code": "0201999888", "address": "Thôn Đông"}
    assert client.post("/co-so/new/", {**data, "unit__q": "an truong", "_picker": "unit"}).status_code == 302
    login(staff)
    response = client.post("/co-so/new/", {**data, "unit__q": "an truong", "_picker": "unit"})
    html = response.content.decode()
    assert response.status_code == 200 and not Beneficiary.objects.exists()
    assert "Xã An Trường" in html and 'value="Hợp tác xã cói"' in html and "invalid-feedback" not in html
    unit_select = html.split('name="unit"')[1].split("</select>")[0]
    assert 1 < unit_select.count("<option") < FALLBACK_RESULTS and 'value="an truong"' in html
    # A pasted page as the search: the words are capped as in every search box, the page answers normally.
    response = client.post("/co-so/new/", {**data, "unit__q": "an truong " * 1000, "_picker": "unit"})
    assert response.status_code == 200 and not Beneficiary.objects.exists()
    unit = AdministrativeUnit.objects.get(code="11635", valid_to__isnull=True)
    response = client.post("/co-so/new/", {**data, "unit": unit.pk, "unit__q": "an truong"})  # "Lưu"
    assert response.status_code == 302 and Beneficiary.objects.get().unit == unit


def test_tim_with_an_empty_box_lists_nothing_more_and_asks_for_letters():
    form = _LongForm(data={"unit__q": "  ", "_picker": "unit"})
    assert not form.is_valid()
    html = str(form["unit"])
    assert _values(html) == [] and "Gõ vài chữ của tên" in html
