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
