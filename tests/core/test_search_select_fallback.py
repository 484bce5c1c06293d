"""Without JavaScript a SearchSelect is a plain <select>: it must hold the options a person may choose."""

import re

import pytest
from django import forms

from areas.models import AdministrativeUnit
from core.widgets import INLINE_LIMIT, SearchSelect

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
