from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from notifications.models import EmailMode


class PreferenceForm(BootstrapFormMixin, forms.Form):
    email_mode = forms.ChoiceField(label=_("Nhận e-mail thông báo"), choices=EmailMode.choices)
