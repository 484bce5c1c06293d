"""The preview and the write, shared by the import page, the Celery task and the benchmark.

`analyse` reads the file and decides, for every row, create / update / unchanged / error without writing
anything. `write` stores an analysis in bulk (with history rows) inside the caller's transaction.
Every row gets the model's own field validation (`clean_fields`), plus the registry's rules that live in
constraints (an identifier, unique tax code and registration number) checked in bulk, not per row.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from beneficiaries.importing import cleaning
from beneficiaries.importing.addresses import UnitResolver
from beneficiaries.importing.columns import BY_KEY
from beneficiaries.importing.reader import Table, read_table
from beneficiaries.models import Beneficiary, BeneficiaryStatus, CraftVillage
from core.text import fold, nfc

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
# Plain text columns stored as read (after NFC and trimming).
_TEXT = ("name", "representative", "sector", "vsic_code", "main_products", "notes", "registration_number", "email")
# Fields compared to decide update vs unchanged, in the order a person reads them.
_COMPARED = (
    "name",
    "legal_form",
    "tax_code",
    "registration_number",
    "representative",
    "phone",
    "email",
    "address",
    "unit",
    "craft_village",
    "sector",
    "vsic_code",
    "main_products",
    "employees",
    "founded_year",
    "women_owned",
    "ethnic_minority_owned",
    "notes",
)
_NOT_CLEANED = ["unit", "craft_village", "created_by", "eligibility_override_by", "search_text", "sort_name"]
REPORT_SAMPLE = 200  # rows of each kind kept for the preview page
_LOOKUP_CHUNK = 900  # SQLite's historical bound on query parameters


@dataclass
class RowResult:
    row: int
    action: str
    name: str = ""
    identifier: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)
    instance: Beneficiary | None = None
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


class _Row:
    """One sheet row read through the header map, remembering which header each value came from."""

    __slots__ = ("cells", "headers", "number")

    def __init__(self, number: int, cells: list, table: Table):
        self.number = number
        self.cells = {key: cells[i] if i < len(cells) else None for i, key in table.columns.items()}
        self.headers = {key: table.headers[i] for i, key in table.columns.items()}

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


def _read_row(row: _Row, resolver: UnitResolver, villages: dict) -> tuple[dict, list, str]:
    """The values this row provides (only the columns present and filled), its errors, and a review note."""
    values: dict = {}
    errors: list[tuple[str, str]] = []
    notes: list[str] = []

    def read(key, reader, target=None):
        if not row.has(key):
            return
        raw = row.get(key)
        if cleaning.is_blank(raw):
            return
        try:
            values[target or key] = reader(raw)
        except cleaning.CellError as exc:
            errors.append((row.header(key), str(exc)))

    for key in _TEXT:
        read(key, cleaning.text)
    read("tax_code", cleaning.tax_code)
    read("phone", cleaning.phone)
    read("employees", cleaning.whole_number)
    read("founded", cleaning.year, "founded_year")
    read("women_owned", cleaning.flag)
    read("ethnic_minority_owned", cleaning.flag)
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

    address = cleaning.text(row.get("address"))
    commune = cleaning.text(row.get("commune"))
    district = cleaning.text(row.get("district"))
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

    village_name = cleaning.text(row.get("craft_village"))
    if village_name:
        village = villages.get(fold(village_name))
        if village is None:
            notes.append(_("Không tìm thấy làng nghề '%(name)s' trong danh mục.") % {"name": village_name})
        else:
            values["craft_village"] = village
    return values, errors, " ".join(notes)


def _existing(identifiers: set[str], registrations: set[str]) -> tuple[dict, dict]:
    by_tax, by_registration = {}, {}
    tax_list, registration_list = sorted(identifiers), sorted(registrations)
    for chunks, lookup in ((tax_list, "tax_code__in"), (registration_list, "registration_number__in")):
        for start in range(0, len(chunks), _LOOKUP_CHUNK):
            part = chunks[start : start + _LOOKUP_CHUNK]
            for beneficiary in Beneficiary.objects.filter(Q(**{lookup: part})).select_related("unit"):
                if beneficiary.tax_code:
                    by_tax[beneficiary.tax_code] = beneficiary
                if beneficiary.registration_number:
                    by_registration[beneficiary.registration_number] = beneficiary
    return by_tax, by_registration


def _model_errors(row: _Row, instance: Beneficiary) -> list[tuple[str, str]]:
    try:
        instance.clean_fields(exclude=_NOT_CLEANED)
    except ValidationError as exc:
        return [
            (_field_header(row, name), " ".join(str(message) for message in messages))
            for name, messages in exc.message_dict.items()
        ]
    return []


def analyse(file_name: str, data: bytes, *, progress: Callable[[int], None] | None = None) -> Analysis:
    """Reads and checks the whole file; writes nothing. Raises reader.ImportFileError for an unreadable file."""
    from beneficiaries.services import derive_keys

    table = read_table(file_name, data)
    resolver = UnitResolver.load()
    villages = {fold(village.name): village for village in CraftVillage.objects.all()}

    parsed = []
    for index, (number, cells) in enumerate(table.rows):
        row = _Row(number, cells, table)
        parsed.append((row, *_read_row(row, resolver, villages)))
        if progress and index % 1000 == 999:
            progress(int(45 * index / len(table.rows)))

    by_tax, by_registration = _existing(
        {values["tax_code"] for _, values, _, _ in parsed if values.get("tax_code")},
        {values["registration_number"] for _, values, _, _ in parsed if values.get("registration_number")},
    )

    seen: dict[str, int] = {}
    results: list[RowResult] = []
    for index, (row, values, errors, note) in enumerate(parsed):
        result = RowResult(row.number, ERROR, values.get("name", ""))
        tax_code, registration = values.get("tax_code", ""), values.get("registration_number", "")
        result.identifier = tax_code or registration
        if not tax_code and not registration:
            errors.append(
                (row.header("tax_code"), _("Cần mã số thuế, hoặc số đăng ký kinh doanh với hộ kinh doanh."))
            )
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
        if existing is None:
            instance = Beneficiary(status=BeneficiaryStatus.ACTIVE, **values)
            if note:
                instance.needs_review, instance.review_note = True, note[:255]
            changed = list(values)
        else:
            instance = copy.copy(existing)
            changed = [name for name in _COMPARED if name in values and getattr(instance, name) != values[name]]
            for name in changed:
                setattr(instance, name, values[name])
            if note and (not instance.needs_review or instance.review_note != note[:255]):
                instance.needs_review, instance.review_note = True, note[:255]
                changed += ["needs_review", "review_note"]
        if not errors:
            if instance.unit_id:
                derive_keys(instance)
            errors.extend(_model_errors(row, instance))
        result.errors = errors
        result.review_note = note
        if errors:
            result.action = ERROR
        elif existing is None:
            result.action, result.instance, result.changed = CREATE, instance, changed
        elif changed:
            result.action, result.instance, result.changed = UPDATE, instance, changed
        else:
            result.action = UNCHANGED
        results.append(result)
        if progress and index % 1000 == 999:
            progress(45 + int(45 * index / len(parsed)))
    return Analysis(table, results)


def write(analysis: Analysis, *, actor, reason: str) -> dict[str, int]:
    """Stores the analysed creates and updates with their history rows. Call inside transaction.atomic."""
    creates = [result.instance for result in analysis.rows(CREATE)]
    updates = [result.instance for result in analysis.rows(UPDATE)]
    for instance in creates:
        instance.created_by = actor
    if creates:
        bulk_create_with_history(creates, Beneficiary, batch_size=1000, default_user=actor, default_change_reason=reason)
    if updates:
        now = timezone.now()
        fields = {"search_text", "sort_name", "updated_at"}
        for result in analysis.rows(UPDATE):
            fields.update(result.changed)
            result.instance.updated_at = now
        bulk_update_with_history(
            updates, Beneficiary, sorted(fields), batch_size=500, default_user=actor, default_change_reason=reason
        )
    return analysis.counts
