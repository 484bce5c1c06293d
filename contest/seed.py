"""The scoring grid of Thông tư 26/2014/TT-BCT (amended by 14/2018/TT-BCT): four groups, 100 points.

Used by the data migration and by tests/reference.py (a transactional test's flush empties the table).
Sub-criteria are optional data: this seed carries the four groups the circular fixes; a council that
breaks a group down adds children in the admin, and jurors then score the children.
"""

TT26_CODE = "tt26-2014"
TT26 = {
    "code": TT26_CODE,
    "name": "Bộ tiêu chí Thông tư 26/2014/TT-BCT (sửa đổi bởi Thông tư 14/2018/TT-BCT)",
    "legal_basis": "Thông tư 26/2014/TT-BCT; Thông tư 14/2018/TT-BCT",
    "criteria": [
        ("1", "Khả năng đáp ứng thị trường và tiềm năng phát triển sản xuất", 40),
        ("2", "Hiệu quả kinh tế, kỹ thuật, xã hội và môi trường", 40),
        ("3", "Tính văn hóa, thẩm mỹ", 10),
        ("4", "Các tiêu chí khác", 10),
    ],
}


def seed_criteria(CriteriaSet, Criterion) -> None:
    criteria_set, _ = CriteriaSet.objects.get_or_create(
        code=TT26["code"], defaults={"name": TT26["name"], "legal_basis": TT26["legal_basis"]}
    )
    for position, (code, name, max_points) in enumerate(TT26["criteria"], start=1):
        Criterion.objects.get_or_create(
            criteria_set=criteria_set,
            code=code,
            defaults={"name": name, "max_points": max_points, "position": position},
        )


def unseed_criteria(CriteriaSet, Criterion) -> None:
    CriteriaSet.objects.filter(code=TT26_CODE, contest__isnull=True).delete()
