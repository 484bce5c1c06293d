"""Demo establishments in Hải Phòng. Names marked [thật] are real establishments named in public news
(domain.md §9); tax codes, people and the other establishments are invented for the demo."""

from accounts.models import User
from areas.models import AdministrativeUnit
from beneficiaries.models import Beneficiary, CraftVillage, LegalForm
from beneficiaries.services import beneficiary_create

INVENTED = "Dữ liệu minh họa (tự đặt)."
REAL = "Tên cơ sở có thật theo tin báo chí; các thông tin khác là minh họa."

# name, legal form, tax code, (district path, commune name), address, sector, products, employees, note
ESTABLISHMENTS = [
    (
        "Công ty TNHH Cơ khí đúc Thành Phương",
        LegalForm.ENTERPRISE,
        "0200456781",
        ("/31/d311/", "Xã Ninh Sơn"),
        "Thôn 3, xã Ninh Sơn, huyện Thủy Nguyên",
        "Cơ khí đúc",
        "Phụ tùng cơ khí đúc gang, thép",
        45,
        REAL,
    ),
    (
        "Hợp tác xã Nước mắm Cát Hải",
        LegalForm.COOPERATIVE,
        "0200567892",
        ("/31/d317/", "Thị trấn Cát Hải"),
        "Tổ dân phố 5, thị trấn Cát Hải, huyện Cát Hải",
        "Chế biến thủy sản",
        "Nước mắm truyền thống Cát Hải",
        32,
        "Nước mắm Cát Hải có thật; tên hợp tác xã là minh họa.",
    ),
    (
        "Cơ sở chế biến nước mắm Hoàng Châu",
        LegalForm.HOUSEHOLD,
        "",
        ("/31/d317/", "Xã Hoàng Châu"),
        "Thôn Hoàng Châu, xã Hoàng Châu, huyện Cát Hải",
        "Chế biến thủy sản",
        "Nước mắm cốt, mắm tôm",
        8,
        INVENTED,
    ),
    (
        "Công ty CP Sản xuất Thương mại Nông sản Tuấn Linh",
        LegalForm.ENTERPRISE,
        "0201789013",
        ("/31/", "Xã Vĩnh Bảo"),
        "Thôn Nam Am, xã Vĩnh Bảo, thành phố Hải Phòng",
        "Chế biến nông sản",
        "Gạo đóng gói, nông sản sấy",
        60,
        REAL,
    ),
    (
        "Hợp tác xã Mây tre đan Liên Xuân",
        LegalForm.COOPERATIVE,
        "0200678904",
        ("/31/d311/", "Xã Liên Xuân"),
        "Thôn 1, xã Liên Xuân, huyện Thủy Nguyên",
        "Thủ công mỹ nghệ",
        "Mây tre đan xuất khẩu",
        120,
        INVENTED,
    ),
    (
        "Cơ sở mộc mỹ nghệ Bảo Hà",
        LegalForm.HOUSEHOLD,
        "",
        ("/31/d316/", "Xã Đồng Minh"),
        "Thôn Bảo Hà, xã Đồng Minh, huyện Vĩnh Bảo",
        "Thủ công mỹ nghệ",
        "Tượng gỗ, đồ thờ",
        15,
        INVENTED,
    ),
    (
        "Công ty TNHH Chế biến thực phẩm Tiên Lãng",
        LegalForm.ENTERPRISE,
        "0200789015",
        ("/31/d315/", "Xã Quyết Tiến"),
        "Xã Quyết Tiến, huyện Tiên Lãng",
        "Chế biến thực phẩm",
        "Bánh đa, miến gạo",
        25,
        INVENTED,
    ),
    (
        "Công ty TNHH Cơ khí An Lão",
        LegalForm.ENTERPRISE,
        "0200890126",
        ("/31/d313/", "Xã Bát Trang"),
        "Xã Bát Trang, huyện An Lão",
        "Cơ khí",
        "Máy nông nghiệp cỡ nhỏ",
        38,
        INVENTED,
    ),
    (
        "Tổ hợp tác Gốm Kiến Thụy",
        LegalForm.COOPERATIVE_GROUP,
        "",
        ("/31/d314/", "Xã Đông Phương"),
        "Xã Đông Phương, huyện Kiến Thụy",
        "Gốm",
        "Gốm gia dụng",
        11,
        INVENTED,
    ),
    (
        "Công ty CP Đóng tàu Phù Long",
        LegalForm.ENTERPRISE,
        "0200901237",
        ("/31/d317/", "Xã Phù Long"),
        "Xã Phù Long, huyện Cát Hải",
        "Cơ khí đóng tàu",
        "Tàu cá vỏ gỗ, vỏ composite",
        70,
        INVENTED,
    ),
    (
        "Công ty TNHH Dệt may Việt Khê",
        LegalForm.ENTERPRISE,
        "0201012348",
        ("/31/", "Xã Việt Khê"),
        "Thôn 2, xã Việt Khê, thành phố Hải Phòng",
        "Dệt may",
        "Hàng may mặc gia công",
        90,
        INVENTED,
    ),
    (
        "Cơ sở làm hương Thủy Nguyên",
        LegalForm.HOUSEHOLD,
        "",
        ("/31/", "Phường Thuỷ Nguyên"),
        "Tổ dân phố 7, phường Thủy Nguyên, thành phố Hải Phòng",
        "Sản xuất hương",
        "Hương nén, hương vòng",
        6,
        INVENTED + " Ví dụ cơ sở ở phường: không thuộc đối tượng nếu không ở làng nghề được công nhận.",
    ),
]

# Household businesses without a tax code get a registration number instead.
REGISTRATION_NUMBERS = {
    "Cơ sở chế biến nước mắm Hoàng Châu": "02H8001234",
    "Cơ sở mộc mỹ nghệ Bảo Hà": "02K8004321",
    "Tổ hợp tác Gốm Kiến Thụy": "02E8000777",
    "Cơ sở làm hương Thủy Nguyên": "02A8009876",
}


def _unit(where: tuple[str, str]) -> AdministrativeUnit:
    parent_path, name = where
    unit = AdministrativeUnit.objects.filter(path__startswith=parent_path, name=name).first()
    # A commune missing from the unit data falls back to its district, as an import would.
    return unit or AdministrativeUnit.objects.get(path=parent_path)


def load(out) -> None:
    staff = User.objects.get(username="chuyenvien")
    village, _ = CraftVillage.objects.get_or_create(
        name="Làng nghề mây tre đan Liên Xuân",
        defaults={
            "unit": _unit(("/31/d311/", "Xã Liên Xuân")),
            "recognised": True,
            "recognition_decision": "1234/QĐ-UBND",
        },
    )
    created = 0
    for name, form, tax, path, address, sector, products, employees, note in ESTABLISHMENTS:
        registration = REGISTRATION_NUMBERS.get(name, "")
        if Beneficiary.objects.filter(name=name).exists():
            continue
        unit = _unit(path)
        missing = unit.name != path[1]
        beneficiary_create(
            actor=staff,
            data={
                "name": name,
                "legal_form": form,
                "tax_code": tax,
                "registration_number": registration,
                "unit": unit,
                "address": address,
                "sector": sector,
                "main_products": products,
                "employees": employees,
                "notes": note,
                "representative": "",
                "craft_village": village if "Liên Xuân" in name else None,
                "needs_review": missing,
                "review_note": f"Không tìm thấy {path[1]} trong danh mục đơn vị; tạm gán cấp huyện." if missing else "",
            },
        )
        created += 1
    out.write(f"Cơ sở CNNT: thêm {created}, tổng {Beneficiary.objects.count()}.")
