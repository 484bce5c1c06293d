"""Demo field work: visit reports with photos on the 2021 đề án, the acceptance of the KCQG 2021 fish-sauce
machinery đề án ("đánh đảo chượp"), an inspection with an overdue follow-up action, and a 2026 đề án with an open
problem report. People, serial numbers, council members and photos (drawn with Pillow) are invented.

Everything goes through field.services; fixed client ids make a second run find what the first one wrote.
"""

import datetime as dt
import io
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

from accounts.models import User
from field import services
from field.models import AcceptanceResult, FieldReport, Inspection, ReportStatus
from projects.models import Level, Project, ProjectStatus

NAMESPACE = uuid.UUID("6f1e1c52-8e4a-4a53-9d7e-2a0c6a3f0b16")


def _project(*, level: str, year: int, keywords: str) -> Project:
    """The demo đề án with these title words; a missing one means the projects demo changed: say so loudly."""
    qs = Project.objects.filter(level=level, plan_year=year)
    for word in keywords.split("|"):
        qs = qs.filter(title__icontains=word)
    project = qs.order_by("code").first()
    if project is None:
        raise RuntimeError(
            f"field.demo: không tìm thấy đề án {level} {year} có “{keywords}” — projects.demo phải chạy trước."
        )
    return project


def _photo(name: str, text: str, colour, *, gps=None, taken=None) -> SimpleUploadedFile:
    """A drawn "photo" with the EXIF a phone would write (position, time, camera model)."""
    img = Image.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle((80, 500, 1120, 820), fill=(90, 90, 90))
    draw.ellipse((420, 180, 780, 540), fill=(200, 200, 210), outline=(40, 40, 40), width=8)
    draw.text((100, 60), text, fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x0110] = "Demo Phone"
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        for ref_tag, value_tag, value, refs in ((1, 2, gps[0], "NS"), (3, 4, gps[1], "EW")):
            degrees = abs(value)
            d = int(degrees)
            m = int((degrees - d) * 60)
            s = (degrees - d - m / 60) * 3600
            gps_ifd[ref_tag] = refs[0] if value >= 0 else refs[1]
            gps_ifd[value_tag] = (IFDRational(d, 1), IFDRational(m, 1), IFDRational(round(s * 100), 100))
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _report(*, author, project, key: str, data: dict, observed=None, photos=()) -> FieldReport:
    outputs = []
    if observed is not None:
        outputs = [{"output": o, "observed": True, "note": observed} for o in project.outputs.all()]
    report, _ = services.field_report_save(
        actor=author,
        client_id=uuid.uuid5(NAMESPACE, key),
        project=project,
        data=data,
        outputs=outputs,
        photos=list(photos),
        submit=True,
    )
    return report


def load(out) -> None:
    staff = User.objects.get(username="chuyenvien")
    leader = User.objects.get(username="lanhdao")
    thuy = User.objects.get(username="kcv.thuynguyen")
    hai = User.objects.get(username="kcv.cathai")

    fish = _project(level=Level.NATIONAL, year=2021, keywords="đánh đảo chượp")
    rattan = _project(level=Level.LOCAL, year=2021, keywords="mây tre đan")
    bottling = _project(level=Level.LOCAL, year=2021, keywords="chiết rót|nước mắm")
    clean_2026 = _project(level=Level.LOCAL, year=2026, keywords="sản xuất sạch hơn|nước mắm")

    # 2021 visit reports with photos.
    _report(
        author=hai,
        project=fish,
        key="fish-2021-09",
        data={
            "visit_date": dt.date(2021, 9, 20),
            "progress_percent": 90,
            "observations": "Hệ thống máy đánh đảo chượp đã lắp tại 6 bể, chạy thử ổn định; "
            "cơ sở ghi nhật ký vận hành.",
            "recommendations": "Đề nghị tổ chức nghiệm thu trong tháng 11/2021.",
            "latitude": Decimal("20.796100"),
            "longitude": Decimal("106.886300"),
            "location_accuracy_m": 12,
        },
        observed="Đã lắp, số seri DDC-2021-001",
        photos=[
            _photo(
                "be-chuop.jpg",
                "Be chuop so 3",
                (60, 110, 150),
                gps=(20.7961, 106.8863),
                taken=dt.datetime(2021, 9, 20, 9, 15),
            ),
            _photo("tu-dien.jpg", "Tu dien dieu khien", (120, 90, 60), taken=dt.datetime(2021, 9, 20, 9, 40)),
        ],
    )
    _report(
        author=thuy,
        project=rattan,
        key="rattan-2021-10",
        data={
            "visit_date": dt.date(2021, 10, 5),
            "progress_percent": 100,
            "observations": "Lớp 2 đang học kỹ thuật đan giỏ xuất khẩu; 30/30 học viên có mặt.",
            "recommendations": "",
        },
        observed="Đủ 2 lớp, 60 học viên theo danh sách",
        photos=[
            _photo(
                "lop-hoc.jpg",
                "Lop dan may tre",
                (90, 140, 80),
                gps=(20.9702, 106.6521),
                taken=dt.datetime(2021, 10, 5, 14, 5),
            )
        ],
    )
    bottling_report = _report(
        author=hai,
        project=bottling,
        key="bottling-2021-11",
        data={
            "visit_date": dt.date(2021, 11, 10),
            "progress_percent": 50,
            "observations": "Máy chiết rót thứ nhất đã về; máy thứ hai chưa giao.",
            "has_problem": True,
            "problem": "Nhà cung cấp chậm giao máy thứ hai, dự kiến lùi 1 tháng.",
            "recommendations": "Đề nghị Trung tâm làm việc với nhà cung cấp.",
        },
        photos=[_photo("may-chiet.jpg", "May chiet rot", (150, 150, 160), taken=dt.datetime(2021, 11, 10, 10, 30))],
    )
    if bottling_report.problem_open:
        services.field_report_acknowledge(
            actor=staff, report=bottling_report, note="Đã gửi công văn đề nghị nhà cung cấp giao máy trước 15/12/2021."
        )

    # An inspection with a follow-up action left overdue (it shows on the overdue list).
    if not Inspection.objects.filter(project=bottling).exists():
        services.inspection_save(
            actor=staff,
            project=bottling,
            data={
                "kind": "kiem_tra",
                "status": "done",
                "planned_date": dt.date(2021, 11, 25),
                "done_date": dt.date(2021, 11, 26),
                "external_members": "Đại diện UBND huyện Cát Hải",
                "findings": "Máy thứ nhất vận hành; máy thứ hai chưa về; hồ sơ thanh toán tạm ứng đầy đủ.",
                "conclusions": "Đề án chậm tiến độ khoảng 1 tháng do nhà cung cấp.",
            },
            team=[staff, leader],
            actions=[
                {
                    "description": "Báo cáo ngày giao máy chiết rót thứ hai",
                    "owner": hai,
                    "due_date": dt.date(2021, 12, 15),
                }
            ],
        )

    # The acceptance of the fish-sauce machinery đề án.
    if not fish.acceptances.exists():
        council = [
            {
                "full_name": "Phạm Minh Đức",
                "position": "Phó Giám đốc Sở",
                "organisation": "Sở Công Thương Hải Phòng",
                "role": "chair",
            },
            {
                "full_name": "Nguyễn Thị Lan",
                "position": "Phó Giám đốc",
                "organisation": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng",
                "role": "vice_chair",
            },
            {
                "full_name": "Hoàng Văn Nam",
                "position": "Phó Chủ tịch",
                "organisation": "UBND huyện Cát Hải",
                "role": "member",
            },
            {
                "full_name": "Bùi Văn Hưng",
                "position": "Chủ nhiệm",
                "organisation": "Hợp tác xã Nước mắm Cát Hải",
                "role": "beneficiary",
            },
            {
                "full_name": "Trần Thị Hồng",
                "position": "Chuyên viên",
                "organisation": "Sở Công Thương Hải Phòng",
                "role": "secretary",
                "user": staff,
            },
        ]
        data = {
            "held_on": dt.date(2021, 11, 25),
            "held_at_time": dt.time(9, 0),
            "place": "Hợp tác xã Nước mắm Cát Hải, thị trấn Cát Hải",
            "decision_reference": "3569/QĐ-BCT ngày 30/12/2020 của Bộ Công Thương",
            "result": AcceptanceResult.PASSED,
            "assessment": "Hệ thống máy đánh đảo chượp vận hành ổn định, giảm 60 % công lao động đảo chượp thủ công; "
            "chất lượng nước mắm đồng đều.",
            "requests": "Cơ sở duy trì nhật ký vận hành; Trung tâm tổng hợp hồ sơ thanh quyết toán.",
        }
        outputs = [
            {"output": o, "achieved_quantity": o.planned_quantity, "remarks": "Lắp đặt tại 6 bể chượp, vận hành tốt"}
            for o in fish.outputs.all()
        ]
        funds = {"kcqg": 600_000_000, "doi_ung": 1_400_000_000}
        kwargs = {
            "actor": staff,
            "project": fish,
            "data": data,
            "council": council,
            "outputs": outputs,
            "funds_used": funds,
        }
        if fish.status == ProjectStatus.AWAITING_ACCEPTANCE:
            services.acceptance_record(**kwargs)
        else:  # the projects demo already moved it to ACCEPTED: enter its biên bản
            services.acceptance_import(**kwargs)

    # 2026: a survey visit on a đề án still being prepared, with a problem nobody has acknowledged yet.
    _report(
        author=hai,
        project=clean_2026,
        key="clean-2026-survey",
        data={
            "visit_date": dt.date(2026, 2, 10),
            "observations": "Khảo sát trước khi đăng ký đề án: hệ thống bể chượp cũ, nước thải chảy ra mương chung.",
            "has_problem": True,
            "problem": "Bể chứa nước thải bị nứt, rò rỉ ra mương; cần sửa trước khi lắp thiết bị xử lý.",
            "recommendations": "Đề nghị Sở hướng dẫn cơ sở bổ sung hạng mục sửa bể vào dự toán đối ứng.",
        },
        photos=[
            _photo(
                "be-nuoc-thai.jpg",
                "Be nuoc thai",
                (100, 80, 70),
                gps=(20.7955, 106.8871),
                taken=dt.datetime(2026, 2, 10, 8, 50),
            )
        ],
    )

    reports = FieldReport.objects.filter(status=ReportStatus.SUBMITTED)
    out.write(
        f"Kiểm tra: {reports.count()} báo cáo thực địa, {Inspection.objects.count()} đợt kiểm tra, "
        f"{fish.acceptances.count()} biên bản nghiệm thu ({fish.code})."
    )
