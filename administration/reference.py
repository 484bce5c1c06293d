"""Reference data pages: what a department changes over the years, edited by admins, read by leaders.

Each kind names its model, the fields of its form and of its list, and which rows are frozen. A support ceiling
already in force may have been applied to a đề án: only its end date and notes stay editable, a new rule is a
new row with its own effective date.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from administration.permissions import can_manage, can_read_reference
from beneficiaries.models import CraftVillage
from budgets.models import SupportCeiling
from contest.models import CriteriaSet
from core.forms import BootstrapFormMixin
from core.history import history_entries
from core.permissions import require
from documents.models import IssuingBody
from field.models import FieldAssignment
from projects.models import ActivityContent, Organisation


@dataclass(frozen=True)
class ReferenceKind:
    code: str
    title: str
    model: type
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    related: tuple[str, ...] = ()
    frozen_fields: tuple[str, ...] = field(default=())

    def editable_fields(self, obj) -> tuple[str, ...]:
        if obj is not None and self.is_frozen(obj):
            return self.frozen_fields
        return self.fields

    def is_frozen(self, obj) -> bool:
        return self.model is SupportCeiling and obj.effective_from <= timezone.localdate()


KINDS = {
    kind.code: kind
    for kind in [
        ReferenceKind(
            "co-quan-ban-hanh",
            gettext_lazy("Cơ quan ban hành và người ký"),
            IssuingBody,
            (
                "parent_name",
                "name",
                "abbreviation",
                "place",
                "signer_authority",
                "signer_title",
                "signer_name",
                "archive_units",
                "recipients",
                "active",
            ),
            ("name", "signer_title", "signer_name", "active"),
        ),
        ReferenceKind(
            "noi-dung-hoat-dong",
            gettext_lazy("Nội dung hoạt động khuyến công"),
            ActivityContent,
            ("code", "name", "description", "legal_basis", "effective_from", "effective_to", "sort_order"),
            ("code", "name", "effective_from", "effective_to"),
            related=("legal_basis",),
        ),
        ReferenceKind(
            "don-vi-thuc-hien",
            gettext_lazy("Đơn vị thực hiện, phối hợp"),
            Organisation,
            (
                "name",
                "short_name",
                "kind",
                "address",
                "representative",
                "representative_title",
                "phone",
                "tax_code",
                "bank_account",
                "bank_name",
                "active",
            ),
            ("name", "kind", "representative", "bank_account", "active"),
        ),
        ReferenceKind(
            "muc-ho-tro",
            gettext_lazy("Mức hỗ trợ tối đa"),
            SupportCeiling,
            (
                "activity_content",
                "title",
                "level",
                "effective_from",
                "effective_to",
                "percent_cap",
                "amount_cap",
                "basis",
                "legal_basis",
                "notes",
            ),
            ("activity_content", "title", "level", "effective_from", "effective_to", "percent_cap", "amount_cap"),
            related=("activity_content",),
            frozen_fields=("effective_to", "notes"),
        ),
        ReferenceKind(
            "bo-tieu-chi",
            gettext_lazy("Bộ tiêu chí chấm điểm"),
            CriteriaSet,
            ("code", "name", "legal_basis", "effective_from", "active"),
            ("code", "name", "effective_from", "active"),
        ),
        ReferenceKind(
            "phan-cong-theo-doi",
            gettext_lazy("Phân công theo dõi"),
            FieldAssignment,
            ("project", "unit", "staff"),
            ("project", "unit", "staff"),
            related=("project", "unit", "staff"),
        ),
        ReferenceKind(
            "lang-nghe",
            gettext_lazy("Làng nghề"),
            CraftVillage,
            ("name", "unit", "recognised", "recognition_decision", "recognised_on"),
            ("name", "unit", "recognised", "recognition_decision"),
            related=("unit",),
        ),
    ]
}


def _kind(code: str) -> ReferenceKind:
    try:
        return KINDS[code]
    except KeyError:
        raise Http404(code) from None


def _form_class(kind: ReferenceKind, fields: tuple[str, ...]):
    return type(
        f"{kind.model.__name__}ReferenceForm",
        (BootstrapFormMixin, forms.ModelForm),
        {"Meta": type("Meta", (), {"model": kind.model, "fields": list(fields)})},
    )


def reference_save(*, actor, kind: ReferenceKind, form) -> object:
    """Saves one reference row with its history row naming the actor. Frozen rows accept only their open fields
    (the form is built from those)."""
    require(can_manage(actor))
    with transaction.atomic():
        obj = form.save(commit=False)
        obj._history_user = actor
        obj.full_clean()
        obj.save()
        form.save_m2m()
    return obj


def reference_list(request, kind: str):
    require(can_read_reference(request.user))
    ref = _kind(kind)
    rows = ref.model.objects.select_related(*ref.related).all()[:500]
    columns = [(name, ref.model._meta.get_field(name).verbose_name) for name in ref.columns]
    table = [(obj, [_cell(obj, name) for name in ref.columns]) for obj in rows]
    return render(
        request,
        "administration/reference_list.html",
        {
            "ref": ref,
            "kinds": KINDS.values(),
            "columns": columns,
            "table": table,
            "can_manage": can_manage(request.user)[0],
        },
    )


def _cell(obj, name: str) -> str:
    value = getattr(obj, name)
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return display()
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def reference_edit(request, kind: str, pk: int | None = None):
    ref = _kind(kind)
    obj = get_object_or_404(ref.model, pk=pk) if pk else None
    if request.method == "POST":
        require(can_manage(request.user))
    else:
        require(can_read_reference(request.user))
    manage = can_manage(request.user)[0]
    fields = ref.editable_fields(obj)
    form = _form_class(ref, fields)(request.POST or None, instance=obj)
    if not manage:
        for f in form.fields.values():
            f.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            saved = reference_save(actor=request.user, kind=ref, form=form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu “%(obj)s”.") % {"obj": saved})
            return redirect("administration:reference_edit", kind=kind, pk=saved.pk)
    return render(
        request,
        "administration/reference_form.html",
        {
            "ref": ref,
            "obj": obj,
            "form": form,
            "can_manage": manage,
            "frozen": obj is not None and ref.is_frozen(obj),
            "history": history_entries(obj) if obj is not None else [],
        },
    )
