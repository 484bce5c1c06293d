"""Builds the sheets that really arrive: titles above the header, merged cells, a blank column, header
variants without diacritics, numbers where text was meant. Used by the tests and by bench/import_beneficiaries.py."""

import datetime
import io
import random
import unicodedata

from openpyxl import Workbook

MESSY_HEADERS = [
    "STT",
    "Ten co so",  # no diacritics
    "Loại hình",
    "MST",
    "",  # a blank column
    "Người đại diện ",
    "SĐT",
    "Địa chỉ",
    "Ngành nghề",
    "Số lao động (người)",
    "Ngày thành lập",
    "Nữ làm chủ",
    "Ghi chú",
]
KEYS = [
    None,
    "name",
    "legal_form",
    "tax_code",
    None,
    "representative",
    "phone",
    "address",
    "sector",
    "employees",
    "founded",
    "women_owned",
    "notes",
]


def messy_xlsx(rows: list[dict], *, headers=MESSY_HEADERS, keys=KEYS, title=True, merge_column=None) -> bytes:
    """An .xlsx with a merged two-line title, an empty line, then the header and the rows.

    merge_column: a key whose equal consecutive values are written once and merged downwards, as people do.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS co so"
    first = 1
    if title:
        sheet.cell(1, 1, "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.cell(2, 1, "(Kèm theo báo cáo số 12/BC-SCT)")
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
        first = 4
    for column, header in enumerate(headers, start=1):
        sheet.cell(first, column, header or None)
    for offset, row in enumerate(rows, start=1):
        for column, key in enumerate(keys, start=1):
            if key is None:
                value = offset if column == 1 and headers[0] == "STT" else None
            else:
                value = row.get(key)
            sheet.cell(first + offset, column, value)
    if merge_column is not None:
        column = keys.index(merge_column) + 1
        start = 0
        for index in range(1, len(rows) + 1):
            if index == len(rows) or rows[index].get(merge_column) != rows[start].get(merge_column):
                if index - start > 1:
                    for r in range(start + 1, index):
                        sheet.cell(first + 1 + r, column, None)
                    sheet.merge_cells(
                        start_row=first + 1 + start, start_column=column, end_row=first + index, end_column=column
                    )
                start = index
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], *, headers=MESSY_HEADERS, keys=KEYS, delimiter=",") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for index, row in enumerate(rows, start=1):
        writer.writerow(
            [
                index if key is None and i == 0 else ("" if key is None else row.get(key, ""))
                for i, key in enumerate(keys)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


# Real Hải Phòng units (pre-7/2025 communes with their district, and current communes).
LEGACY_ADDRESSES = [
    ("xã Tam Cường", "huyện Vĩnh Bảo"),
    ("xã Dũng Tiến", "huyện Vĩnh Bảo"),
    ("xã Giang Biên", "huyện Vĩnh Bảo"),
    ("thị trấn Cát Hải", "huyện Cát Hải"),
    ("xã Bát Trang", "huyện An Lão"),
    ("xã Trường Thọ", "huyện An Lão"),
    ("xã Đại Thắng", "huyện Tiên Lãng"),
    ("xã Tiên Cường", "huyện Tiên Lãng"),
    ("xã Đông Phương", "huyện Kiến Thụy"),
    ("xã Liên Xuân", "huyện Thủy Nguyên"),
]
CURRENT_COMMUNES = ["xã Vĩnh Am", "xã Tiên Lãng", "phường Thủy Nguyên", "đặc khu Cát Hải", "xã An Lão"]
SECTORS = ["Chế biến thủy sản", "Cơ khí", "Mây tre đan", "Chế biến gỗ", "Dệt may", "Gốm sứ", "Chế biến nông sản"]
PREFIXES = [("Công ty TNHH", "Doanh nghiệp"), ("HTX", "HTX"), ("Hộ kinh doanh", "HKD"), ("Công ty CP", "DN")]
WORDS = ["Thành Phương", "Cát Hải", "Tuấn Linh", "Đức Thắng", "Hải Hưng", "Minh Khôi", "Phú Ân", "Đông Á", "Bảo Ngọc"]


def realistic_rows(
    count: int, *, seed: int = 7, error_every: int = 0, review_every: int = 0, tax_start: int = 200_000_000
):
    """count messy but valid rows (plus, if asked, one error every N rows and one unknown commune every M)."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        prefix, form = rng.choice(PREFIXES)
        name = f"{prefix} {rng.choice(SECTORS)} {rng.choice(WORDS)} {i}"
        if i % 3 == 0:
            name = unicodedata.normalize("NFD", name) + "  "  # decomposed and trailing spaces
        if rng.random() < 0.5:
            commune, district = rng.choice(LEGACY_ADDRESSES)
            address = f"Thôn {rng.randint(1, 12)}, {commune}, {district}, TP Hải Phòng"
        else:
            street = f"Số {rng.randint(1, 300)} đường {rng.choice(WORDS)}"
            address = f"{street}, {rng.choice(CURRENT_COMMUNES)}, thành phố Hải Phòng"
        tax = tax_start + i
        founded = rng.choice(
            [
                datetime.date(rng.randint(1990, 2023), rng.randint(1, 12), rng.randint(1, 28)),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1990, 2023)}",
                rng.randint(1990, 2023),
            ]
        )
        employees = rng.choice([rng.randint(2, 900), f"{rng.randint(1, 3)}.{rng.randint(100, 999)}"])
        row = {
            "name": name,
            "legal_form": form,
            "tax_code": tax if i % 2 else f"0{tax} ",  # Excel ate the leading zero on every other row
            "representative": f"Nguyễn Văn {rng.choice(WORDS)}",
            "phone": 912000000 + i,
            "address": address,
            "sector": rng.choice(SECTORS),
            "employees": employees,
            "founded": founded,
            "women_owned": rng.choice(["x", "", "Có", None]),
            "notes": "",
        }
        if error_every and i % error_every == error_every - 1:
            row["tax_code"] = "12-34"
        if review_every and i % review_every == review_every - 2:
            row["address"] = "Thôn 5, xã Không Có Thật, huyện Vĩnh Bảo"
        rows.append(row)
    return rows
