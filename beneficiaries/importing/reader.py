"""Bytes → a table of cells, refusing what could hurt the server or cannot be a list of establishments.

python-calamine (Rust) reads .xlsx/.xls about ten times faster than openpyxl and does not expand XML
entities; the zip is still inspected first, so a zip bomb is refused before anything is inflated.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from beneficiaries.importing.columns import IGNORED_HEADERS, match_header, normalise_header

ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".csv")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# How far down a title, a subtitle and blank lines may push the header.
HEADER_SCAN_ROWS = 30
MIN_HEADER_MATCHES = 3


class ImportFileError(Exception):
    """The file cannot be read as an establishment list; the message is for the user, in Vietnamese."""


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based, as Excel shows it
    columns: dict[int, str]  # column index → column key
    headers: dict[int, str]  # column index → the header as written
    rows: list[tuple[int, list]]  # (1-based row number, cells)
    ignored: list[str] = field(default_factory=list)


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


def check_upload(name: str, size: int) -> None:
    """The cheap checks made before a byte is read: extension and size."""
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError(_("Chỉ nhận tệp .xlsx, .xls hoặc .csv."))
    if size == 0:
        raise ImportFileError(_("Tệp rỗng."))
    if size > max_upload_bytes():
        raise ImportFileError(
            _("Tệp lớn hơn giới hạn %(limit)s MB; hãy tách thành nhiều tệp.")
            % {"limit": max_upload_bytes() // (1024 * 1024)}
        )


def _check_zip(data: bytes) -> None:
    limit = getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 150 * 1024 * 1024)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_("Tệp bị hỏng hoặc không phải bảng tính Excel."))
    if len(members) > 2000:
        raise ImportFileError(_("Tệp chứa quá nhiều thành phần, không phải một bảng tính thông thường."))
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportFileError(_("Tệp được bảo vệ bằng mật khẩu; hãy bỏ mật khẩu rồi tải lên lại."))
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        # Spreadsheet XML compresses 10–30×; hundreds of times over megabytes is a bomb, not a sheet.
        if total > limit or (member.file_size > 10 * 1024 * 1024 and ratio > 200):
            raise ImportFileError(
                _("Tệp giải nén ra quá lớn (nghi là tệp nén độc hại); không xử lý. Giới hạn %(limit)s MB.")
                % {"limit": limit // (1024 * 1024)}
            )
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise ImportFileError(_("Tệp không phải bảng tính Excel (.xlsx)."))


def _read_workbook(data: bytes) -> list[tuple[str, list[list], list]]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for index, name in enumerate(workbook.sheet_names):
            sheet = workbook.get_sheet_by_index(index)
            sheets.append((name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []))
        return sheets
    except python_calamine.PasswordError:
        raise ImportFileError(_("Tệp được bảo vệ bằng mật khẩu; hãy bỏ mật khẩu rồi tải lên lại."))
    except Exception as exc:  # calamine raises several unrelated types for a broken file
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportFileError(_("Tệp được bảo vệ bằng mật khẩu; hãy bỏ mật khẩu rồi tải lên lại."))
        raise ImportFileError(_("Tệp bị hỏng hoặc không phải bảng tính Excel."))


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("Tệp .csv không phải văn bản; hãy lưu lại dưới dạng CSV UTF-8."))
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Không đọc được bảng mã của tệp .csv; hãy lưu lại dưới dạng CSV UTF-8."))


def _read_csv(data: bytes) -> list[tuple[str, list[list], list]]:
    text = _decode_csv(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [("CSV", [list(row) for row in csv.reader(io.StringIO(text), dialect)], [])]


def load_sheets(name: str, data: bytes) -> list[tuple[str, list[list], list]]:
    """[(sheet name, rows of cells, merged ranges)], or ImportFileError."""
    check_upload(name, len(data))
    head = data[:8]
    lower = name.lower()
    if head.startswith(_ZIP_MAGIC):
        _check_zip(data)
        return _read_workbook(data)
    if head == _OLE_MAGIC:
        # A password-protected .xlsx is an OLE container holding an "EncryptedPackage" stream; a plain .xls is OLE too.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportFileError(_("Tệp được bảo vệ bằng mật khẩu; hãy bỏ mật khẩu rồi tải lên lại."))
        return _read_workbook(data)
    if lower.endswith(".csv"):
        return _read_csv(data)
    raise ImportFileError(_("Tệp bị hỏng hoặc không phải bảng tính Excel."))


def _fill_merged(rows: list[list], merged: list) -> None:
    """A merged block carries its value in the top-left cell only; every cell of the block gets it."""
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                row[c] = value


def _header_score(row: list) -> tuple[int, dict[int, str]]:
    columns: dict[int, str] = {}
    for index, cell in enumerate(row):
        if cell in (None, ""):
            continue
        key = match_header(cell)
        if key and key not in columns.values():
            columns[index] = key
    score = len(columns) if "name" in columns.values() else 0
    return score, columns


def _is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_table(name: str, data: bytes) -> Table:
    """The first sheet that has a recognisable header: title rows skipped, merged cells filled, blank rows dropped."""
    sheets = load_sheets(name, data)
    if not any(any(not _is_blank(c) for c in row) for _, rows, _ in sheets for row in rows):
        raise ImportFileError(_("Bảng tính trống: không có dữ liệu nào."))
    for sheet_name, rows, merged in sheets:
        best = (0, -1, {})
        for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            score, columns = _header_score(row)
            if score > best[0]:
                best = (score, index, columns)
        score, header_index, columns = best
        if score < MIN_HEADER_MATCHES:
            continue
        # Merged title cells are above the header; filling only matters for the data below it.
        _fill_merged(rows, [m for m in merged if m[0][0] > header_index])
        header = rows[header_index]
        headers = {i: str(header[i]).strip() for i in columns}
        ignored = [
            str(cell).strip()
            for i, cell in enumerate(header)
            if i not in columns and not _is_blank(cell) and normalise_header(cell) not in IGNORED_HEADERS
        ]
        data_rows = [
            (header_index + 1 + offset + 1, row)
            for offset, row in enumerate(rows[header_index + 1 :])
            if any(not _is_blank(row[i]) for i in columns if i < len(row))
        ]
        if not data_rows:
            raise ImportFileError(
                _("Trang tính '%(sheet)s' có dòng tiêu đề nhưng không có dòng dữ liệu nào.") % {"sheet": sheet_name}
            )
        return Table(sheet_name, header_index + 1, columns, headers, data_rows, ignored)
    raise ImportFileError(
        _(
            "Không tìm thấy dòng tiêu đề: cần ít nhất các cột 'Tên cơ sở', 'Mã số thuế' và 'Địa chỉ' "
            "(có thể tải tệp mẫu để đối chiếu)."
        )
    )
