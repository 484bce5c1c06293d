"""Reference data for đề án: legal bases, activity contents (domain.md §4) and the implementing unit.

Used by the data migration (with historical models) and by tests/reference.py after a flush.
Rows are only created when missing, so an admin's edits survive.
"""

from datetime import date

LEGAL_BASES = [
    # number, kind, title, issued, effective from, effective to, amends
    ("45/2012/NĐ-CP", "decree", "Nghị định về khuyến công", date(2012, 5, 21), date(2012, 7, 10), None, None),
    (
        "235/2025/NĐ-CP",
        "decree",
        "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 45/2012/NĐ-CP về khuyến công",
        date(2025, 8, 27),
        date(2025, 10, 15),
        None,
        "45/2012/NĐ-CP",
    ),
    (
        "1881/QĐ-TTg",
        "decision",
        "Phê duyệt Chương trình khuyến công quốc gia giai đoạn 2021-2025",
        date(2020, 11, 24),
        date(2021, 1, 1),
        date(2025, 12, 31),
        None,
    ),
    (
        "2646/QĐ-BCT",
        "decision",
        "Chương trình khuyến công quốc gia giai đoạn 2026-2030",
        date(2025, 9, 23),
        date(2026, 1, 1),
        date(2030, 12, 31),
        None,
    ),
    (
        "191/QĐ-UBND",
        "decision",
        "Chương trình khuyến công thành phố Hải Phòng giai đoạn 2021-2025",
        date(2021, 1, 18),
        date(2021, 1, 18),
        date(2025, 12, 31),
        None,
    ),
    (
        "28/2018/TT-BTC",
        "circular",
        "Hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công",
        date(2018, 3, 28),
        date(2018, 5, 15),
        None,
        None,
    ),
    (
        "21/2019/QĐ-UBND",
        "decision",
        "Quy định mức chi hỗ trợ cho các hoạt động khuyến công địa phương thành phố Hải Phòng",
        None,
        None,
        None,
        None,
    ),
]

ACTIVITY_CONTENTS = [
    # code, name, legal basis, effective from
    ("4.1", "Đào tạo nghề, truyền nghề, phát triển nghề", "45/2012/NĐ-CP", None),
    ("4.2", "Nâng cao năng lực quản lý (đào tạo quản lý, tham quan khảo sát, hỗ trợ khởi sự)", "45/2012/NĐ-CP", None),
    (
        "4.3",
        "Mô hình trình diễn kỹ thuật; chuyển giao công nghệ; ứng dụng máy móc tiên tiến; sản xuất sạch hơn",
        "45/2012/NĐ-CP",
        None,
    ),
    (
        "4.4",
        "Phát triển sản phẩm CNNT tiêu biểu: bình chọn, hội chợ triển lãm, nhãn hiệu, phòng trưng bày",
        "45/2012/NĐ-CP",
        None,
    ),
    ("4.5", "Tư vấn, cung cấp thông tin, truyền thông", "45/2012/NĐ-CP", None),
    ("4.6", "Liên doanh, liên kết; cụm công nghiệp; di dời cơ sở gây ô nhiễm", "45/2012/NĐ-CP", None),
    ("4.7", "Hợp tác quốc tế về khuyến công", "45/2012/NĐ-CP", None),
    (
        "4.8",
        "Nâng cao năng lực tổ chức thực hiện khuyến công (đào tạo cán bộ, cơ sở dữ liệu, theo dõi)",
        "45/2012/NĐ-CP",
        None,
    ),
    ("4.9", "Hỗ trợ chuyển đổi số trong sản xuất công nghiệp nông thôn", "235/2025/NĐ-CP", date(2025, 10, 15)),
    ("4.10", "Hỗ trợ sản xuất bền vững, tiết kiệm tài nguyên, giảm phát thải", "235/2025/NĐ-CP", date(2025, 10, 15)),
]

ORGANISATIONS = [
    (
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng",
        "TT Khuyến công HP",
        "extension_centre",
    ),
    ("Sở Công Thương thành phố Hải Phòng", "Sở Công Thương", "department"),
]


def seed_reference(LegalBasis, ActivityContent, Organisation) -> None:
    bases = {}
    for number, kind, title, issued, start, end, _amends in LEGAL_BASES:
        bases[number], _ = LegalBasis.objects.get_or_create(
            number=number,
            defaults={"kind": kind, "title": title, "issued_on": issued, "effective_from": start, "effective_to": end},
        )
    for number, *_rest, amends in LEGAL_BASES:
        if amends and bases[number].amends_id is None:
            bases[number].amends = bases[amends]
            bases[number].save(update_fields=["amends"])
    for order, (code, name, basis, start) in enumerate(ACTIVITY_CONTENTS, start=1):
        ActivityContent.objects.get_or_create(
            code=code,
            defaults={"name": name, "legal_basis": bases[basis], "effective_from": start, "sort_order": order},
        )
    for name, short, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(name=name, defaults={"short_name": short, "kind": kind})


def unseed_reference(LegalBasis, ActivityContent, Organisation) -> None:
    Organisation.objects.filter(name__in=[row[0] for row in ORGANISATIONS]).delete()
    ActivityContent.objects.filter(code__in=[row[0] for row in ACTIVITY_CONTENTS]).delete()
    LegalBasis.objects.filter(number__in=[row[0] for row in LEGAL_BASES]).update(amends=None)
    LegalBasis.objects.filter(number__in=[row[0] for row in LEGAL_BASES]).delete()
