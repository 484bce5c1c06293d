from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.roles import sees_everything
from areas.models import AdministrativeUnit
from core.forms import BootstrapFormMixin
from monitoring import selectors
from monitoring.reports import Period, ReportRequest
from projects.models import Level


class FastSelect(forms.Select):
    """A <select> rendered in Python. The area list holds hundreds of units (thousands at national scale) and
    Django's Select renders a template per option, which made the dashboard's form cost more than its figures."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == selected else "", label)  # noqa: S308 (constant)
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class AreaChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, unit):
        return _("%(name)s (trước 7/2025)") % {"name": unit.name} if unit.valid_to else unit.name


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    """Year, level and area of the dashboard and the map. Bad input falls back to the defaults."""

    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(label=_("Cấp"), required=False, choices=[("", _("Cả hai cấp")), *Level.choices])
    area = AreaChoiceField(
        label=_("Địa bàn"), required=False, queryset=AdministrativeUnit.objects.none(), empty_label=_("Mọi địa bàn")
    )

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
            year=c.get("year") or self.default_year(), level=c.get("level") or "", area=c.get("area")
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
        return ReportRequest(year=c["year"], period=c["period"], area=c.get("area"), scope_label=scope_label)
