from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from administration import selectors
from core.forms import BootstrapFormMixin
from core.widgets import SearchSelect, SearchSelectMultiple


class UserForm(BootstrapFormMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Vai trò"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Địa bàn phụ trách (xã, phường, đặc khu hiện nay)"),
        queryset=selectors.current_units(),
        required=False,
        widget=SearchSelectMultiple("unit_search", params={"current": "1"}, placeholder=_("Gõ tên xã, phường…")),
        help_text=_("Cán bộ địa bàn chỉ thấy dữ liệu của các đơn vị này và các đơn vị trực thuộc."),
    )
    historical_areas = forms.ModelMultipleChoiceField(
        label=_("Đơn vị trước 7/2025 (chỉ cho hồ sơ lịch sử)"),
        queryset=selectors.historical_units(),
        required=False,
        widget=SearchSelectMultiple(
            "administration:unit_search", params={"historical": "1"}, placeholder=_("Gõ tên huyện, xã cũ…")
        ),
        help_text=_("Chỉ chọn khi cán bộ cần xem hồ sơ ghi theo địa giới cũ."),
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "last_name", "first_name", "title", "email", "phone"]
        labels = {"last_name": _("Họ và tên đệm"), "first_name": _("Tên")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].widget.attrs["class"] = "form-check-input"
        self.fields["email"].required = True
        if self.instance.pk:
            self.initial["roles"] = list(
                self.instance.groups.filter(name__in=Role.values).values_list("name", flat=True)
            )
            chosen = list(self.instance.areas.all())
            self.initial["areas"] = [u.pk for u in chosen if u.valid_to is None]
            self.initial["historical_areas"] = [u.pk for u in chosen if u.valid_to is not None]

    def clean(self):
        data = super().clean()
        if Role.AREA_OFFICER in (data.get("roles") or []) and not (data.get("areas") or data.get("historical_areas")):
            self.add_error("areas", _("Cán bộ địa bàn cần ít nhất một địa bàn phụ trách."))
        return data

    def chosen_areas(self) -> list:
        return list(self.cleaned_data.get("areas") or []) + list(self.cleaned_data.get("historical_areas") or [])


class UserFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", _("Tất cả"))] + list(Role.choices), required=False)
    area = forms.ModelChoiceField(
        label=_("Địa bàn"),
        queryset=selectors.current_units(),
        required=False,
        empty_label=_("Tất cả"),
        widget=SearchSelect("unit_search", params={"current": "1"}, placeholder=_("Mọi địa bàn"), inline_limit=0),
    )
    active = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khóa"))],
        required=False,
    )
    last_login = forms.ChoiceField(
        label=_("Đăng nhập gần nhất"),
        choices=[
            ("", _("Bất kỳ")),
            ("7", _("Trong 7 ngày")),
            ("30", _("Trong 30 ngày")),
            ("older90", _("Quá 90 ngày hoặc chưa bao giờ")),
            ("never", _("Chưa đăng nhập lần nào")),
        ],
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=500)
