"""Query parameters of the lists (django-filter): year, level, status, unit and updated_since."""

import django_filters
from django import forms
from django.db.models import Q

from areas.models import AdministrativeUnit
from beneficiaries.models import Beneficiary, BeneficiaryStatus
from budgets.models import FundingLine
from budgets.sources import FundingSource
from contest.models import Certificate
from field.models import Acceptance, AcceptanceResult, FieldReport
from projects.models import Decision, Level, Project, ProjectStatus


class UnitFilter(django_filters.CharFilter):
    """A unit's code: records in that unit and everything under it, and — for a current commune — records
    entered with the old communes it took over whole."""

    def __init__(self, *args, unit_field="unit", **kwargs):
        self.unit_field = unit_field
        kwargs.setdefault("method", self.filter_unit)
        kwargs.setdefault("label", "Mã đơn vị hành chính (xã/phường hiện hành, huyện hoặc xã cũ)")
        super().__init__(*args, **kwargs)

    def filter_unit(self, queryset, name, value):
        units = list(AdministrativeUnit.objects.filter(code=value.strip()))
        if not units:
            return queryset.none()
        condition = Q()
        for unit in units:
            condition |= Q(**{f"{self.unit_field}__path__startswith": unit.path})
            condition |= Q(**{f"{self.unit_field}__successor": unit})
        return queryset.filter(condition)


class YearFilter(django_filters.NumberFilter):
    """A year between 2000 and 2100 (a year outside would not even be a date for the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class SyncFilterSet(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Chỉ các bản ghi thay đổi từ thời điểm này (ISO 8601, ví dụ 2026-01-31T00:00:00+07:00)",
    )


class EstablishmentFilter(SyncFilterSet):
    unit = UnitFilter()
    status = django_filters.ChoiceFilter(choices=BeneficiaryStatus.choices, label="Trạng thái")

    class Meta:
        model = Beneficiary
        fields = ["unit", "status", "updated_since"]


class ProjectFilter(SyncFilterSet):
    year = YearFilter(field_name="plan_year", label="Năm kế hoạch")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="Cấp (kcqg: quốc gia, kcdp: địa phương)")
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label="Trạng thái đề án")
    unit = UnitFilter()

    class Meta:
        model = Project
        fields = ["year", "level", "status", "unit", "updated_since"]


class DecisionFilter(SyncFilterSet):
    year = YearFilter(field_name="signed_on__year", label="Năm ký")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="Cấp")

    class Meta:
        model = Decision
        fields = ["year", "level", "updated_since"]


class FundingLineFilter(SyncFilterSet):
    year = YearFilter(field_name="project__plan_year", label="Năm kế hoạch của đề án")
    level = django_filters.ChoiceFilter(field_name="project__level", choices=Level.choices, label="Cấp")
    source = django_filters.ChoiceFilter(choices=FundingSource.choices, label="Nguồn kinh phí")
    unit = UnitFilter(unit_field="project__unit")

    class Meta:
        model = FundingLine
        fields = ["year", "level", "source", "unit", "updated_since"]


class FieldReportFilter(SyncFilterSet):
    year = YearFilter(field_name="visit_date__year", label="Năm đến cơ sở")
    unit = UnitFilter()

    class Meta:
        model = FieldReport
        fields = ["year", "unit", "updated_since"]


class AcceptanceFilter(SyncFilterSet):
    year = YearFilter(field_name="held_on__year", label="Năm nghiệm thu")
    level = django_filters.ChoiceFilter(field_name="project__level", choices=Level.choices, label="Cấp")
    status = django_filters.ChoiceFilter(field_name="result", choices=AcceptanceResult.choices, label="Kết luận")
    unit = UnitFilter(unit_field="project__unit")

    class Meta:
        model = Acceptance
        fields = ["year", "level", "status", "unit", "updated_since"]


class CertificateFilter(SyncFilterSet):
    year = YearFilter(field_name="contest__year", label="Năm bình chọn")
    level = django_filters.CharFilter(field_name="contest__level", label="Cấp bình chọn")
    unit = UnitFilter(unit_field="entry__beneficiary__unit")

    class Meta:
        model = Certificate
        fields = ["year", "level", "unit", "updated_since"]
