"""Reads a record's change history (django-simple-history) as rows a person can read."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

_KIND = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}
_EMPTY = "—"


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display_m2m(model_field, rows) -> str:
    """An M2M value in a diff is a list of through-table rows ({"inspection": 1, "user": 2}); show the targets."""
    target_name = model_field.m2m_reverse_field_name()
    ids = [row.get(target_name) for row in rows or [] if isinstance(row, dict)]
    if not ids:
        return _EMPTY
    targets = {obj.pk: obj for obj in model_field.related_model._default_manager.filter(pk__in=ids)}
    names = [_label(targets.get(pk), pk) for pk in ids]
    return ", ".join(sorted(names))


def _label(obj, pk) -> str:
    if obj is None:
        return str(pk)
    full_name = getattr(obj, "get_full_name", None)
    return (full_name() if callable(full_name) else "") or str(obj)


def _display(record, field_name: str, value) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    if model_field.many_to_many:
        return _display_m2m(model_field, value)
    if value is None or value == "":
        return _EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        target = model_field.related_model._default_manager.filter(pk=value).first()
        return _label(target, value)
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d/m/Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def history_entries(obj, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first; each entry lists (field label, before, after) for the fields that changed."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                label = str(record.instance_type._meta.get_field(change.field).verbose_name)
                changes.append(
                    (label, _display(record, change.field, change.old), _display(record, change.field, change.new))
                )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("Hệ thống")),
                kind=str(_KIND.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
