"""The import's bulk writer (COPY on PostgreSQL, bulk_create/bulk_update elsewhere, history by INSERT … SELECT)
stores the same establishments and the same history rows as simple_history's bulk_*_with_history ORM path."""

import pytest
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from beneficiaries.importing import engine, writer
from beneficiaries.models import Beneficiary, BeneficiaryStatus
from tests.beneficiaries.workbooks import messy_xlsx, realistic_rows

pytestmark = pytest.mark.django_db

REASON = "Nhập từ tệp thử (lô số 1)"
# Set by the database or by the clock: compared separately.
_VOLATILE = {"id", "history_id", "history_date", "created_at", "updated_at"}


def reference_write_plan(plan, *, actor, reason):
    """What write_plan did before the bulk writer: model instances through simple_history's bulk helpers."""
    now = timezone.now()
    creates = [Beneficiary(created_by=actor, **entry["values"]) for entry in plan if entry["pk"] is None]
    current = Beneficiary.objects.in_bulk([entry["pk"] for entry in plan if entry["pk"] is not None])
    to_update, fields = [], {"updated_at"}
    for entry in plan:
        if entry["pk"] is None:
            continue
        beneficiary = current[entry["pk"]]
        changed = {name: value for name, value in entry["values"].items() if getattr(beneficiary, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(beneficiary, name, value)
            beneficiary.updated_at = now
            fields.update(changed)
            to_update.append(beneficiary)
    bulk_create_with_history(creates, Beneficiary, default_user=actor, default_change_reason=reason)
    bulk_update_with_history(to_update, Beneficiary, sorted(fields), default_user=actor, default_change_reason=reason)


def _snapshot():
    """(establishments, history rows of the import) keyed by identifier, without database-assigned values."""
    rows = {
        b["tax_code"] or b["registration_number"]: {k: v for k, v in b.items() if k not in _VOLATILE}
        for b in Beneficiary.objects.values()
    }
    history = sorted(
        (
            {k: v for k, v in h.items() if k not in _VOLATILE}
            for h in Beneficiary.history.filter(history_change_reason=REASON).values()
        ),
        key=lambda h: (h["tax_code"], h["registration_number"], h["history_type"]),
    )
    return rows, history


def _prepare(admin):
    """A registry holding the first 10 rows of the sheet (with another employee count and one archived-free
    change), and the plan of the whole 30-row sheet: 20 creates and 10 updates."""
    Beneficiary.history.all().delete()
    Beneficiary.objects.all().delete()
    rows = realistic_rows(30, review_every=7)
    existing = [dict(row, employees=1) for row in rows[:10]]
    engine.write_plan(engine.analyse("base.xlsx", messy_xlsx(existing)).plan(), actor=admin, reason="base")
    analysis = engine.analyse("import.xlsx", messy_xlsx(rows))
    assert analysis.counts[engine.CREATE] == 20 and analysis.counts[engine.UPDATE] == 10
    return analysis.plan()


@pytest.mark.parametrize("use_copy", [True, False], ids=["copy-if-postgresql", "orm"])
def test_same_rows_and_history_as_the_orm_path(admin_user, monkeypatch, use_copy):
    admin = admin_user
    if not use_copy:
        monkeypatch.setattr(writer, "_uses_copy", lambda: False)
    expected_plan = _prepare(admin)
    reference_write_plan(expected_plan, actor=admin, reason=REASON)
    expected_rows, expected_history = _snapshot()

    plan = _prepare(admin)
    written = engine.write_plan(plan, actor=admin, reason=REASON)
    rows, history = _snapshot()

    assert written == {engine.CREATE: 20, engine.UPDATE: 10, engine.UNCHANGED: 0}
    assert rows == expected_rows
    assert history == expected_history
    assert len(history) == 30
    assert sorted(h["history_type"] for h in history) == ["+"] * 20 + ["~"] * 10
    assert {h["history_user_id"] for h in history} == {admin.pk}
    # Each history row is dated when its establishment was written.
    for h in Beneficiary.history.filter(history_change_reason=REASON).select_related():
        stored = Beneficiary.objects.get(pk=h.id)
        assert h.history_date == stored.updated_at
    # The derived keys are written too (they are not in the history).
    sample = Beneficiary.objects.get(tax_code=plan[-1]["values"]["tax_code"])
    assert sample.sort_name and sample.search_text and sample.status == BeneficiaryStatus.ACTIVE
    assert sample.created_by == admin


def test_uses_copy_on_postgresql_only():
    assert writer._uses_copy() == (connection.vendor == "postgresql")


def test_new_ids_follow_the_sheet_and_the_sequence_goes_on(admin_user):
    admin = admin_user
    plan = _prepare(admin)
    engine.write_plan(plan, actor=admin, reason=REASON)
    created = [entry["values"]["tax_code"] for entry in plan if entry["pk"] is None]
    ids = [Beneficiary.objects.get(tax_code=tax).pk for tax in created]
    assert ids == sorted(ids)
    # The next ordinary save gets a fresh id (COPY took its ids from the same sequence).
    later = Beneficiary.objects.create(
        name="Hộ kinh doanh Sau",
        legal_form="ho_kinh_doanh",
        registration_number="X-1",
        address="x",
        unit=Beneficiary.objects.get(pk=ids[0]).unit,
    )
    assert later.pk > max(ids)


def test_long_file_name_is_cut_to_the_history_reason_length(admin_user):
    admin = admin_user
    plan = _prepare(admin)
    reason = "Nhập từ tệp " + "rất-dài-" * 40 + ".xlsx (lô số 9)"
    engine.write_plan(plan, actor=admin, reason=reason)
    limit = Beneficiary.history.model._meta.get_field("history_change_reason").max_length
    reasons = set(Beneficiary.history.filter(history_type="~").values_list("history_change_reason", flat=True))
    assert reasons == {reason[:limit]}


def test_nothing_is_written_when_a_row_was_archived_meanwhile(admin_user):
    admin = admin_user
    plan = _prepare(admin)
    before = (Beneficiary.objects.count(), Beneficiary.history.count())
    target = next(entry for entry in plan if entry["pk"] is not None)
    Beneficiary.objects.filter(pk=target["pk"]).update(status=BeneficiaryStatus.ARCHIVED)
    with pytest.raises(engine.PlanConflict):
        engine.write_plan(plan, actor=admin, reason=REASON)
    assert (Beneficiary.objects.count(), Beneficiary.history.count()) == before


def test_packed_plan_round_trip():
    plan = [
        {"row": 3, "pk": None, "values": {"name": "A", "craft_village_id": None, "women_owned": False}},
        {"row": 4, "pk": 7, "values": {"employees": 0, "notes": ""}},
        {"row": 5, "pk": 8, "values": {}},
    ]
    packed = engine.pack_plan(plan)
    assert packed["fields"] == ["craft_village_id", "employees", "name", "notes", "women_owned"]
    assert engine.unpack_plan(packed) == plan
    assert engine.unpack_plan(plan) == plan  # a plan stored before packing still reads
    assert engine.unpack_plan([]) == []


def test_stored_plan_survives_the_database(admin_user):
    """What the preview stores is what confirm reads (jsonb on PostgreSQL, text on SQLite; Vietnamese kept as is)."""
    from beneficiaries.models import ImportBatch

    analysis = engine.analyse("import.xlsx", messy_xlsx(realistic_rows(12)))
    batch = ImportBatch.objects.create(
        file="x.xlsx", file_name="x.xlsx", file_size=1, sha256="0" * 64, created_by=admin_user
    )
    ImportBatch.objects.filter(pk=batch.pk).update(plan=analysis.packed_plan())
    stored = ImportBatch.objects.get(pk=batch.pk).plan
    assert engine.unpack_plan(stored) == analysis.plan()
    assert "Thôn" in str(stored)
