from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.scope import area_paths
from areas.models import AdministrativeUnit
from budgets.models import (
    BudgetAllocation,
    CostItem,
    DisbursementKind,
    ExceptionKind,
    FundingLine,
)
from budgets.sources import FundingSource
from core.forms import BootstrapFormMixin, FastSelect, MoneyField
from core.widgets import SearchSelect
from projects.models import ActivityContent, Decision, Level, ProjectStatus


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the choices with one plain query (ModelChoiceIterator streams them through a server-side cursor on
    PostgreSQL: three round trips for a short list)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


NOT_APPLICABLE = "none"


class FundingHeaderForm(BootstrapFormMixin, forms.Form):
    ceiling = forms.ChoiceField(label=_("Mức hỗ trợ áp dụng"), required=False)
    ceiling_units = forms.IntegerField(
        label=_("Số mô hình / cơ sở được hỗ trợ"), min_value=1, max_value=1000, initial=1
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, ceilings, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = {str(rule.pk): rule for rule in ceilings}
        self.fields["ceiling"].choices = [
            ("", _("Theo nội dung của đề án (tự xác định)")),
            (NOT_APPLICABLE, _("Không thuộc trường hợp có mức hỗ trợ tối đa")),
            *[
                (pk, f"{rule.activity_content.code} · {rule.title} ({rule.describe()})")
                for pk, rule in self.rules.items()
            ],
        ]
        self.fields["ceiling_units"].localize = False

    @property
    def chosen_ceiling(self):
        return self.rules.get(self.cleaned_data.get("ceiling") or "")

    @property
    def not_applicable(self) -> bool:
        return self.cleaned_data.get("ceiling") == NOT_APPLICABLE


class FundingLineForm(BootstrapFormMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source = forms.ChoiceField(label=_("Nguồn"), choices=FundingSource.choices)
    cost_item = forms.ChoiceField(label=_("Khoản chi"), choices=CostItem.choices)
    description = forms.CharField(label=_("Diễn giải"), max_length=300, required=False)
    estimated_cost = MoneyField(label=_("Dự toán (chi phí hợp lệ)"))
    approved_amount = MoneyField(label=_("Phê duyệt"))


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("source"), form.cleaned_data.get("cost_item"))
            if key in seen:
                form.add_error("cost_item", _("Nguồn và khoản chi này đã có ở dòng khác."))
            seen.add(key)


LineFormSet = forms.formset_factory(FundingLineForm, formset=BaseLineFormSet, extra=2, can_delete=True)


class DisbursementForm(BootstrapFormMixin, forms.Form):
    line = forms.ModelChoiceField(label=_("Dòng kinh phí"), queryset=FundingLine.objects.none())
    kind = forms.ChoiceField(label=_("Loại"), choices=DisbursementKind.choices)
    paid_on = forms.DateField(label=_("Ngày chi"), widget=forms.DateInput())
    amount = MoneyField(label=_("Số tiền (đồng)"))
    document_number = forms.CharField(label=_("Số chứng từ"), max_length=60)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines


class SettlementForm(BootstrapFormMixin, forms.Form):
    amount = MoneyField(label=_("Số quyết toán (đồng)"))
    settled_on = forms.DateField(label=_("Ngày quyết toán"), widget=forms.DateInput())
    document_number = forms.CharField(label=_("Số văn bản quyết toán"), max_length=60)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class AdjustmentForm(BootstrapFormMixin, forms.Form):
    adjusted_amount = MoneyField(label=_("Kinh phí sau điều chỉnh (đồng)"))
    decision = forms.ModelChoiceField(label=_("Quyết định điều chỉnh"), queryset=Decision.objects.none())
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class ExceptionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại ngoại lệ"), choices=ExceptionKind.choices)
    amount = MoneyField(label=_("Kinh phí hỗ trợ được phép (đồng)"))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class ExceptionDecisionForm(BootstrapFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Kết luận"),
        choices=[("1", _("Chấp thuận")), ("0", _("Không chấp thuận"))],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}))


class AllocationForm(BootstrapFormMixin, forms.ModelForm):
    amount = MoneyField(label=_("Kinh phí được giao (đồng)"))

    class Meta:
        model = BudgetAllocation
        fields = ["level", "year", "amount", "decision", "legal_basis", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].localize = False
        self.fields["year"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100, "class": "form-control"})
        self.fields["decision"].queryset = Decision.objects.order_by("-signed_on")


class SummaryFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(
        label=_("Cấp"), choices=[("", _("Tất cả"))] + list(Level.choices), required=False, widget=FastSelect
    )
    source = forms.ChoiceField(
        label=_("Nguồn"), choices=[("", _("Tất cả"))] + list(FundingSource.choices), required=False, widget=FastSelect
    )
    content = ListedModelChoiceField(
        label=_("Nội dung"),
        queryset=ActivityContent.objects.all(),
        required=False,
        empty_label=_("Tất cả"),
        widget=FastSelect,
    )
    area = ListedModelChoiceField(
        label=_("Địa bàn"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
        widget=SearchSelect("unit_search", params={"top": "1"}, placeholder=_("Tất cả")),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả"))] + list(ProjectStatus.choices),
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].localize = False
        self.fields["year"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100, "class": "form-control"})
        self.fields["area"].queryset = area_choices(user, self.data.get("area") if self.is_bound else None)


# With a few provinces (a city's own install) every district and commune is offered; at national scale only the
# provinces, and the communes of the one selected, so the select stays usable and cheap to render.
FEW_ROOTS = 3


def area_choices(user, selected=None):
    """The city or province, its districts (before 7/2025) and current communes: the units the summary's
    area breakdown groups by, limited to the user's areas."""
    units = AdministrativeUnit.objects.filter(depth__lte=1).select_related("parent")
    paths = area_paths(user)
    if paths is not None:
        units = units.subtree_of(AdministrativeUnit.objects.filter(path__in=paths))
    roots = list(AdministrativeUnit.objects.filter(depth=0).values_list("pk", flat=True)[: FEW_ROOTS + 1])
    if len(roots) > FEW_ROOTS:
        # The province of the selected unit (itself, or its parent), resolved inside the same query.
        selected_root = AdministrativeUnit.objects.filter(
            pk=int(selected) if selected and str(selected).isdigit() else None
        ).values(root=Coalesce("parent_id", "id"))
        units = units.filter(Q(depth=0) | Q(parent_id__in=selected_root))
    return units.order_by("depth", "valid_to", "name")
