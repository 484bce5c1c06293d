from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin


class LanguageForm(BootstrapFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=settings.LANGUAGES)
