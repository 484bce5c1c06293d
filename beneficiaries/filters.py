"""The list page's filters. The same FilterSet narrows the export, so a download is what the page shows."""

import re

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.scope import area_paths
from areas.models import AdministrativeUnit
from beneficiaries import selectors
from beneficiaries.models import BeneficiaryStatus, LegalForm
from core.forms import FastSelect
from core.text import SEARCH_MAX_LENGTH
from core.widgets import SearchSelect


def _prefix_regex(paths: list[str]) -> str:
    # One query for "under any of these paths"; an officer without areas matches nothing.
    return "^(" + "|".join(re.escape(path) for path in paths) + ")" if paths else r"^\b$"


YES_NO = [("yes", _("Có")), ("no", _("Không"))]


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """One plain query for the choices (ModelChoiceIterator streams them through a server-side cursor on
    PostgreSQL: three round trips for a short list)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class UnitFilterField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = SearchSelect("unit_search", placeholder=_("Tất cả địa bàn"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, unit):
        return str(unit)


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitFilterField


class BeneficiaryFilter(django_filters.FilterSet):
    unit = UnitFilter(
        label=_("Địa bàn"),
        queryset=AdministrativeUnit.objects.none(),
        method="filter_unit",
        empty_label=_("Tất cả địa bàn"),
    )
    sector = django_filters.CharFilter(label=_("Ngành nghề"), method="filter_sector")
    legal_form = django_filters.ChoiceFilter(
        label=_("Loại hình"), choices=LegalForm.choices, empty_label=_("Mọi loại hình")
    )
    eligible = django_filters.ChoiceFilter(
        label=_("Đối tượng hỗ trợ"), choices=YES_NO, method="filter_eligible", empty_label=_("Tất cả")
    )
    has_project = django_filters.ChoiceFilter(
        label=_("Có đề án"), choices=YES_NO, method="filter_has_project", empty_label=_("Tất cả")
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=BeneficiaryStatus.choices,
        method="filter_status",
        empty_label=_("Đang theo dõi và đề xuất"),
    )
    needs_review = django_filters.ChoiceFilter(
        label=_("Cần rà soát"), choices=YES_NO, method="filter_needs_review", empty_label=_("Tất cả")
    )

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Current communes, districts before 7/2025 and their communes (a district covers every commune it
        # had), searched on the server by unit_search; an officer's are those of their own areas.
        units = AdministrativeUnit.objects.select_related("parent").filter(depth__gte=1)
        paths = area_paths(user)
        if paths is not None:
            units = units.filter(path__regex=_prefix_regex(paths))
        self.filters["unit"].queryset = units.order_by(F("valid_to").asc(nulls_first=True), "depth", "search_name")
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.choices)
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    @property
    def qs(self):
        qs = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("status")):
            qs = qs.exclude(status=BeneficiaryStatus.ARCHIVED)
        return qs

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(unit__path__startswith=unit.path) if unit else queryset

    def filter_sector(self, queryset, name, value):
        value = value.strip()[:SEARCH_MAX_LENGTH]
        return queryset.filter(sector__icontains=value) if value else queryset

    def filter_eligible(self, queryset, name, value):
        return queryset.filter(selectors.eligible_q() if value == "yes" else selectors.ineligible_q())

    def filter_has_project(self, queryset, name, value):
        exists = selectors.project_link_subquery()
        return queryset.filter(exists if value == "yes" else ~exists)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_needs_review(self, queryset, name, value):
        return queryset.filter(needs_review=value == "yes")


def filtered_beneficiaries(*, user, data):
    """The list as `user` filtered it (`data`: the page's query string), for the page and both exports."""
    search = (data.get("q") or "").strip()
    qs = selectors.beneficiary_list(user=user, search=search)
    return search, BeneficiaryFilter(data or None, queryset=qs, user=user)
