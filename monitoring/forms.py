from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import sees_everything
from areas.models import AdministrativeUnit
from core.forms import BootstrapFormMixin
from core.widgets import SearchSelect
from monitoring import selectors
from monitoring.reports import Period, ReportRequest
from projects.models import Level


class AreaChoiceField(forms.ModelChoiceField):
    """Districts (before 7/2025) and current communes, searched on the server."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchSelect("unit_search", params={"top": "1"}, placeholder=_("Mọi địa bàn")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, unit):
        return str(unit)


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    """Year, level and area of the dashboard and the map. Bad input falls back to the defaults."""

    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(label=_("Cấp"), required=False, choices=[("", _("Cả hai cấp")), *Level.choices])
    area = AreaChoiceField(
        label=_("Địa bàn"), required=False, queryset=AdministrativeUnit.objects.none(), empty_label=_("Mọi địa bàn")
    )
    group = forms.ChoiceField(label=_("Tổng hợp địa bàn"), required=False, choices=selectors.Grouping.CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = selectors.dashboard_years(user=user)
        self.fields["year"].choices = [(y, str(y)) for y in self.years]
        self.fields["area"].queryset = selectors.dashboard_area_choices(user=user)

    def default_year(self) -> int:
        today = timezone.localdate().year
        with_data = [y for y in self.years if y <= today]
        return with_data[0] if with_data else today

    def to_filters(self) -> selectors.DashboardFilters:
        """The valid parts of the query; a wrong or foreign value falls back to its default alone."""
        if not self.is_bound:
            return selectors.DashboardFilters(year=self.default_year())
        self.is_valid()
        c = self.cleaned_data
        return selectors.DashboardFilters(
            year=c.get("year") or self.default_year(),
            level=c.get("level") or "",
            area=c.get("area"),
            group=c.get("group") or selectors.Grouping.DISTRICT,
        )


class ReportForm(DashboardFilterForm):
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=Period.CHOICES, initial=Period.YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["level"]
        self.fields["year"].required = True

    def to_request(self, *, user) -> ReportRequest:
        c = self.cleaned_data
        scope_label = ""
        if not sees_everything(user):
            scope_label = ", ".join(user.areas.order_by("path").values_list("name", flat=True))
        return ReportRequest(
            year=c["year"],
            period=c["period"],
            area=c.get("area"),
            scope_label=scope_label,
            group=c.get("group") or selectors.Grouping.DISTRICT,
        )
