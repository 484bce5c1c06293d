"""The columns of an establishment sheet: the template's header, the variants people write, how to read each."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from core.text import fold


@dataclass(frozen=True)
class Column:
    key: str  # a Beneficiary field, or a pseudo column (commune, district, founded)
    header: str  # the template's header
    aliases: tuple[str, ...] = field(default=())  # folded variants met in real sheets
    example: object = ""
    width: int = 18
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        _("Tên cơ sở"),
        (
            "ten co so",
            "ten doanh nghiep",
            "ten co so cnnt",
            "ten co so san xuat",
            "ten don vi",
            "ten to chuc",
            "ten htx",
            "ten ho kinh doanh",
            "ten co so/doanh nghiep",
            "ten doanh nghiep/co so",
            "ten",
        ),
        "Công ty TNHH Nước mắm Cát Hải",
        36,
        _("Bắt buộc."),
    ),
    Column(
        "legal_form",
        _("Loại hình"),
        ("loai hinh", "loai hinh doanh nghiep", "loai hinh to chuc", "loai hinh co so", "hinh thuc to chuc"),
        "Doanh nghiệp",
        16,
        _("Doanh nghiệp, Hợp tác xã, Tổ hợp tác hoặc Hộ kinh doanh; để trống thì suy ra từ tên."),
    ),
    Column(
        "tax_code",
        _("Mã số thuế"),
        ("ma so thue", "mst", "ma so doanh nghiep", "msdn", "ma so thue/msdn", "mst/msdn", "ma so thue (mst)"),
        "0201234567",
        14,
        _("10 chữ số, hoặc 10 chữ số - 3 chữ số (chi nhánh)."),
    ),
    Column(
        "registration_number",
        _("Số ĐKKD"),
        (
            "so dkkd",
            "so dang ky kinh doanh",
            "so giay chung nhan dkkd",
            "so gcn dkkd",
            "dkkd",
            "so dang ky",
            "giay dkkd so",
        ),
        "",
        14,
        _("Cho hộ kinh doanh chưa có mã số thuế."),
    ),
    Column(
        "registration_date",
        _("Ngày cấp ĐKKD"),
        (
            "ngay cap dkkd",
            "ngay cap",
            "ngay cap giay dkkd",
            "ngay cap gcn dkkd",
            "ngay cap giay chung nhan dkkd",
            "ngay dang ky",
            "ngay dang ky kinh doanh",
            "ngay cap dang ky kinh doanh",
        ),
        "15/03/2005",
        12,
        _("Ngày dd/mm/yyyy."),
    ),
    Column(
        "registration_place",
        _("Nơi cấp ĐKKD"),
        ("noi cap", "noi cap dkkd", "co quan cap", "co quan cap dkkd", "noi cap giay dkkd", "noi dang ky"),
        "Sở Kế hoạch và Đầu tư Hải Phòng",
        22,
        _("Ví dụ: Phòng Tài chính - Kế hoạch huyện Vĩnh Bảo."),
    ),
    Column(
        "representative",
        _("Người đại diện"),
        ("nguoi dai dien", "nguoi dai dien phap luat", "chu co so", "chu ho", "giam doc", "ho ten chu co so"),
        "Nguyễn Văn An",
        22,
    ),
    Column("phone", _("Điện thoại"), ("dien thoai", "sdt", "so dien thoai", "dt", "dien thoai lien he"), "0912345678"),
    Column("email", _("Email"), ("email", "e-mail", "thu dien tu", "dia chi email"), "", 22),
    Column(
        "address",
        _("Địa chỉ"),
        ("dia chi", "dia chi tru so", "dia chi co so", "dia chi san xuat", "dia chi tru so chinh", "dia diem"),
        "Thôn 3, xã Văn Phong, huyện Cát Hải",
        40,
        _("Ghi đủ xã/phường và huyện/quận (trước 7/2025), hoặc xã/phường hiện hành."),
    ),
    Column(
        "commune",
        _("Xã/phường"),
        ("xa/phuong", "xa", "phuong", "xa phuong", "phuong/xa", "xa/phuong/thi tran", "xa/thi tran", "xa, phuong"),
        "",
        18,
        _("Không bắt buộc khi địa chỉ đã ghi xã/phường."),
    ),
    Column(
        "district",
        _("Huyện/quận (trước 7/2025)"),
        ("huyen/quan", "huyen", "quan", "quan/huyen", "quan huyen", "huyen/thanh pho", "huyen/quan/thanh pho"),
        "",
        18,
        _("Không bắt buộc khi địa chỉ đã ghi huyện/quận."),
    ),
    Column("craft_village", _("Làng nghề"), ("lang nghe", "thuoc lang nghe", "ten lang nghe"), "", 22),
    Column(
        "sector",
        _("Ngành nghề"),
        ("nganh nghe", "nganh nghe kinh doanh", "nganh nghe san xuat", "linh vuc", "linh vuc san xuat", "nganh"),
        "Chế biến thủy sản",
        24,
    ),
    Column("vsic_code", _("Mã ngành VSIC"), ("ma nganh vsic", "vsic", "ma nganh", "ma vsic"), "1020", 10),
    Column(
        "main_products", _("Sản phẩm chính"), ("san pham chinh", "san pham", "mat hang", "san pham chu yeu"), "", 28
    ),
    Column(
        "employees",
        _("Số lao động"),
        ("so lao dong", "lao dong", "so ld", "so cong nhan", "tong so lao dong"),
        25,
        10,
    ),
    Column(
        "founded",
        _("Năm thành lập"),
        ("nam thanh lap", "ngay thanh lap", "thanh lap", "nam thanh lap/ngay thanh lap", "ngay thanh lap/nam"),
        2005,
        12,
        _("Năm (2005), hoặc ngày dd/mm/yyyy."),
    ),
    Column(
        "women_owned",
        _("Phụ nữ làm chủ"),
        ("phu nu lam chu", "nu lam chu", "chu co so la nu", "do phu nu lam chu"),
        "",
        10,
        _("Ghi 'x' hoặc 'Có'."),
    ),
    Column(
        "ethnic_minority_owned",
        _("DTTS làm chủ"),
        ("dtts lam chu", "dan toc thieu so lam chu", "do nguoi dan toc thieu so lam chu", "dtts"),
        "",
        10,
        _("Ghi 'x' hoặc 'Có'."),
    ),
    Column("notes", _("Ghi chú"), ("ghi chu",), "", 24),
)

BY_KEY = {column.key: column for column in COLUMNS}
# Columns that are read but carry nothing to store (a running number).
IGNORED_HEADERS = {"stt", "tt", "so tt", "so thu tu"}

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^a-z0-9/ ]+")
_SPACES = re.compile(r"\s+")


def normalise_header(value) -> str:
    """ "Mã số\\nthuế (*)" → "ma so thue"; "Tên cơ sở:" → "ten co so"."""
    text = fold(str(value) if value is not None else "")
    without_notes = _PARENTHESES.sub(" ", text)
    cleaned = _SPACES.sub(" ", _NOT_WORD.sub(" ", without_notes)).strip()
    cleaned = cleaned.replace(" / ", "/").replace("/ ", "/").replace(" /", "/")
    return cleaned or _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


_ALIAS_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    _ALIAS_INDEX[normalise_header(_column.header)] = _column.key
    for _alias in _column.aliases:
        _ALIAS_INDEX.setdefault(_alias, _column.key)


def match_header(value) -> str | None:
    """The column key a header cell names, or None."""
    key = normalise_header(value)
    if not key:
        return None
    return _ALIAS_INDEX.get(key)
