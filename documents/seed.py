"""The issuing body every document starts with; admins edit it (Quản trị → Cơ quan ban hành văn bản).

Takes the model class so a data migration can run it with its historical model. The signer is a placeholder
name for the demo: replace it with the real signer before issuing documents.
"""

HAI_PHONG_DOET = {
    "parent_name": "UBND THÀNH PHỐ HẢI PHÒNG",
    "name": "SỞ CÔNG THƯƠNG",
    "abbreviation": "SCT",
    "place": "Hải Phòng",
    "signer_authority": "KT. GIÁM ĐỐC",
    "signer_title": "PHÓ GIÁM ĐỐC",
    "signer_name": "Nguyễn Văn Minh",
    "archive_units": "VT, QLCN",
    "recipients": "UBND thành phố (để b/c)\nGiám đốc Sở (để b/c)\nTrung tâm Khuyến công",
}


def seed_issuing_body(IssuingBody) -> None:
    if not IssuingBody.objects.exists():
        IssuingBody.objects.create(active=True, **HAI_PHONG_DOET)


def issuing_body_for(province_name: str, province_short: str) -> dict:
    """The department of industry and trade of a province, as the heading of its documents names it."""
    authority = "UBND THÀNH PHỐ" if province_name.startswith("Thành phố") else "UBND TỈNH"
    return {**HAI_PHONG_DOET, "parent_name": f"{authority} {province_short.upper()}", "place": province_short}


def set_issuing_body(IssuingBody, **fields) -> bool:
    """Makes a row with these fields the active issuing body; returns whether anything changed.

    An existing active row that differs is kept inactive (the record of who signed before), never edited.
    """
    active = IssuingBody.objects.filter(active=True).first()
    if active is not None and all(getattr(active, k) == v for k, v in fields.items()):
        return False
    if active is not None:
        active.active = False
        active.save(update_fields=["active"])
    IssuingBody.objects.create(active=True, **fields)
    return True
