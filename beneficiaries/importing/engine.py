"""The preview and the write, shared by the import page, the Celery task and the benchmark.

`analyse` reads the file and decides, for every row, create / update / unchanged / error without writing
anything; its `plan()` (the validated values of the rows to write, as JSON) is kept on the ImportBatch.
`write_plan` stores that plan in bulk, with history rows, inside the caller's transaction, after checking
that the registry has not moved under it. The file is therefore read and validated once, not twice.

Every value goes through the model field's own `clean()` (type, length, choices, validators such as the
tax-code format), and the rules that live in constraints (an identifier; unique tax code and registration
number, in the file and in the registry) are checked in bulk rather than with a query per row.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.importing import cleaning, writer
from beneficiaries.importing.addresses import UnitResolver
from beneficiaries.importing.columns import BY_KEY
from beneficiaries.importing.reader import Table, read_table
from beneficiaries.models import EDITABLE_FIELDS, Beneficiary, BeneficiaryStatus, CraftVillage
from core.text import fold, nfc, sort_key

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
# Plain text columns stored as read (after NFC and trimming).
_TEXT = (
    "name",
    "representative",
    "sector",
    "vsic_code",
    "main_products",
    "notes",
    "registration_number",
    "registration_place",
    "email",
)
# Fields compared to decide update vs unchanged, in the order a person reads them.
_COMPARED = EDITABLE_FIELDS
REPORT_SAMPLE = 200  # rows of each kind kept for the preview page
_LOOKUP_CHUNK = 900  # SQLite's historical bound on query parameters


@dataclass
class RowResult:
    row: int
    action: str
    name: str = ""
    identifier: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # field → value to store (foreign keys as <name>_id)
    pk: int | None = None  # the existing establishment an update applies to
    changed: list[str] = field(default_factory=list)
    review_note: str = ""


@dataclass
class Analysis:
    table: Table
    results: list[RowResult]

    def rows(self, action: str) -> list[RowResult]:
        return [result for result in self.results if result.action == action]

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for result in self.results:
            counts[result.action] += 1
        counts["review"] = sum(1 for r in self.results if r.review_note and r.action in (CREATE, UPDATE))
        return counts

    def plan(self) -> list[dict]:
        """The rows to write, as JSON: what confirm stores without reading the file again."""
        return [{"row": r.row, "pk": r.pk, "values": r.values} for r in self.results if r.action in (CREATE, UPDATE)]

    def packed_plan(self) -> dict:
        """plan() as ImportBatch.plan keeps it: see pack_plan."""
        return pack_plan(self.plan())

    def report(self) -> dict:
        """What the preview page shows; JSON, kept on the ImportBatch."""
        labels = {name: str(Beneficiary._meta.get_field(name).verbose_name) for name in _COMPARED}
        errors = [
            {"row": r.row, "column": column, "message": message, "name": r.name}
            for r in self.results
            if r.action == ERROR
            for column, message in r.errors
        ]
        return {
            "sheet": self.table.sheet,
            "header_row": self.table.header_row,
            "columns": [self.table.headers[i] for i in sorted(self.table.columns)],
            "ignored_columns": self.table.ignored,
            "errors": errors,
            "created": [
                {"row": r.row, "name": r.name, "identifier": r.identifier, "review": r.review_note}
                for r in self.rows(CREATE)[:REPORT_SAMPLE]
            ],
            "updated": [
                {
                    "row": r.row,
                    "name": r.name,
                    "identifier": r.identifier,
                    "fields": [labels[name] for name in r.changed if name in labels],
                    "review": r.review_note,
                }
                for r in self.rows(UPDATE)[:REPORT_SAMPLE]
            ],
            "review": [
                {"row": r.row, "name": r.name, "note": r.review_note}
                for r in self.results
                if r.review_note and r.action in (CREATE, UPDATE)
            ][:REPORT_SAMPLE],
        }


def _headers(table: Table) -> dict:
    """{column key: the header as written}, built once per table and shared by its rows (read only)."""
    headers = getattr(table, "_by_key", None)
    if headers is None:
        headers = table._by_key = {key: table.headers[i] for i, key in table.columns.items()}
    return headers


class _Row:
    """One sheet row read through the header map, remembering which header each value came from."""

    __slots__ = ("cells", "headers", "number")

    def __init__(self, number: int, cells: list | None = None, table: Table | None = None):
        self.number = number
        if table is not None:
            self.cells = {key: cells[i] if i < len(cells) else None for i, key in table.columns.items()}
            self.headers = _headers(table)

    @classmethod
    def from_mapping(cls, number: int, mapping: dict) -> "_Row":
        row = cls(number)
        row.cells = {key: value for key, value in mapping.items() if key in BY_KEY}
        row.headers = {}
        return row

    def get(self, key: str):
        return self.cells.get(key)

    def has(self, key: str) -> bool:
        return key in self.cells

    def header(self, key: str) -> str:
        return self.headers.get(key) or str(BY_KEY[key].header)


def _field_header(row: _Row, field_name: str) -> str:
    key = {"founded_year": "founded", "unit": "address"}.get(field_name, field_name)
    if key in BY_KEY:
        return row.header(key)
    return str(Beneficiary._meta.get_field(field_name).verbose_name)


class _Memo:
    """Remembers what a pure function gave for a value: a sheet repeats sectors, legal forms, flags, years,
    address parts… so each distinct cell is cleaned (and each distinct value checked by its model field) once.
    Keys carry the type, so 1, 1.0 and True stay apart."""

    __slots__ = ("_cache",)

    def __init__(self):
        self._cache: dict = {}

    def __call__(self, function, value):
        key = (function, type(value), value)
        try:
            ok, result = self._cache[key]
        except KeyError:
            try:
                ok, result = True, function(value)
            except cleaning.CellError as exc:
                ok, result = False, (cleaning.CellError, str(exc))
            except ValidationError as exc:
                ok, result = False, (ValidationError, exc.messages)
            self._cache[key] = ok, result
        if not ok:
            error_class, payload = result
            raise error_class(payload)  # a fresh exception: re-raising one instance would grow its traceback
        return result


def _plain(function, value):
    return function(value)


_FIELD_READERS = (
    *((key, cleaning.text, key) for key in _TEXT),
    ("tax_code", cleaning.tax_code, "tax_code"),
    ("phone", cleaning.phone, "phone"),
    ("registration_date", cleaning.date, "registration_date"),
    ("employees", cleaning.whole_number, "employees"),
    ("founded", cleaning.year, "founded_year"),
    ("women_owned", cleaning.flag, "women_owned"),
    ("ethnic_minority_owned", cleaning.flag, "ethnic_minority_owned"),
)


def _read_row(row: _Row, resolver: UnitResolver, villages: dict, memo=_plain) -> tuple[dict, list, str]:
    """The values this row provides (only the columns present and filled), its errors, and a review note."""
    values: dict = {}
    errors: list[tuple[str, str]] = []
    notes: list[str] = []

    cells = row.cells
    for key, reader, target in _FIELD_READERS:
        raw = cells.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):  # cleaning.is_blank, inlined
            continue
        try:
            values[target] = memo(reader, raw)
        except cleaning.CellError as exc:
            errors.append((row.header(key), str(exc)))
    if "email" in values:
        values["email"] = values["email"].lower()

    name = values.get("name", "")
    if not name:
        errors.append((row.header("name"), _("Thiếu tên cơ sở.")))
    if not cleaning.is_blank(row.get("legal_form")):
        try:
            values["legal_form"] = cleaning.legal_form(row.get("legal_form"), name)
        except cleaning.CellError as exc:
            errors.append((row.header("legal_form"), str(exc)))

    address = memo(cleaning.text, cells.get("address"))
    commune = memo(cleaning.text, cells.get("commune"))
    district = memo(cleaning.text, cells.get("district"))
    if address or commune or district:
        resolution = resolver.resolve(address, commune, district)
        if resolution.error:
            errors.append((row.header("address"), resolution.error))
        else:
            values["unit"] = resolution.unit
            if resolution.review_note:
                notes.append(resolution.review_note)
            written = [address] + [part for part in (commune, district) if part and fold(part) not in fold(address)]
            values["address"] = nfc(", ".join(part for part in written if part))
    else:
        errors.append((row.header("address"), _("Thiếu địa chỉ.")))

    village_name = memo(cleaning.text, cells.get("craft_village"))
    if village_name:
        village = villages.get(fold(village_name))
        if village is None:
            notes.append(_("Không tìm thấy làng nghề '%(name)s' trong danh mục.") % {"name": village_name})
        else:
            values["craft_village"] = village
    return values, errors, " ".join(notes)


def read_values(number: int, mapping: dict, resolver: UnitResolver, villages: dict) -> tuple[dict, list, str]:
    """One row given as {column key: cell}: what the resources.py (django-import-export) path reuses."""
    return _read_row(_Row.from_mapping(number, mapping), resolver, villages)


def load_villages() -> dict:
    return {fold(village.name): village for village in CraftVillage.objects.all()}


def _matching(field_name: str, values: list):
    """Querysets of the establishments whose field is one of values: on PostgreSQL one query with the values
    as a single array parameter (`= ANY(%s)`), elsewhere chunks of `IN (…)` within SQLite's parameter bound."""
    if not values:
        return
    if connection.vendor == "postgresql":
        column = connection.ops.quote_name(Beneficiary._meta.get_field(field_name).column)
        yield Beneficiary.objects.filter(
            RawSQL(f"{column} = ANY(%s)", [list(values)], output_field=models.BooleanField())  # noqa: S611
        )
        return
    for part in _chunks(list(values)):
        yield Beneficiary.objects.filter(**{f"{field_name}__in": part})


def _existing(identifiers: set[str], registrations: set[str]) -> tuple[dict, dict]:
    by_tax, by_registration = {}, {}
    for field_name, values in (("tax_code", sorted(identifiers)), ("registration_number", sorted(registrations))):
        for queryset in _matching(field_name, values):
            for beneficiary in queryset:
                if beneficiary.tax_code:
                    by_tax[beneficiary.tax_code] = beneficiary
                if beneficiary.registration_number:
                    by_registration[beneficiary.registration_number] = beneficiary
    return by_tax, by_registration


def _clearly_valid(model_field):
    """A quick test that is true only for a value the field's clean() would return unchanged and without error,
    for the fields whose rules are all simple (type, length, NUL characters, choices, blank, integer range);
    None for a field that must always go through clean() (an e-mail, a tax code…). Whatever the test does not
    vouch for still goes through clean(), so every rule, and its message, stays Django's own."""
    kinds = {type(v) for v in model_field.validators}
    choices = {str(value) for value, _label in model_field.flatchoices} if model_field.choices else None
    blank_ok = model_field.blank
    if isinstance(model_field, models.CharField | models.TextField):
        if type(model_field) not in (models.CharField, models.TextField):  # EmailField, URLField… have more rules
            return None
        if not kinds <= {MaxLengthValidator, ProhibitNullCharactersValidator}:
            return None
        limit = model_field.max_length or float("inf")
        return lambda v: (
            type(v) is str
            and len(v) <= limit
            and "\x00" not in v
            and (bool(v) or blank_ok)
            and (choices is None or v in choices)
        )
    if type(model_field) is models.BooleanField and not choices:
        return lambda v: type(v) is bool
    if isinstance(model_field, models.IntegerField) and not choices:
        if not kinds <= {MinValueValidator, MaxValueValidator}:
            return None
        low = max((v.limit_value for v in model_field.validators if type(v) is MinValueValidator), default=-(2**63))
        high = min((v.limit_value for v in model_field.validators if type(v) is MaxValueValidator), default=2**63)
        return lambda v: type(v) is int and low <= v <= high
    return None


_FIELD_CHECKS = {
    f.name: (_clearly_valid(f), lambda value, f=f: f.clean(value, None))
    for f in Beneficiary._meta.concrete_fields
    if not f.is_relation
}


def _check_values(row: _Row, values: dict, memo=_plain) -> list[tuple[str, str]]:
    """The model fields' own validation (Field.clean: type, length, choices, validators) for each value."""
    errors = []
    for name, value in values.items():
        checks = _FIELD_CHECKS.get(name)
        if checks is None:
            continue
        quick, clean = checks
        if quick is not None and quick(value):
            continue
        try:
            values[name] = memo(clean, value)
        except ValidationError as exc:
            errors.append((_field_header(row, name), " ".join(str(message) for message in exc.messages)))
    return errors


def _keys(values: dict, unit_names: dict[int, str]) -> dict:
    """search_text and sort_name, as services.derive_keys computes them."""
    return {
        "search_text": fold(
            " ".join(
                [
                    values.get("name", ""),
                    values.get("tax_code", ""),
                    values.get("registration_number", ""),
                    values.get("address", ""),
                    unit_names.get(values.get("unit_id"), ""),
                ]
            )
        )[:600],
        "sort_name": sort_key(values.get("name", "")),
    }


def _as_stored(values: dict) -> dict:
    stored = dict(values)
    for relation in ("unit", "craft_village"):
        if relation in stored:
            target = stored.pop(relation)
            stored[f"{relation}_id"] = target.pk if target is not None else None
    return stored


def analyse(file_name: str, data: bytes, *, progress: Callable[[int], None] | None = None) -> Analysis:
    """Reads and checks the whole file; writes nothing. Raises reader.ImportFileError for an unreadable file."""
    table = read_table(file_name, data)
    resolver = UnitResolver.load()
    unit_names = resolver.unit_names
    villages = load_villages()

    memo = _Memo()
    parsed = []
    for index, (number, cells) in enumerate(table.rows):
        row = _Row(number, cells, table)
        parsed.append((row, *_read_row(row, resolver, villages, memo)))
        if progress and index % 2000 == 1999:
            progress(int(60 * index / len(table.rows)))

    by_tax, by_registration = _existing(
        {values["tax_code"] for _, values, _, _ in parsed if values.get("tax_code")},
        {values["registration_number"] for _, values, _, _ in parsed if values.get("registration_number")},
    )

    seen: dict[str, int] = {}
    results: list[RowResult] = []
    for row, values, errors, note in parsed:
        result = RowResult(row.number, ERROR, values.get("name", ""))
        tax_code, registration = values.get("tax_code", ""), values.get("registration_number", "")
        result.identifier = tax_code or registration
        identifier_written = any(not cleaning.is_blank(row.get(key)) for key in ("tax_code", "registration_number"))
        if not tax_code and not registration and not identifier_written:
            errors.append((row.header("tax_code"), _("Cần mã số thuế, hoặc số đăng ký kinh doanh với hộ kinh doanh.")))
        for value, key in ((tax_code, "tax_code"), (registration, "registration_number")):
            if value and (first := seen.get(f"{key}:{value}")):
                errors.append(
                    (row.header(key), _("Trùng '%(value)s' với dòng %(row)s của tệp.") % {"value": value, "row": first})
                )
            elif value:
                seen[f"{key}:{value}"] = row.number
        match_tax = by_tax.get(tax_code) if tax_code else None
        match_registration = by_registration.get(registration) if registration else None
        if match_tax and match_registration and match_tax.pk != match_registration.pk:
            errors.append(
                (
                    row.header("registration_number"),
                    _("Mã số thuế thuộc cơ sở '%(a)s' nhưng số ĐKKD thuộc cơ sở '%(b)s'.")
                    % {"a": match_tax.name, "b": match_registration.name},
                )
            )
        existing = match_tax or match_registration
        if existing is not None and existing.status == BeneficiaryStatus.ARCHIVED:
            errors.append((row.header("name"), _("Cơ sở '%(name)s' đã lưu trữ.") % {"name": existing.name}))
        if existing is None and "legal_form" not in values and values.get("name"):
            # A new record needs a legal form: an empty cell is read from the name ("Công ty TNHH …", "HTX …").
            try:
                values["legal_form"] = cleaning.legal_form(None, values["name"])
            except cleaning.CellError as exc:
                errors.append((row.header("legal_form"), str(exc)))
        if not errors:
            errors.extend(_check_values(row, values, memo))
        result.review_note = note
        if errors:
            result.errors = errors
            results.append(result)
            continue
        stored = _as_stored(values)
        if note:
            stored["needs_review"], stored["review_note"] = True, note[:255]
        if existing is None:
            stored["status"] = BeneficiaryStatus.ACTIVE
            stored.update(_keys(stored, unit_names))
            result.action, result.values, result.changed = CREATE, stored, list(stored)
        else:
            changed = {name: value for name, value in stored.items() if getattr(existing, name) != value}
            if changed:
                merged = {name: getattr(existing, name) for name in _KEY_SOURCES} | changed
                keys = _keys(merged, unit_names)
                changed.update({name: value for name, value in keys.items() if getattr(existing, name) != value})
                result.action, result.pk, result.values = UPDATE, existing.pk, changed
                result.changed = [name.removesuffix("_id") for name in changed]
            else:
                result.action = UNCHANGED
        results.append(result)
    if progress:
        progress(95)
    return Analysis(table, results)


_KEY_SOURCES = ("name", "tax_code", "registration_number", "address", "unit_id")


class PlanConflict(Exception):
    """The registry changed between preview and confirm in a way the plan cannot absorb."""


def _chunks(items: list, size: int = _LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


_MISSING = {}  # a field the row leaves alone (never a field value; jsonb refuses a NUL character as a marker)


def pack_plan(plan: list[dict]) -> dict:
    """The plan in columns — {"fields": [...], "rows": [[row, pk, [value per field]]]} — instead of one object per
    row repeating every key: half the JSON to store at preview and to read back at confirm."""
    fields = sorted({name for entry in plan for name in entry["values"]})
    return {
        "fields": fields,
        "rows": [
            [entry["row"], entry["pk"], [_to_json(name, entry["values"].get(name, _MISSING)) for name in fields]]
            for entry in plan
        ],
    }


# Date fields travel through the plan's JSON as ISO text and come back as dates.
_DATE_FIELDS = frozenset(f.attname for f in Beneficiary._meta.concrete_fields if type(f) is models.DateField)


def _to_json(name: str, value):
    return value.isoformat() if name in _DATE_FIELDS and value is not None and type(value) is not dict else value


def _from_json(name: str, value):
    if name in _DATE_FIELDS and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def unpack_plan(packed: dict | list) -> list[dict]:
    if isinstance(packed, list):  # a plan stored before packing, or an empty one
        return packed
    fields = packed["fields"]
    return [
        {
            "row": row,
            "pk": pk,
            "values": {
                name: _from_json(name, value)
                for name, value in zip(fields, values, strict=True)
                if type(value) is not dict
            },
        }
        for row, pk, values in packed["rows"]
    ]


def write_plan(plan: list[dict] | dict, *, actor, reason: str) -> dict[str, int]:
    """Stores the previewed rows (a plan, packed or not) with their history rows, in one transaction (the
    caller's, if any).

    Re-checks, in a few queries, what may have moved since the preview: an identifier taken meanwhile
    by a new record, or an establishment archived or deleted meanwhile, is a PlanConflict (nothing written).
    """
    with transaction.atomic():
        return _write_plan(unpack_plan(plan), actor=actor, reason=reason)


def _write_plan(plan: list[dict], *, actor, reason: str) -> dict[str, int]:
    creates = [entry for entry in plan if entry["pk"] is None]
    updates = [entry for entry in plan if entry["pk"] is not None]
    taxes = [e["values"]["tax_code"] for e in creates if e["values"].get("tax_code")]
    registrations = [e["values"]["registration_number"] for e in creates if e["values"].get("registration_number")]
    if any(queryset.exists() for queryset in _matching("tax_code", taxes)):
        raise PlanConflict(_("Một mã số thuế trong tệp vừa được dùng cho cơ sở khác."))
    if any(queryset.exists() for queryset in _matching("registration_number", registrations)):
        raise PlanConflict(_("Một số ĐKKD trong tệp vừa được dùng cho cơ sở khác."))

    now = timezone.now()
    fields = sorted({name for entry in updates for name in entry["values"]} - {"updated_at"})
    changes: list[tuple[int, dict]] = []
    unchanged = 0
    for part in _chunks(updates):
        current = {
            row["id"]: row
            for row in Beneficiary.objects.filter(pk__in=[e["pk"] for e in part]).values("id", "status", *fields)
        }
        for entry in part:
            row = current.get(entry["pk"])
            if row is None or row["status"] == BeneficiaryStatus.ARCHIVED:
                raise PlanConflict(_("Cơ sở ở dòng %(row)s vừa bị lưu trữ hoặc xóa.") % {"row": entry["row"]})
            changed = {name: value for name, value in entry["values"].items() if row[name] != value}
            if not changed:
                unchanged += 1
                continue
            changes.append((entry["pk"], {name: changed.get(name, row[name]) for name in fields}))

    new_ids = writer.insert_new([entry["values"] for entry in creates], actor=actor, now=now)
    writer.write_history(new_ids, history_type="+", user=actor, reason=reason)
    writer.apply_updates(changes, fields, now=now)
    writer.write_history([pk for pk, _values in changes], history_type="~", user=actor, reason=reason)
    return {CREATE: len(new_ids), UPDATE: len(changes), UNCHANGED: unchanged}
