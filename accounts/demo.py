"""Demo accounts, one per role. Password is the same for all and printed by load_demo."""

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit
from areas.selectors import current_communes_from

DEMO_PASSWORD = "khuyencong2026"

DEMO_USERS = [
    # username, full name, title, role, legacy district paths covered (with their successor communes)
    ("quantri", "Nguyễn Văn Quản", "Quản trị hệ thống", Role.ADMIN, []),
    ("chuyenvien", "Trần Thị Hồng", "Chuyên viên Phòng Quản lý công nghiệp", Role.STAFF, []),
    ("lanhdao", "Phạm Minh Đức", "Phó Giám đốc Sở", Role.LEADER, []),
    ("kcv.thuynguyen", "Lê Văn Thủy", "Cán bộ khuyến công địa bàn Thủy Nguyên", Role.AREA_OFFICER, ["/31/d311/"]),
    ("kcv.cathai", "Vũ Thị Hải", "Cán bộ khuyến công địa bàn Cát Hải", Role.AREA_OFFICER, ["/31/d317/"]),
    ("giamkhao", "Đỗ Thanh Bình", "Thành viên Ban giám khảo", Role.JUROR, []),
]


def load(out) -> dict[str, User]:
    users = {}
    for username, full_name, title, role, district_paths in DEMO_USERS:
        last, _, first = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "title": title, "email": f"{username}@example.vn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        for path in district_paths:
            district = AdministrativeUnit.objects.get(path=path)
            user.areas.add(district, *current_communes_from(district))
        users[role.value if role != Role.AREA_OFFICER else username] = user
    return users


def print_logins(out) -> None:
    out.write(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
    for username, _, _, role, _ in DEMO_USERS:
        out.write(f"  {username:<16} {role.label}")
