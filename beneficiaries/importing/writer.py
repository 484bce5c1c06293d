"""The import's bulk writes: new establishments, changed ones, and one history row for each, in a few statements.

simple_history's bulk_create_with_history / bulk_update_with_history build a model instance and a historical
instance per row and let the ORM compile them into INSERTs; at 10,000 rows that is most of the confirm time.
Here, on PostgreSQL, the rows go in with COPY (ids taken from the sequence first, so nothing has to come back),
changes go through a COPY-filled temporary table and one UPDATE … FROM, and the history rows are copied
server-side from the rows just written with one INSERT … SELECT — the same snapshot simple_history takes
(every tracked field as stored, history_type "+" or "~", history_user, history_date, change reason).
On other databases (SQLite in development and tests) the rows go through bulk_create / bulk_update and the
history uses the same INSERT … SELECT.

Values are not validated here: engine.analyse has already put every one through the model field's clean().
"""

from django.conf import settings
from django.db import connection

from beneficiaries.models import Beneficiary
from core import figures_cache

_CHUNK = 900  # SQLite's historical bound on query parameters


def _uses_copy() -> bool:
    return connection.vendor == "postgresql" and hasattr(connection.connection, "pgconn")  # psycopg 3


def _table() -> str:
    return Beneficiary._meta.db_table


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_new(rows: list[dict], *, actor, now) -> list[int]:
    """Inserts establishments given as {attname: value} (fields left out get their defaults); returns their ids
    in the order of rows."""
    if not rows:
        return []
    figures_cache.bump("establishments")  # bulk writes send no model signals
    if not _uses_copy():
        objects = [Beneficiary(created_by=actor, **values) for values in rows]
        Beneficiary.objects.bulk_create(objects, batch_size=500)
        ids = [obj.pk for obj in objects]
        if None in ids:  # a backend that cannot return ids from a bulk insert
            raise RuntimeError("bulk_create did not return the new ids")
        return ids
    fields = [f for f in Beneficiary._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if f.attname in ("created_at", "updated_at"):
            defaults[f.attname] = now
        elif f.attname == "created_by_id":
            defaults[f.attname] = actor.pk if actor is not None else None
        else:
            defaults[f.attname] = f.get_default()
    attnames = [f.attname for f in fields]
    columns = ", ".join(_quote(f.column) for f in [Beneficiary._meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",  # noqa: S608
            [_table(), Beneficiary._meta.pk.column, len(rows)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        with cursor.copy(f"COPY {_quote(_table())} ({columns}) FROM STDIN") as copy:
            for pk, values in zip(ids, rows, strict=True):
                copy.write_row([pk, *(values.get(name, defaults[name]) for name in attnames)])
    return ids


def apply_updates(changes: list[tuple[int, dict]], fields: list[str], *, now) -> None:
    """Sets, for each (id, {attname: value}), the given fields (all of `fields`, current values included)
    and updated_at."""
    if not changes:
        return
    figures_cache.bump("establishments")  # bulk writes send no model signals
    if not _uses_copy():
        objects = []
        for pk, values in changes:
            obj = Beneficiary(pk=pk, **values)
            obj.updated_at = now
            objects.append(obj)
        Beneficiary.objects.bulk_update(objects, [*fields, "updated_at"], batch_size=500)
        return
    columns = [Beneficiary._meta.get_field(name.removesuffix("_id")).column for name in fields]
    if any(Beneficiary._meta.get_field(name.removesuffix("_id")).attname != name for name in fields):
        raise ValueError("fields are attnames of Beneficiary")
    quoted = [_quote(column) for column in columns]
    temp = _quote("beneficiary_import_update")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} AS SELECT id, {', '.join(quoted)} FROM {_quote(_table())} WITH NO DATA"  # noqa: S608
        )
        with cursor.copy(f"COPY {temp} (id, {', '.join(quoted)}) FROM STDIN") as copy:
            for pk, values in changes:
                copy.write_row([pk, *(values[name] for name in fields)])
        assignments = ", ".join(f"{column} = u.{column}" for column in quoted)
        cursor.execute(
            f"UPDATE {_quote(_table())} AS b SET {assignments}, updated_at = %s FROM {temp} AS u WHERE b.id = u.id",  # noqa: S608
            [now],
        )
        cursor.execute(f"DROP TABLE {temp}")


def write_history(ids: list[int], *, history_type: str, user, reason: str) -> None:
    """One historical row per establishment, copied from the row as it is now stored."""
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = Beneficiary.history.model
    tracked = [f.column for f in historical.tracked_fields]
    # history_date is the moment the row was written: its updated_at (set by this import, in this transaction).
    updated_at = Beneficiary._meta.get_field("updated_at").column
    columns = ", ".join(_quote(column) for column in tracked)
    meta = historical._meta
    extra = [meta.get_field(name) for name in ("history_date", "history_change_reason", "history_type", "history_user")]
    reason_field = extra[1]
    if reason and reason_field.max_length:
        reason = reason[: reason_field.max_length]
    head = (
        f"INSERT INTO {_quote(meta.db_table)} ({columns}, {', '.join(_quote(f.column) for f in extra)}) "  # noqa: S608
        f"SELECT {columns}, {_quote(updated_at)}, %s, %s, %s FROM {_quote(_table())} WHERE id"
    )
    params = [reason, history_type, user.pk if user is not None else None]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{head} = ANY(%s) ORDER BY id", [*params, sorted(ids)])
            return
        for part in _chunks(sorted(ids)):
            cursor.execute(f"{head} IN ({', '.join(['%s'] * len(part))}) ORDER BY id", [*params, *part])
