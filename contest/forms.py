from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_choice_label
from contest.models import Contest, CriteriaSet, DocumentKind, Entry
from contest.validators import MIN_PHOTOS, validate_document, validate_photo
from core.forms import BootstrapFormMixin
from core.widgets import SearchSelect, SearchSelectMultiple


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def _people(*roles):
    return get_user_model().objects.filter(groups__name__in=roles, is_active=True).distinct().order_by("last_name")


class ContestForm(BootstrapFormMixin, forms.ModelForm):
    secretaries = PersonChoiceField(label=_("Thư ký hội đồng"), queryset=None, required=False)
    jurors = PersonChoiceField(label=_("Giám khảo"), queryset=None, required=False)

    class Meta:
        model = Contest
        fields = [
            "name",
            "year",
            "level",
            "decision_number",
            "decision_date",
            "criteria_set",
            "pass_mark",
            "score_rule",
            "proposal_quota",
            "next_level_name",
            "parent_body",
            "organiser",
            "place",
            "signer_title",
            "signer_name",
        ]
        widgets = {"decision_date": forms.DateInput(), "year": forms.NumberInput(attrs={"min": 2000, "max": 2100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretaries"].queryset = _people(Role.STAFF, Role.ADMIN)
        self.fields["jurors"].queryset = _people(Role.JUROR)
        self.fields["criteria_set"].queryset = CriteriaSet.objects.filter(active=True)
        self.fields["year"].localize = False
        for name in ("secretaries", "jurors"):
            self.fields[name].widget = SearchSelectMultiple(None, placeholder=_("Gõ tên để chọn…"))
            self.fields[name].widget.choices = self.fields[name].choices
        if self.instance.pk:
            self.initial.setdefault("secretaries", list(self.instance.secretaries.all()))
            self.initial.setdefault("jurors", list(self.instance.jurors.all()))

    @property
    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BeneficiaryChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchSelect("beneficiaries:search", placeholder=_("Gõ tên hoặc mã số thuế…")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, b):
        return beneficiary_choice_label(b)


class EntryForm(BootstrapFormMixin, forms.ModelForm):
    beneficiary = BeneficiaryChoiceField(label=_("Cơ sở"), queryset=Beneficiary.objects.none())

    class Meta:
        model = Entry
        fields = ["product_name", "is_product_set", "group", "beneficiary", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = beneficiaries.select_related("unit__parent")


class EntryFilesForm(BootstrapFormMixin, forms.Form):
    """Photos and documents; on a new entry at least three photos are needed (TT 26)."""

    photos = MultipleFileField(
        label=_("Ảnh sản phẩm"),
        required=False,
        help_text=_("Ít nhất 3 ảnh JPEG/PNG, mỗi ảnh tối đa 5 MB."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    registration_form = forms.FileField(label=_("Phiếu đăng ký tham gia"), required=False)
    business_registration = forms.FileField(label=_("Bản sao đăng ký kinh doanh"), required=False)
    certificates = MultipleFileField(label=_("Chứng nhận, giấy khen khác"), required=False)

    def __init__(self, *args, require_photos: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_photos = require_photos

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if self.require_photos and len(photos) < MIN_PHOTOS:
            raise forms.ValidationError(_("Cần ít nhất %(n)d ảnh sản phẩm.") % {"n": MIN_PHOTOS})
        for upload in photos:
            validate_photo(upload)
        return photos

    def _document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            validate_document(upload)
        return upload

    def clean_registration_form(self):
        return self._document("registration_form")

    def clean_business_registration(self):
        return self._document("business_registration")

    def clean_certificates(self):
        uploads = self.cleaned_data["certificates"]
        for upload in uploads:
            validate_document(upload)
        return uploads

    @property
    def documents(self) -> list:
        docs = []
        if self.cleaned_data.get("registration_form"):
            docs.append((DocumentKind.REGISTRATION_FORM, self.cleaned_data["registration_form"]))
        if self.cleaned_data.get("business_registration"):
            docs.append((DocumentKind.BUSINESS_REGISTRATION, self.cleaned_data["business_registration"]))
        docs += [(DocumentKind.CERTIFICATE, u) for u in self.cleaned_data.get("certificates", [])]
        return docs


class TransitionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(TransitionForm):
    result_decision_number = forms.CharField(label=_("Số quyết định công nhận"), max_length=60)
    result_decision_date = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput())


class ConflictForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CertificateIssueForm(BootstrapFormMixin, forms.Form):
    issued_on = forms.DateField(label=_("Ngày cấp"), widget=forms.DateInput())


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class ScoreForm(forms.Form):
    """What the scoring and correction pages post: per criterion a points box `c<pk>` and a note `n<pk>`, the
    sheet's comment, the correction's reason and which button was pressed. Points stay text: the service reads
    and checks them against each criterion's maximum (with Vietnamese messages per box)."""

    comment = forms.CharField(required=False, strip=False)
    reason = forms.CharField(required=False, strip=False)
    action = forms.CharField(required=False)

    def __init__(self, data=None, *, criteria):
        super().__init__(data)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.CharField(required=False, strip=False)
            self.fields[f"n{c.pk}"] = forms.CharField(required=False, strip=False)

    def points(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}

    def notes(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"n{c.pk}"] for c in self.criteria}

    @property
    def submitted(self) -> bool:
        return self.cleaned_data["action"] == "submit"


class IdListField(forms.Field):
    """A list of integer ids posted under one name (checkboxes); which ids are acceptable is the service's call."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Danh sách hồ sơ không hợp lệ.")}

    def to_python(self, value) -> list[int]:
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ProposalsForm(forms.Form):
    """The results page's choice of entries to propose for certification (checkboxes `entries`, entry ids)."""

    entries = IdListField(required=False)
