from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin


class LanguageForm(BootstrapFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=settings.LANGUAGES)


class AccessLogFilterForm(BootstrapFormMixin, forms.Form):
    """Filters of the access-log page; the export takes the same ones."""

    user = forms.CharField(label=_("Người dùng"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Hành động"), required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False)
    date_to = forms.DateField(label=_("Đến ngày"), required=False)
    ip = forms.GenericIPAddressField(label=_("Địa chỉ IP"), required=False)

    def __init__(self, *args, **kwargs):
        from accounts.models import AccessAction

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Tất cả"))] + list(AccessAction.choices)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        return data


class ReauthForm(BootstrapFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password
