"""Demo contests (domain.md §9): the 2021 city round, with 15 certified products and 12 proposed to the
2022 regional round, scored by five jurors; and a 2026 round open for scoring where "giamkhao" has work.

Everything goes through the services, as a real secretary and real jurors would. Product names, scores,
decision numbers and the extra establishments are invented for the demo (marked so in their notes).
"""

import random
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit
from beneficiaries.eligibility import compute_eligibility
from beneficiaries.models import Beneficiary, LegalForm
from beneficiaries.services import beneficiary_create
from contest import services
from contest.models import Contest, ContestLevel, ContestState, DocumentKind, ProductGroup
from contest.seed import TT26_CODE
from contest.selectors import contest_results, scoring_criteria

INVENTED = "Dữ liệu minh họa (tự đặt) cho cuộc bình chọn sản phẩm CNNT tiêu biểu."

EXTRA_JURORS = [
    ("gk.hoa", "Nguyễn Thị Hoa", "Phó Trưởng phòng Quản lý công nghiệp"),
    ("gk.long", "Trần Văn Long", "Giám đốc Trung tâm Khuyến công"),
    ("gk.mai", "Lê Thị Mai", "Nghệ nhân, Hội Làng nghề thành phố"),
    ("gk.son", "Phạm Hồng Sơn", "Chuyên gia thiết kế sản phẩm"),
]

# name, legal form, tax code, (district path, commune name), address, sector
EXTRA_ESTABLISHMENTS = [
    (
        "Hợp tác xã Chiếu cói Kiến Thụy",
        LegalForm.COOPERATIVE,
        "0201100011",
        ("/31/d314/", "Xã Đông Phương"),
        "Xã Đông Phương, huyện Kiến Thụy",
        "Dệt chiếu cói",
    ),
    (
        "Công ty TNHH Thực phẩm Vĩnh Bảo",
        LegalForm.ENTERPRISE,
        "0201100022",
        ("/31/d316/", "Xã Dũng Tiến"),
        "Xã Dũng Tiến, huyện Vĩnh Bảo",
        "Chế biến thực phẩm",
    ),
    (
        "Cơ sở Bánh đa Kinh Đô Tiên Lãng",
        LegalForm.HOUSEHOLD,
        "",
        ("/31/d315/", "Xã Quyết Tiến"),
        "Xã Quyết Tiến, huyện Tiên Lãng",
        "Chế biến thực phẩm",
    ),
    (
        "Công ty CP Cơ khí Nông nghiệp An Lão",
        LegalForm.ENTERPRISE,
        "0201100044",
        ("/31/d313/", "Xã Bát Trang"),
        "Xã Bát Trang, huyện An Lão",
        "Cơ khí nông nghiệp",
    ),
    (
        "Hợp tác xã Tạc tượng Dũng Tiến",
        LegalForm.COOPERATIVE,
        "0201100055",
        ("/31/d316/", "Xã Dũng Tiến"),
        "Xã Dũng Tiến, huyện Vĩnh Bảo",
        "Thủ công mỹ nghệ",
    ),
    (
        "Công ty TNHH Thủy sản Cát Bà",
        LegalForm.ENTERPRISE,
        "0201100066",
        ("/31/d317/", "Xã Phù Long"),
        "Xã Phù Long, huyện Cát Hải",
        "Chế biến thủy sản",
    ),
]
REGISTRATION = {"Cơ sở Bánh đa Kinh Đô Tiên Lãng": "02L8005555"}

# (product, group, establishment name fragment, target score)
PRODUCTS_2021 = [
    ("Nước mắm truyền thống Cát Hải 35 độ đạm", ProductGroup.FOOD, "Nước mắm Cát Hải", 91),
    ("Bộ sản phẩm mây tre đan xuất khẩu", ProductGroup.HANDICRAFT, "Mây tre đan Liên Xuân", 89),
    ("Tượng gỗ Phật Di Lặc", ProductGroup.HANDICRAFT, "Tạc tượng Dũng Tiến", 88),
    ("Máy tuốt lúa liên hợp cỡ nhỏ", ProductGroup.MECHANICAL, "Cơ khí An Lão", 86),
    ("Phụ tùng đúc gang cho máy nông nghiệp", ProductGroup.MECHANICAL, "Thành Phương", 85),
    ("Nước mắm cốt Hoàng Châu", ProductGroup.FOOD, "Hoàng Châu", 84),
    ("Bánh đa đỏ Kinh Đô", ProductGroup.FOOD, "Bánh đa Kinh Đô", 83),
    ("Chiếu cói cải tiến", ProductGroup.HANDICRAFT, "Chiếu cói", 82),
    ("Gạo thơm Tuấn Linh đóng túi", ProductGroup.FOOD, "Tuấn Linh", 82),
    ("Mực một nắng Cát Bà", ProductGroup.FOOD, "Thủy sản Cát Bà", 81),
    ("Tàu cá vỏ composite 12 m", ProductGroup.MECHANICAL, "Phù Long", 80),
    ("Bình gốm men rạn", ProductGroup.OTHER, "Gốm Kiến Thụy", 79),
    ("Miến gạo Tiên Lãng", ProductGroup.FOOD, "Chế biến thực phẩm Tiên Lãng", 78),
    ("Máy sấy nông sản mini", ProductGroup.MECHANICAL, "Cơ khí Nông nghiệp An Lão", 77),
    ("Giò chả Vĩnh Bảo", ProductGroup.FOOD, "Thực phẩm Vĩnh Bảo", 76),
    ("Lọ hoa gốm vẽ tay", ProductGroup.OTHER, "Gốm Kiến Thụy", 65),
    ("Túi xách cói thời trang", ProductGroup.HANDICRAFT, "Chiếu cói", 64),
    ("Khung cửa sắt mỹ thuật", ProductGroup.MECHANICAL, "Cơ khí An Lão", 61),
]

PRODUCTS_2026 = [
    ("Nước mắm Cát Hải chai thủy tinh 500 ml", ProductGroup.FOOD, "Nước mắm Cát Hải"),
    ("Đèn mây tre trang trí", ProductGroup.HANDICRAFT, "Mây tre đan Liên Xuân"),
    ("Máy cấy lúa tay cải tiến", ProductGroup.MECHANICAL, "Cơ khí An Lão"),
    ("Chả mực Cát Bà", ProductGroup.FOOD, "Thủy sản Cát Bà"),
    ("Tượng gỗ Quan Âm", ProductGroup.HANDICRAFT, "Tạc tượng Dũng Tiến"),
    ("Bộ ấm chén gốm men lam", ProductGroup.OTHER, "Gốm Kiến Thụy"),
]

COLOURS = [(176, 96, 48), (60, 120, 170), (90, 150, 80), (150, 60, 110), (200, 160, 40), (70, 70, 70)]


def _photo(label: str, index: int, colour) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 320), outline=(255, 255, 255), width=6)
    draw.ellipse((170 + 20 * index, 110, 310 + 20 * index, 250), fill=(255, 255, 255))
    draw.text((60, 290), f"{label} - anh {index + 1}", fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"anh-{index + 1}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _form_pdf() -> SimpleUploadedFile:
    content = b"%PDF-1.4\n% Phieu dang ky (minh hoa)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile("phieu-dang-ky.pdf", content, content_type="application/pdf")


def _jurors() -> list[User]:
    group = Group.objects.get(name=Role.JUROR.value)
    jurors = [User.objects.get(username="giamkhao")]
    for username, full_name, title in EXTRA_JURORS:
        last, _, first = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "title": title, "email": f"{username}@example.vn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group)
        jurors.append(user)
    return jurors


def _establishments(staff: User) -> None:
    for name, form, tax, (parent, commune), address, sector in EXTRA_ESTABLISHMENTS:
        if Beneficiary.objects.filter(name=name).exists():
            continue
        unit = AdministrativeUnit.objects.filter(
            path__startswith=parent, name=commune
        ).first() or AdministrativeUnit.objects.get(path=parent)
        beneficiary_create(
            actor=staff,
            data={
                "name": name,
                "legal_form": form,
                "tax_code": tax,
                "registration_number": REGISTRATION.get(name, ""),
                "unit": unit,
                "address": address,
                "sector": sector,
                "notes": INVENTED,
            },
        )


def _establishment(fragment: str) -> Beneficiary:
    for beneficiary in Beneficiary.objects.filter(name__contains=fragment).select_related("unit", "craft_village"):
        if compute_eligibility(beneficiary).eligible:
            return beneficiary
    raise LookupError(f"Không có cơ sở đủ điều kiện khớp “{fragment}” trong dữ liệu minh họa.")


def _add_entries(staff, contest, products) -> list:
    entries = []
    for i, row in enumerate(products):
        name, group, fragment = row[:3]
        entries.append(
            services.entry_create(
                actor=staff,
                contest=contest,
                data={
                    "product_name": name,
                    "group": group,
                    "beneficiary": _establishment(fragment),
                    "is_product_set": name.startswith("Bộ"),
                    "description": f"{name}: sản phẩm của cơ sở, mô tả minh họa cho dữ liệu demo.",
                },
                photos=[_photo(name[:24], k, COLOURS[(i + k) % len(COLOURS)]) for k in range(3)],
                documents=[(DocumentKind.REGISTRATION_FORM, _form_pdf())],
            )
        )
    return entries


def _split(total: int, criteria) -> dict:
    """Spreads a juror's total over the criteria in proportion to their maxima, within each maximum."""
    full = sum(c.max_points for c in criteria)
    points, left = {}, Decimal(total)
    for index, criterion in enumerate(criteria):
        if index == len(criteria) - 1:
            value = min(left, criterion.max_points)
        else:
            value = min((Decimal(total) * criterion.max_points / full).quantize(Decimal("0.5")), criterion.max_points)
        points[criterion.pk] = value
        left -= value
    return points


def _score(juror, entry, target: int, rng: random.Random, *, submit: bool = True) -> None:
    criteria = scoring_criteria(entry.contest.criteria_set)
    total = max(40, min(98, target + rng.randint(-3, 3)))
    services.sheet_save(
        actor=juror, entry=entry, points=_split(total, criteria), submit=submit, comment="Nhận xét minh họa."
    )


def _contest_2021(staff, jurors, criteria_set) -> Contest:
    contest = services.contest_create(
        actor=staff,
        data={
            "name": "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp thành phố năm 2021",
            "year": 2021,
            "level": ContestLevel.CITY,
            "decision_number": "45/QĐ-SCT",
            "decision_date": date(2021, 3, 15),
            "criteria_set": criteria_set,
            "proposal_quota": 12,
            "next_level_name": "Bình chọn sản phẩm CNNT tiêu biểu cấp khu vực phía Bắc năm 2022",
            "signer_title": "Giám đốc",
            "signer_name": "Phạm Minh Đức",
        },
        secretaries=[staff],
        jurors=jurors,
    )
    entries = _add_entries(staff, contest, PRODUCTS_2021)
    contest = services.contest_transition(actor=staff, contest=contest, to_state=ContestState.SCORING)
    rng = random.Random(2021)
    for entry, (_name, _group, _fragment, target) in zip(entries, PRODUCTS_2021, strict=True):
        entry.contest = contest
        for juror in jurors:
            _score(juror, entry, target, rng)
    contest = services.contest_transition(
        actor=staff, contest=contest, to_state=ContestState.CLOSED, note="Họp hội đồng ngày 20/11/2021."
    )
    passed = sorted(contest_results(contest=contest).passed, key=lambda r: -r.score)
    services.proposals_set(actor=staff, contest=contest, entry_ids=[r.entry.pk for r in passed[:12]])
    contest = services.contest_transition(
        actor=staff,
        contest=contest,
        to_state=ContestState.PUBLISHED,
        result_decision_number="3456/QĐ-UBND",
        result_decision_date=date(2021, 11, 30),
    )
    services.certificates_issue(actor=staff, contest=contest, issued_on=date(2021, 12, 6))
    return contest


def _contest_2026(staff, jurors, criteria_set) -> Contest:
    contest = services.contest_create(
        actor=staff,
        data={
            "name": "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp thành phố năm 2026",
            "year": 2026,
            "level": ContestLevel.CITY,
            "decision_number": "112/QĐ-SCT",
            "decision_date": date(2026, 4, 2),
            "criteria_set": criteria_set,
            "proposal_quota": 10,
            "next_level_name": "Bình chọn sản phẩm CNNT tiêu biểu cấp khu vực năm 2027",
        },
        secretaries=[staff],
        jurors=jurors,
    )
    entries = _add_entries(staff, contest, PRODUCTS_2026)
    contest = services.contest_transition(actor=staff, contest=contest, to_state=ContestState.SCORING)
    rng = random.Random(2026)
    giamkhao, others = jurors[0], jurors[1:]
    for index, entry in enumerate(entries):
        entry.contest = contest
        for juror in others[: 4 - index % 3]:
            _score(juror, entry, 78 + index, rng)
    # "giamkhao" has submitted one sheet, left one draft, and has the rest to do.
    _score(giamkhao, entries[0], 84, rng)
    _score(giamkhao, entries[1], 80, rng, submit=False)
    return contest


def load(out) -> None:
    staff = User.objects.get(username="chuyenvien")
    jurors = _jurors()
    _establishments(staff)
    from contest.models import CriteriaSet

    criteria_set = CriteriaSet.objects.get(code=TT26_CODE)
    made = []
    if not Contest.objects.filter(year=2021, level=ContestLevel.CITY).exists():
        made.append(_contest_2021(staff, jurors, criteria_set))
    if not Contest.objects.filter(year=2026, level=ContestLevel.CITY).exists():
        made.append(_contest_2026(staff, jurors, criteria_set))
    c2021 = Contest.objects.get(year=2021, level=ContestLevel.CITY)
    out.write(
        f"Bình chọn: thêm {len(made)} cuộc; năm 2021 có {c2021.certificates.count()} sản phẩm được chứng nhận, "
        f"{c2021.entries.filter(proposed=True).count()} đề xuất lên khu vực. Giám khảo: "
        + ", ".join(j.username for j in jurors)
    )
