from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin


class VerifyUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Tệp PDF cần kiểm tra chữ ký số"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Tệp này không phải PDF."))
        return upload


class IssueForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do ban hành văn bản thay thế"), max_length=300, required=False)
