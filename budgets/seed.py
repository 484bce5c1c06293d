"""The confirmed support ceilings of domain.md §5 (Thông tư 28/2018/TT-BTC, Điều 8, as amended by
Thông tư 64/2024/TT-BTC). Used by the data migration (historical models) and by tests/reference.py after a flush.

Only confirmed rows are seeded; contents whose ceiling is not confirmed have no row, so nothing is checked for
them until an admin adds one. Rows are created only when missing, so an admin's edits survive a re-seed.
"""

from datetime import date

LEGAL_BASIS = "Điều 8 Thông tư 28/2018/TT-BTC, sửa đổi, bổ sung bởi Thông tư 64/2024/TT-BTC"
# Thông tư 28/2018/TT-BTC took effect on 15/05/2018.
EFFECTIVE_FROM = date(2018, 5, 15)

CEILINGS = [
    # activity content code, title, percent cap, VND cap, basis, notes
    (
        "4.3",
        "Xây dựng mô hình trình diễn kỹ thuật",
        30,
        1_000_000_000,
        "mo_hinh",
        "Sản xuất sản phẩm mới, công nghệ mới.",
    ),
    ("4.3", "Ứng dụng máy móc thiết bị tiên tiến", 50, 300_000_000, "co_so", ""),
    (
        "4.3",
        "Ứng dụng dây chuyền công nghệ đồng bộ",
        50,
        450_000_000,
        "co_so",
        "Dây chuyền công nghệ đồng bộ: tối đa 1,5 lần mức máy móc thiết bị tiên tiến.",
    ),
    ("4.4", "Tham gia hội chợ triển lãm ở nước ngoài", 100, None, "de_an", "100% các khoản chi theo quy định."),
]


def seed_ceilings(SupportCeiling, ActivityContent) -> None:
    contents = {c.code: c for c in ActivityContent.objects.filter(code__in={row[0] for row in CEILINGS})}
    for code, title, percent, amount, basis, notes in CEILINGS:
        if code not in contents:
            continue
        SupportCeiling.objects.get_or_create(
            activity_content=contents[code],
            title=title,
            effective_from=EFFECTIVE_FROM,
            level="",
            defaults={
                "percent_cap": percent,
                "amount_cap": amount,
                "basis": basis,
                "legal_basis": LEGAL_BASIS,
                "notes": notes,
            },
        )


def unseed_ceilings(SupportCeiling) -> None:
    SupportCeiling.objects.filter(
        title__in=[row[1] for row in CEILINGS], effective_from=EFFECTIVE_FROM, legal_basis=LEGAL_BASIS
    ).delete()
