"""Small data sets for the đề án document kinds (approval report, biên bản nghiệm thu, field report, inspection),
written straight to the models: the apps' own tests cover how the services write them."""

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budgets.models import FundingLine
from field.models import (
    Acceptance,
    AcceptanceFunding,
    AcceptanceOutput,
    CouncilMember,
    FieldReport,
    Inspection,
    ReportPhoto,
    ReportStatus,
)
from projects.models import ActivityContent, DecisionItem, ProjectKind, ProjectStatus
from tests.conftest import AREA_A
from tests.factories import BeneficiaryFactory, DecisionFactory, ProjectFactory, first_commune
from tests.field.helpers import jpeg_bytes


def approved_project(*, decision, area=AREA_A, level="kcdp", amounts=None, kind=ProjectKind.PROJECT, **over):
    """An approved đề án listed in `decision`, with one funding line per source (approved = estimated)."""
    project = ProjectFactory(
        in_the_field=True, area=area, status=ProjectStatus.APPROVED, level=level, kind=kind, outputs=1, **over
    )
    project.beneficiaries.set([BeneficiaryFactory(unit=project.unit, name=f"Cơ sở cơ khí {project.code}")])
    project.contents.set([ActivityContent.objects.get(code="4.3")])
    item = DecisionItem.objects.create(decision=decision, project=project, position=project.pk)
    for source, amount in (amounts or {"kcdp": 300_000_000, "doi_ung": 200_000_000}).items():
        FundingLine.objects.create(
            project=project,
            source=source,
            cost_item="thiet_bi",
            estimated_cost=amount,
            approved_amount=amount,
            decision_item=item,
        )
    return project


def plan_decision(**over):
    return DecisionFactory(number=over.pop("number", "812/QĐ-UBND"), signed_on=dt.date(2021, 3, 25), **over)


def acceptance(*, area=AREA_A, used=None, **over) -> Acceptance:
    project = ProjectFactory(
        in_the_field=True, area=area, status=ProjectStatus.ACCEPTED, outputs=2, title="Ứng dụng máy đánh đảo chượp"
    )
    project.beneficiaries.set([BeneficiaryFactory(unit=project.unit, name="Hợp tác xã Nước mắm Cát Hải")])
    data = {
        "project": project,
        "held_on": dt.date(2021, 11, 25),
        "held_at_time": dt.time(9, 0),
        "place": "Hợp tác xã Nước mắm Cát Hải",
        "contract_reference": project.contract_number,
        "contract_date": project.contract_date,
        "decision_reference": "812/QĐ-UBND ngày 25/3/2021 của UBND thành phố Hải Phòng",
        "result": "passed",
        "assessment": "Hệ thống máy vận hành ổn định.",
        "requests": "Cơ sở duy trì nhật ký vận hành.",
    }
    data.update(over)
    record = Acceptance.objects.create(**data)
    for order, (name, org, role) in enumerate(
        [
            ("Phạm Minh Đức", "Sở Công Thương Hải Phòng", "chair"),
            ("Trần Thị Hồng", "Sở Công Thương Hải Phòng", "secretary"),
            ("Bùi Văn Hưng", "Hợp tác xã Nước mắm Cát Hải", "beneficiary"),
            ("Lê Quang Vinh", "Trung tâm Khuyến công", "implementer"),
        ]
    ):
        CouncilMember.objects.create(acceptance=record, full_name=name, organisation=org, role=role, sort_order=order)
    for output in project.outputs.all():
        AcceptanceOutput.objects.create(
            acceptance=record,
            output=output,
            description=output.description,
            unit_of_measure=output.unit_of_measure,
            planned_quantity=output.planned_quantity,
            achieved_quantity=Decimal("1"),
            remarks="Lắp đặt đúng thiết kế",
        )
    for source, (approved, spent) in (used or {"kcdp": (1_000_000, 1_000_000), "doi_ung": (5, 5)}).items():
        AcceptanceFunding.objects.create(acceptance=record, source=source, approved_amount=approved, used_amount=spent)
    return record


def photo_file(name: str, color) -> tuple[SimpleUploadedFile, str]:
    content = jpeg_bytes(size=(640, 480), color=color, extra=False)
    return SimpleUploadedFile(name, content, content_type="image/jpeg"), hashlib.sha256(content).hexdigest()


def add_photo(report: FieldReport, name: str, color=(30, 120, 200)) -> ReportPhoto:
    image, digest = photo_file(name, color)
    thumb, _ = photo_file(f"thumb-{name}", color)
    return ReportPhoto.objects.create(
        report=report, image=image, thumbnail=thumb, sha256=digest, original_name=name, caption=f"Ảnh {name}"
    )


def field_report(*, author, area=AREA_A, photos=2, submitted=True) -> FieldReport:
    project = ProjectFactory(in_the_field=True, area=area, status=ProjectStatus.IN_PROGRESS)
    report = FieldReport.objects.create(
        author=author,
        project=project,
        unit=project.unit,
        status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
        visit_date=dt.date(2021, 9, 20),
        progress_percent=90,
        observations="Hệ thống máy đã lắp tại 6 bể, chạy thử ổn định.",
        has_problem=True,
        problem="Nhà cung cấp chậm giao máy thứ hai.",
    )
    for i in range(photos):
        add_photo(report, f"be-chuop-{i + 1}.jpg", color=(30 + 60 * i, 120, 200))
    return report


def inspection(*, area=AREA_A, status="done", team=()) -> Inspection:
    project = ProjectFactory(in_the_field=True, area=area, status=ProjectStatus.IN_PROGRESS)
    record = Inspection.objects.create(
        project=project,
        kind="kiem_tra",
        status=status,
        planned_date=dt.date(2021, 11, 26),
        done_date=dt.date(2021, 11, 26) if status == "done" else None,
        external_members="Đại diện UBND huyện Cát Hải",
        findings="Máy thứ nhất vận hành; máy thứ hai chưa về.",
        conclusions="Đề án chậm tiến độ khoảng 1 tháng do nhà cung cấp.",
    )
    record.team.set(team)
    return record


def first_commune_b():
    return first_commune("/31/d317/")
