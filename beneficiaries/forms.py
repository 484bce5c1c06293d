from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, sees_everything
from accounts.scope import area_paths
from areas.models import AdministrativeUnit
from beneficiaries import selectors
from beneficiaries.models import EDITABLE_FIELDS, Beneficiary, CraftVillage
from beneficiaries.validators import normalise_tax_code, validate_tax_code
from core.forms import BootstrapFormMixin
from core.widgets import SearchSelect


class UnitChoiceField(forms.ModelChoiceField):
    """An administrative unit, searched on the server (current communes first). The queryset, scoped to the
    user's areas by the form, stays the authority on what may be chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchSelect("unit_search", placeholder=_("Gõ tên xã, phường…")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, unit):
        return str(unit)


class BeneficiaryForm(BootstrapFormMixin, forms.ModelForm):
    unit = UnitChoiceField(label=_("Đơn vị hành chính"), queryset=AdministrativeUnit.objects.none())
    # Shown only after a near-duplicate was found: the user says "this is another establishment".
    confirm_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là cơ sở khác, vẫn lưu"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Beneficiary
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "main_products": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "founded_year": forms.NumberInput(attrs={"min": 1900, "max": 2100}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.select_related("parent").filter(depth__gte=1)
        paths = area_paths(user)
        if paths is not None:
            units = units.subtree_of(AdministrativeUnit.objects.filter(path__in=paths))
        self.fields["unit"].queryset = units.order_by("valid_to", "path")
        self.fields["craft_village"].queryset = CraftVillage.objects.select_related("unit").order_by("name")
        self.fields["founded_year"].localize = False

    def clean_tax_code(self):
        value = normalise_tax_code(self.cleaned_data.get("tax_code"))
        validate_tax_code(value)
        return value

    def clean(self):
        cleaned = super().clean()
        # A tax code typed but refused already has its own message (clean_tax_code): no second, misleading one.
        typed = "tax_code" in self.errors
        if not typed and not cleaned.get("tax_code") and not (cleaned.get("registration_number") or "").strip():
            self.add_error("tax_code", _("Cần mã số thuế, hoặc số đăng ký kinh doanh với hộ kinh doanh."))
        self.duplicates = selectors.beneficiary_near_duplicates(
            name=cleaned.get("name") or "", unit=cleaned.get("unit"), exclude_pk=self.instance.pk
        )
        if self.duplicates and not cleaned.get("confirm_duplicate"):
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
            self.add_error(
                None,
                _(
                    "Có thể trùng: ở cùng xã/phường đã có %(names)s. Nếu đây là cơ sở khác, đánh dấu ô "
                    "“vẫn lưu” bên dưới rồi lưu lại."
                )
                % {"names": "; ".join(f"“{b.name}”" for b in self.duplicates)},
            )
        return cleaned


class EligibilityOverrideForm(BootstrapFormMixin, forms.Form):
    CHOICES = [("", _("Theo quy định (bỏ điều chỉnh)")), ("1", _("Đủ điều kiện")), ("0", _("Không đủ điều kiện"))]
    decision = forms.ChoiceField(label=_("Kết luận"), choices=CHOICES, required=False)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Cần ghi rõ lý do điều chỉnh."))
        return cleaned

    @property
    def eligible(self) -> bool | None:
        decision = self.cleaned_data.get("decision")
        return None if not decision else decision == "1"


class ArchiveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do lưu trữ"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách cơ sở"),
        help_text=_("Tệp .xlsx, .xls hoặc .csv, tối đa 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )


class ImportConfirmForm(forms.Form):
    valid_only = forms.BooleanField(label=_("Chỉ nhập các dòng hợp lệ, bỏ qua các dòng lỗi"), required=False)


class BeneficiaryListRequestForm(BootstrapFormMixin, forms.Form):
    """The choice of area for a "Danh sách cơ sở CNNT": the user's own areas, or any for department roles."""

    unit = forms.ModelChoiceField(
        label=_("Địa bàn"), queryset=AdministrativeUnit.objects.none(), required=False, empty_label=_("Toàn thành phố")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        if sees_everything(user):
            field.queryset = AdministrativeUnit.objects.filter(depth=1).select_related("parent")
            field.widget = SearchSelect("unit_search", params={"top": "1"}, placeholder=_("Toàn thành phố"))
        elif has_role(user, Role.AREA_OFFICER):
            field.queryset = user.areas.order_by("name")
            field.required = True
            field.empty_label = None
