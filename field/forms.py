import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, sees_everything
from budgets.sources import FundingSource
from core.forms import BootstrapFormMixin, MoneyField
from core.widgets import SearchSelectMultiple
from field.models import (
    AcceptanceResult,
    CouncilRole,
    FieldReport,
    Inspection,
    InspectionStatus,
)
from field.photos import check_photo

OBSERVED_CHOICES = [("", _("— chưa ghi —")), ("yes", _("Có")), ("no", _("Không"))]
MAX_PHOTOS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Tối đa %(n)s ảnh mỗi lần gửi.") % {"n": MAX_PHOTOS})
        errors = []
        for f in files:
            try:
                check_photo(f)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(
                [*errors, _("Các nội dung khác vẫn được giữ; hãy chọn lại ảnh trước khi gửi.")], code="photo"
            )
        return list(files)


class FieldReportForm(BootstrapFormMixin, forms.ModelForm):
    """The visit report. Observed outputs are added as two fields per planned output of the đề án."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    progress_percent = forms.IntegerField(
        label=_("Tiến độ thực hiện (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
    )
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    location_accuracy_m = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    photos = MultiplePhotoField(
        label=_("Ảnh chụp tại cơ sở"),
        required=False,
        help_text=_("Có thể chọn nhiều ảnh (JPEG, PNG, WebP), tối đa 10 ảnh mỗi lần."),
    )

    class Meta:
        model = FieldReport
        fields = [
            "visit_date",
            "progress_percent",
            "observations",
            "has_problem",
            "problem",
            "recommendations",
            "latitude",
            "longitude",
            "location_accuracy_m",
        ]
        widgets = {
            "visit_date": forms.DateInput(),
            "observations": forms.Textarea(attrs={"rows": 4}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, outputs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.planned_outputs = list(outputs)
        if not self.instance.pk:
            self.initial.setdefault("visit_date", timezone.localdate())
            self.initial.setdefault("client_id", uuid.uuid4())
        else:
            self.initial["client_id"] = self.instance.client_id
        self.fields["visit_date"].widget.attrs["inputmode"] = "numeric"
        existing = {}
        if self.instance.pk:
            existing = {o.output_id: o for o in self.instance.observed_outputs.all()}
        for output in self.planned_outputs:
            seen = existing.get(output.pk)
            self.fields[f"out_{output.pk}_observed"] = forms.ChoiceField(
                label=str(output), choices=OBSERVED_CHOICES, required=False
            )
            self.fields[f"out_{output.pk}_note"] = forms.CharField(
                label=_("Ghi chú / số máy, số seri"), max_length=300, required=False
            )
            if seen is not None:
                self.initial[f"out_{output.pk}_observed"] = {True: "yes", False: "no"}.get(seen.observed, "")
                self.initial[f"out_{output.pk}_note"] = seen.note
        # BootstrapFormMixin styled the fields present when it ran; style the ones added above.
        for name, field in self.fields.items():
            if name.startswith("out_"):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = css

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_problem") and not (cleaned.get("problem") or "").strip():
            self.add_error("problem", _("Đã đánh dấu có vướng mắc: cần mô tả vướng mắc."))
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned

    def _post_clean(self):
        # The service validates the model (full_clean) when it saves; the form only checks the input.
        pass

    @property
    def output_rows(self):
        """(output, observed field, note field) for the template."""
        return [(o, self[f"out_{o.pk}_observed"], self[f"out_{o.pk}_note"]) for o in self.planned_outputs]

    def report_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def observed_outputs(self) -> list[dict]:
        rows = []
        for output in self.planned_outputs:
            value = self.cleaned_data.get(f"out_{output.pk}_observed")
            rows.append(
                {
                    "output": output,
                    "observed": {"yes": True, "no": False}.get(value),
                    "note": self.cleaned_data.get(f"out_{output.pk}_note", ""),
                }
            )
        return rows


class AcknowledgeForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Ghi chú xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.STAFF, Role.LEADER, Role.ADMIN])
        .distinct()
        .order_by("last_name", "first_name")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class InspectionForm(BootstrapFormMixin, forms.ModelForm):
    team = UserMultipleChoiceField(
        label=_("Thành viên đoàn"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=SearchSelectMultiple(None, placeholder=_("Gõ tên để chọn…")),
    )

    class Meta:
        model = Inspection
        fields = ["kind", "status", "planned_date", "done_date", "team", "external_members", "findings", "conclusions"]
        widgets = {
            "planned_date": forms.DateInput(),
            "done_date": forms.DateInput(),
            "external_members": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "conclusions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = staff_users()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == InspectionStatus.DONE and not cleaned.get("done_date"):
            self.add_error("done_date", _("Đợt kiểm tra đã thực hiện cần ngày thực hiện."))
        return cleaned

    def _post_clean(self):
        pass

    def inspection_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "team"}


class AcceptanceScheduleForm(BootstrapFormMixin, forms.Form):
    planned_on = forms.DateField(label=_("Ngày nghiệm thu dự kiến"), widget=forms.DateInput())
    planned_time = forms.TimeField(
        label=_("Giờ"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    members = UserMultipleChoiceField(
        label=_("Thành viên hội đồng có tài khoản"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Những người này nhận thông báo lịch nghiệm thu."),
        widget=SearchSelectMultiple(None, placeholder=_("Gõ tên để chọn…")),
    )
    other_members = forms.CharField(
        label=_("Thành viên khác (mỗi người một dòng)"),
        required=False,
        help_text=_("Họ tên, chức vụ, cơ quan, cách nhau bằng dấu phẩy; biên bản nghiệm thu sẽ điền sẵn các dòng này."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        )


class ActionForm(BootstrapFormMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Việc cần làm"), max_length=500)
    owner = UserChoiceField(label=_("Người thực hiện"), queryset=get_user_model().objects.none())
    due_date = forms.DateField(label=_("Hạn"), widget=forms.DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("last_name")


ActionFormSet = formset_factory(ActionForm, extra=2, can_delete=True)


class AcceptanceForm(BootstrapFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Ngày nghiệm thu"), widget=forms.DateInput())
    held_at_time = forms.TimeField(
        label=_("Giờ"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    contract_reference = forms.CharField(label=_("Hợp đồng số"), max_length=120, required=False)
    contract_date = forms.DateField(label=_("Ngày hợp đồng"), required=False, widget=forms.DateInput())
    decision_reference = forms.CharField(label=_("Quyết định phê duyệt"), max_length=200, required=False)
    result = forms.ChoiceField(label=_("Kết luận"), choices=AcceptanceResult.choices, widget=forms.RadioSelect)
    assessment = forms.CharField(label=_("Đánh giá chung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    requests = forms.CharField(label=_("Kiến nghị, yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    fixes_required = forms.CharField(
        label=_("Nội dung phải khắc phục (khi không đạt)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, outputs=(), approved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.planned_outputs = list(outputs)
        self.approved = approved or {}
        for output in self.planned_outputs:
            self.fields[f"achieved_{output.pk}"] = forms.DecimalField(
                label=_("Thực hiện"),
                min_value=0,
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any", "inputmode": "decimal"}),
            )
            self.fields[f"remarks_{output.pk}"] = forms.CharField(
                label=_("Nhận xét"), max_length=500, required=False, widget=forms.TextInput({"class": "form-control"})
            )
        for source in FundingSource:
            self.fields[f"used_{source.value}"] = MoneyField(label=source.label, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == AcceptanceResult.FAILED and not (cleaned.get("fixes_required") or "").strip():
            self.add_error("fixes_required", _("Nghiệm thu không đạt: cần ghi nội dung phải khắc phục."))
        return cleaned

    @property
    def output_rows(self):
        return [(o, self[f"achieved_{o.pk}"], self[f"remarks_{o.pk}"]) for o in self.planned_outputs]

    @property
    def funding_rows(self):
        return [(s, self.approved.get(s.value), self[f"used_{s.value}"]) for s in FundingSource]

    def acceptance_data(self) -> dict:
        keys = ("held_on", "held_at_time", "place", "contract_reference", "contract_date", "decision_reference")
        data = {k: self.cleaned_data.get(k) for k in keys}
        data.update({k: self.cleaned_data.get(k) or "" for k in ("result", "assessment", "requests", "fixes_required")})
        return data

    def outputs_data(self) -> list[dict]:
        return [
            {
                "output": o,
                "achieved_quantity": self.cleaned_data[f"achieved_{o.pk}"],
                "remarks": self.cleaned_data.get(f"remarks_{o.pk}", ""),
            }
            for o in self.planned_outputs
        ]

    def funds_used(self) -> dict[str, int]:
        return {s.value: self.cleaned_data.get(f"used_{s.value}") or 0 for s in FundingSource}


class CouncilMemberForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=255)
    role = forms.ChoiceField(label=_("Vai trò"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER)


class BaseCouncilFormSet(BaseFormSet):
    """Rows filled in from the acceptance schedule are suggestions, not stored rows: they are rendered as extra
    forms (INITIAL_FORMS stays 0), so a row the user empties is ignored like any blank row, and two blank rows
    follow them."""

    def initial_form_count(self):
        return 0

    def total_form_count(self):
        if not self.is_bound and self.initial:
            return max(len(self.initial), self.min_num) + 2
        return super().total_form_count()


CouncilFormSet = formset_factory(CouncilMemberForm, formset=BaseCouncilFormSet, extra=5, min_num=1, validate_min=True)


def _other_member(line: str) -> dict:
    # "Họ tên, chức vụ, cơ quan" (one person a line, as the schedule asks); with two parts the second is the
    # organisation, which the biên bản needs more than a position.
    parts = [p.strip() for p in line.split(",")]
    if len(parts) >= 3:
        return {"full_name": parts[0], "position": parts[1], "organisation": ", ".join(parts[2:])}
    if len(parts) == 2:
        return {"full_name": parts[0], "organisation": parts[1]}
    return {"full_name": parts[0]}


def council_initial(schedule, *, department_name: str = "") -> list[dict]:
    """The council rows a biên bản starts from: the schedule's members with an account (name, title; the
    department's name for office staff), then its other members, all as plain members (the schedule holds no
    roles: the user marks the chair and the secretary)."""
    rows = []
    for user in sorted(schedule.members.all(), key=lambda u: (u.last_name, u.first_name, u.username)):
        office = department_name if sees_everything(user) else ""
        rows.append(
            {"full_name": user.get_full_name() or user.username, "position": user.title, "organisation": office}
        )
    rows += [_other_member(line) for line in schedule.other_members.splitlines() if line.strip()]
    for row in rows:
        row.setdefault("position", "")
        row.setdefault("organisation", "")
        row["role"] = CouncilRole.MEMBER
        row["full_name"] = row["full_name"][:120]
        row["position"] = row["position"][:150]
        row["organisation"] = row["organisation"][:255]
    return rows
