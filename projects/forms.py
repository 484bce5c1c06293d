from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.scope import area_paths
from areas.models import AdministrativeUnit
from beneficiaries.forms import UnitChoiceField
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_choice_label, beneficiary_list
from core.forms import BootstrapFormMixin, MoneyField
from core.widgets import SearchSelect, SearchSelectMultiple
from projects import hooks, selectors
from projects.models import (
    APPROVAL_KINDS,
    ActivityContent,
    AdjustmentKind,
    AppraisalResult,
    AttachmentKind,
    Decision,
    DecisionKind,
    Level,
    Organisation,
    Project,
    ProjectKind,
    ProjectStatus,
)
from projects.validators import normalise_decision_number, validate_decision_number

S = ProjectStatus


def _units_for(user):
    units = AdministrativeUnit.objects.select_related("parent").filter(depth__gte=1)
    paths = area_paths(user)
    if paths is not None:
        units = units.subtree_of(AdministrativeUnit.objects.filter(path__in=paths))
    return units.order_by(F("valid_to").asc(nulls_first=True), "depth", "search_name")


# Statuses a decision can name (every one but those before registration and after the end).
DECIDABLE = [s for s in ProjectStatus.values if s not in (S.DRAFT, S.SETTLED, S.NOT_APPROVED, S.STOPPED)]


def _organisations(*, multiple=False, placeholder=None):
    widget = SearchSelectMultiple if multiple else SearchSelect
    return widget("projects:organisation_search", placeholder=placeholder or _("Gõ tên đơn vị…"))


class UnitFilterField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return str(unit)


class BeneficiaryChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", SearchSelectMultiple("beneficiaries:search", placeholder=_("Gõ tên hoặc mã số thuế…"))
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, b):
        return beneficiary_choice_label(b)


class ProjectFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("Cấp"), required=False, choices=[("", _("Mọi cấp")), *Level.choices])
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Mọi loại")), *ProjectKind.choices])
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Mọi trạng thái")), *ProjectStatus.choices]
    )
    content = forms.ModelChoiceField(
        label=_("Nội dung"), required=False, queryset=ActivityContent.objects.all(), empty_label=_("Mọi nội dung")
    )
    # Districts and communes of both generations: a unit covers its subtree. Hundreds, searched on the server.
    area = UnitFilterField(
        label=_("Địa bàn"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Mọi địa bàn"),
        widget=SearchSelect("unit_search", placeholder=_("Mọi địa bàn")),
    )
    implementing_unit = forms.ModelChoiceField(
        label=_("Đơn vị thực hiện"),
        required=False,
        queryset=Organisation.objects.all(),
        empty_label=_("Mọi đơn vị"),
        widget=_organisations(placeholder=_("Mọi đơn vị")),
    )
    # Set by the links on an establishment's page; a select of every establishment would not scale (100,000).
    # Typing a name or tax code in the search box finds them too.
    beneficiary = forms.ModelChoiceField(
        label=_("Cơ sở thụ hưởng"), required=False, queryset=Beneficiary.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Mọi năm"))] + [(y, str(y)) for y in selectors.plan_years(user=user)]
        self.fields["area"].queryset = _units_for(user)
        self.fields["beneficiary"].queryset = beneficiary_list(user=user)
        self.fields["implementing_unit"].label_from_instance = selectors.organisation_choice_label

    def to_filters(self) -> selectors.ProjectFilters:
        if not self.is_valid():
            return selectors.ProjectFilters()
        c = self.cleaned_data
        return selectors.ProjectFilters(
            year=c.get("year"),
            level=c.get("level") or "",
            kind=c.get("kind") or "",
            content=c["content"].pk if c.get("content") else None,
            status=c.get("status") or "",
            area=c.get("area"),
            implementing_unit=c["implementing_unit"].pk if c.get("implementing_unit") else None,
            beneficiary=c["beneficiary"].pk if c.get("beneficiary") else None,
            search=c.get("q") or "",
        )


class ProjectForm(BootstrapFormMixin, forms.ModelForm):
    unit = UnitChoiceField(label=_("Địa điểm thực hiện"), queryset=AdministrativeUnit.objects.none())
    beneficiaries = BeneficiaryChoiceField(
        label=_("Cơ sở thụ hưởng"),
        queryset=None,
        required=False,
        help_text=_("Gõ tên hoặc mã số thuế để tìm; chọn được nhiều cơ sở."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "kind",
            "code",
            "title",
            "level",
            "plan_year",
            "contents",
            "beneficiaries",
            "implementing_unit",
            "partner_units",
            "unit",
            "place_detail",
            "start_date",
            "end_date",
            "objectives",
            "expected_results",
            "expected_jobs",
            "expected_revenue",
            "legal_basis",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "contents": forms.CheckboxSelectMultiple,
            "implementing_unit": _organisations(),
            "partner_units": _organisations(multiple=True),
            "start_date": forms.DateInput,
            "end_date": forms.DateInput,
            "plan_year": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
        }

    expected_revenue = MoneyField(label=_("Doanh thu tăng thêm dự kiến (đồng)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units_for(user)
        self.fields["beneficiaries"].queryset = beneficiary_list(user=user)
        self.fields["implementing_unit"].queryset = Organisation.objects.filter(active=True)
        self.fields["partner_units"].queryset = Organisation.objects.filter(active=True)
        for name in ("implementing_unit", "partner_units"):
            self.fields[name].label_from_instance = selectors.organisation_choice_label
        self.fields["plan_year"].localize = False
        self.fields["contents"].widget.attrs.pop("class", None)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlannedOutputForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(label=_("Sản phẩm, kết quả"), max_length=300, required=False)
    unit_of_measure = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    planned_quantity = forms.DecimalField(
        label=_("Số lượng"), max_digits=14, decimal_places=2, min_value=0.01, required=False
    )

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get("description"), cleaned.get("unit_of_measure"), cleaned.get("planned_quantity")]
        if any(values) and not all(values):
            raise forms.ValidationError(_("Mỗi sản phẩm cần đủ mô tả, đơn vị tính và số lượng."))
        return cleaned


PlannedOutputFormSet = forms.formset_factory(PlannedOutputForm, extra=2, can_delete=False)


def outputs_from(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get("description")]


def style_fields(form) -> None:
    """BootstrapFormMixin styles the fields a form declares; this styles fields added in __init__ too."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css
        if isinstance(widget, forms.DateInput):
            widget.format = "%d/%m/%Y"
            widget.attrs.setdefault("placeholder", "dd/mm/yyyy")


class TransitionForm(forms.Form):
    """Confirmation of one transition: a comment, the version the page showed, and what the target needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project: Project, to: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.to = to
        self.issued_contract = None  # CONTRACTED: the contract in force in the register, if any
        self.fields["version"].initial = project.version
        if to == S.APPRAISED:
            self.fields["appraisal_result"] = forms.ChoiceField(
                label=_("Kết quả thẩm định"), choices=AppraisalResult.choices, widget=forms.RadioSelect
            )
            self.fields["appraisal_remarks"] = forms.CharField(
                label=_("Ý kiến thẩm định"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields["appraised_on"] = forms.DateField(label=_("Ngày thẩm định"), required=False)
        elif to in (S.APPROVED, S.STOPPED):
            kinds = (
                (DecisionKind.PLAN_APPROVAL, DecisionKind.PROJECT_APPROVAL)
                if to == S.APPROVED
                else (DecisionKind.STOP, DecisionKind.ADJUSTMENT)
            )
            self.fields["decision"] = forms.ModelChoiceField(
                label=_("Quyết định"),
                queryset=selectors.decisions_for_choice(project, kinds),
                empty_label=_("— Chọn quyết định có tên đề án —"),
                help_text=_("Các quyết định đã có tên đề án này."),
            )
        elif to == S.CONTRACTED:
            self.fields["contract_number"] = forms.CharField(label=_("Số hợp đồng"), max_length=60)
            self.fields["contract_date"] = forms.DateField(label=_("Ngày ký"))
            self.fields["contract_parties"] = forms.CharField(
                label=_("Các bên ký"), widget=forms.Textarea(attrs={"rows": 3})
            )
            issued = hooks.find_issued_contract(project)
            if issued is not None:
                # The register's number and date; the service refuses any other (projects.services).
                self.issued_contract = issued
                self.fields["contract_number"].initial = issued["number"]
                self.fields["contract_date"].initial = issued["date"]
                # Left blank, they are taken from the register; the page says so above the form.
                self.fields["contract_number"].required = False
                self.fields["contract_date"].required = False
            else:
                self.fields["contract_number"].initial = project.contract_number
                self.fields["contract_date"].initial = project.contract_date
            self.fields["contract_parties"].initial = project.contract_parties or selectors.contract_parties(project)
        if to in (S.SUSPENDED, S.STOPPED, S.NOT_APPROVED):
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Lý do")
        style_fields(self)

    def service_kwargs(self) -> dict:
        c = dict(self.cleaned_data)
        c["expected_version"] = c.pop("version")
        return {k: v for k, v in c.items() if v not in (None, "") or k == "comment"}


class DecisionForm(BootstrapFormMixin, forms.ModelForm):
    number = forms.CharField(
        label=_("Số quyết định"), max_length=40, help_text=_("Ví dụ 191/QĐ-UBND, 1881/QĐ-TTg, 21/2019/QĐ-UBND.")
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Đề án trong quyết định"),
        queryset=Project.objects.none(),
        required=False,
        widget=SearchSelectMultiple(
            "projects:search", params={"status": ",".join(DECIDABLE)}, placeholder=_("Gõ mã hoặc tên đề án…")
        ),
        help_text=_("Một quyết định thường phê duyệt cả kế hoạch năm: chọn mọi đề án của quyết định."),
    )
    approve = forms.BooleanField(
        label=_("Chuyển các đề án này sang “Đã phê duyệt”"),
        required=False,
        initial=True,
        help_text=_("Chỉ áp dụng cho quyết định phê duyệt; các đề án phải đã thẩm định đạt."),
    )
    pdf = forms.FileField(label=_("Bản PDF quyết định"), required=False)

    class Meta:
        model = Decision
        fields = ["number", "signed_on", "issuing_body", "signer", "signer_title", "kind", "level", "summary"]
        widgets = {"signed_on": forms.DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = (
            selectors.project_scope(user=user).filter(status__in=DECIDABLE).order_by("-plan_year", "level", "code")
        )
        self.fields["projects"].label_from_instance = selectors.project_choice_label

    def clean_number(self):
        value = normalise_decision_number(self.cleaned_data.get("number"))
        validate_decision_number(value)
        return value

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AdjustmentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại điều chỉnh"), choices=AdjustmentKind.choices)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))
    additional_amount = MoneyField(label=_("Kinh phí bổ sung đề nghị (đồng)"), required=False)
    title = forms.CharField(label=_("Tên đề án mới"), required=False, max_length=500)
    objectives = forms.CharField(label=_("Mục tiêu mới"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_results = forms.CharField(
        label=_("Kết quả dự kiến mới"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_date = forms.DateField(label=_("Ngày bắt đầu mới"), required=False, widget=forms.DateInput)
    end_date = forms.DateField(label=_("Ngày kết thúc mới"), required=False, widget=forms.DateInput)
    unit = UnitChoiceField(label=_("Địa điểm mới"), required=False, queryset=AdministrativeUnit.objects.none())
    place_detail = forms.CharField(label=_("Địa điểm cụ thể mới"), required=False, max_length=255)
    beneficiaries = BeneficiaryChoiceField(label=_("Cơ sở thụ hưởng mới"), queryset=None, required=False)

    CHANGE_FIELDS = ("title", "objectives", "expected_results", "start_date", "end_date", "unit", "place_detail")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units_for(user)
        self.fields["beneficiaries"].queryset = beneficiary_list(user=user)

    def changes(self) -> dict:
        c = self.cleaned_data
        data = {name: c.get(name) for name in self.CHANGE_FIELDS}
        data["beneficiaries"] = list(c.get("beneficiaries") or [])
        return data


class AdjustmentDecisionForm(BootstrapFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Kết luận"),
        choices=[("1", _("Chấp thuận")), ("0", _("Không chấp thuận"))],
        coerce=lambda v: v == "1",
    )
    decision = forms.ModelChoiceField(
        label=_("Quyết định điều chỉnh"), queryset=Decision.objects.none(), required=False
    )
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = selectors.decisions_for_choice(
            project, (DecisionKind.ADJUSTMENT, DecisionKind.STOP)
        )


class AttachmentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại hồ sơ"), choices=AttachmentKind.choices)
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    file = forms.FileField(label=_("Tệp (PDF, JPG, PNG, DOCX, XLSX)"))


class PlanImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Tệp Excel kế hoạch (.xlsx)"))


class DecisionAttachForm(BootstrapFormMixin, forms.Form):
    """On a registered or appraised đề án: choose the recorded approval decision that lists it."""

    decision = forms.ModelChoiceField(
        label=_("Quyết định phê duyệt đã nhập"),
        queryset=Decision.objects.filter(kind__in=APPROVAL_KINDS),
        widget=SearchSelect(
            "projects:decision_search",
            params={"kind": ",".join(APPROVAL_KINDS)},
            placeholder=_("Gõ số quyết định, ví dụ 191/QĐ-UBND…"),
        ),
    )
    approve = forms.BooleanField(
        label=_("Chuyển đề án sang “Đã phê duyệt”"),
        required=False,
        initial=True,
        help_text=_("Chỉ với đề án đã thẩm định đạt; nếu chưa, đề án chỉ được gắn vào quyết định."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].label_from_instance = selectors.decision_choice_label


class DecisionAddProjectsForm(BootstrapFormMixin, forms.Form):
    """On a decision's page: add a batch of đề án (the usual case: the whole year's plan)."""

    projects = forms.ModelMultipleChoiceField(
        label=_("Thêm đề án vào quyết định"),
        queryset=Project.objects.none(),
        widget=SearchSelectMultiple(
            "projects:search", params={"status": ",".join(DECIDABLE)}, placeholder=_("Gõ mã hoặc tên đề án…")
        ),
    )
    approve = forms.BooleanField(
        label=_("Chuyển các đề án đã thẩm định đạt sang “Đã phê duyệt”"), required=False, initial=True
    )

    def __init__(self, *args, user, decision, **kwargs):
        super().__init__(*args, **kwargs)
        # Đề án already in this decision are not offered again.
        self.fields["projects"].queryset = selectors.project_picker(
            user=user, words=[], statuses=list(DECIDABLE), not_in_decision=decision.pk
        )
        self.fields["projects"].widget.params["not_in_decision"] = decision.pk
        self.fields["projects"].label_from_instance = selectors.project_choice_label
        if not decision.is_approval:
            del self.fields["approve"]
