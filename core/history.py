"""Reads a record's change history (django-simple-history) as rows a person can read."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

_KIND = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display(record, field_name: str, value) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    if value is None or value == "":
        return "—"
    if model_field.many_to_many:
        # simple-history gives a tracked many-to-many as rows of the through table: [{"inspection": 1, "user": 3}].
        key = model_field.m2m_reverse_field_name()
        ids = [row.get(key) if isinstance(row, dict) else row for row in value or []]
        names = [str(o) for o in model_field.related_model._default_manager.filter(pk__in=ids)]
        return ", ".join(sorted(names)) or "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        target = model_field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else str(value)
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
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
