"""Demo đề án: the Hải Phòng 2021 plan (domain.md §9) and a few 2026 đề án in the merged city's communes.

The 2021 figures follow the public article: 1 KCQG đề án (fish-sauce stirring machinery, approved by the Ministry),
7 KCĐP đề án and 1 dự toán approved by one city decision. Decision numbers, dates, contracts and titles other
than the fish-sauce đề án are invented for the demo. Every state change goes through the services, so the
timeline and history look as they would in use.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from accounts.models import User
from areas.models import AdministrativeUnit
from areas.selectors import current_communes_from
from beneficiaries.models import Beneficiary
from projects.models import (
    ActivityContent,
    AdjustmentKind,
    AnnualPlan,
    AppraisalResult,
    Decision,
    DecisionKind,
    LegalBasis,
    Level,
    Organisation,
    Project,
    ProjectKind,
    ProjectStatus,
)
from projects.services import adjustment_request, decision_create, project_create, project_transition

S = ProjectStatus
CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng"

# The lifecycle path up to each demo state, after APPROVED.
AFTER_APPROVAL = [S.CONTRACTED, S.IN_PROGRESS, S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.CONTRACT_CLOSED, S.SETTLED]

# code, kind, title, beneficiary names, contents, outputs, final state
PLAN_2021_LOCAL = [
    (
        "KCĐP-2021-01",
        ProjectKind.PROJECT,
        "Hỗ trợ ứng dụng máy đúc áp lực trong sản xuất phụ tùng cơ khí",
        ["Công ty TNHH Cơ khí đúc Thành Phương"],
        ["4.3"],
        [("Máy đúc áp lực", "máy", 1)],
        S.CONTRACT_CLOSED,
    ),
    (
        "KCĐP-2021-02",
        ProjectKind.PROJECT,
        "Đào tạo nghề mây tre đan xuất khẩu cho lao động nông thôn",
        ["Hợp tác xã Mây tre đan Liên Xuân"],
        ["4.1"],
        [("Lớp đào tạo nghề", "lớp", 2), ("Học viên", "người", 60)],
        S.ACCEPTED,
    ),
    (
        "KCĐP-2021-03",
        ProjectKind.PROJECT,
        "Hỗ trợ ứng dụng máy chạm khắc CNC trong sản xuất đồ gỗ mỹ nghệ",
        ["Cơ sở mộc mỹ nghệ Bảo Hà"],
        ["4.3"],
        [("Máy chạm khắc CNC 4 đầu", "máy", 1)],
        S.IN_PROGRESS,
    ),
    (
        "KCĐP-2021-04",
        ProjectKind.PROJECT,
        "Hỗ trợ ứng dụng dây chuyền tráng bánh đa tự động",
        ["Công ty TNHH Chế biến thực phẩm Tiên Lãng"],
        ["4.3"],
        [("Dây chuyền tráng bánh", "dây chuyền", 1)],
        S.AWAITING_ACCEPTANCE,
    ),
    (
        "KCĐP-2021-05",
        ProjectKind.PROJECT,
        "Xây dựng mô hình trình diễn kỹ thuật sản xuất máy nông nghiệp cỡ nhỏ",
        ["Công ty TNHH Cơ khí An Lão"],
        ["4.3"],
        [("Mô hình trình diễn", "mô hình", 1)],
        S.SETTLED,
    ),
    (
        "KCĐP-2021-06",
        ProjectKind.PROJECT,
        "Hỗ trợ xây dựng phòng trưng bày giới thiệu sản phẩm gốm",
        ["Tổ hợp tác Gốm Kiến Thụy"],
        ["4.4"],
        [("Phòng trưng bày", "phòng", 1)],
        S.IN_PROGRESS,
    ),
    (
        "KCĐP-2021-07",
        ProjectKind.PROJECT,
        "Hỗ trợ ứng dụng máy chiết rót, đóng chai nước mắm",
        ["Cơ sở chế biến nước mắm Hoàng Châu", "Hợp tác xã Nước mắm Cát Hải"],
        ["4.3"],
        [("Máy chiết rót, đóng chai", "máy", 2)],
        S.IN_PROGRESS,
    ),
    (
        "KCĐP-2021-DT1",
        ProjectKind.TASK,
        "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu thành phố Hải Phòng năm 2021",
        [],
        ["4.4"],
        [("Sản phẩm được công nhận", "sản phẩm", 15)],
        S.ACCEPTED,
    ),
]

PLAN_2026 = [
    (
        "KCĐP-2026-01",
        "Hỗ trợ ứng dụng máy đóng gói gạo tự động",
        "Công ty CP Sản xuất Thương mại Nông sản Tuấn Linh",
        ["4.3"],
        S.APPRAISED,
    ),
    (
        "KCĐP-2026-02",
        "Hỗ trợ chuyển đổi số trong quản lý sản xuất hàng may mặc",
        "Công ty TNHH Dệt may Việt Khê",
        ["4.9"],
        S.REGISTERED,
    ),
    (
        "KCĐP-2026-03",
        "Hỗ trợ sản xuất sạch hơn trong chế biến nước mắm truyền thống",
        "Hợp tác xã Nước mắm Cát Hải",
        ["4.3", "4.10"],
        S.DRAFT,
    ),
]


def _advance(project: Project, target: str, *, staff, leader, when_year=2021) -> Project:
    """Walks a đề án through the lifecycle up to `target` using the real service. APPROVED comes from a
    decision (decision_create(approve=True)), so the walk stops before it until the decision exists."""
    order = [S.REGISTERED, S.APPRAISED, S.APPROVED, *AFTER_APPROVAL]
    steps = order[: order.index(target) + 1] if target in order else []
    for step in steps:
        if _index(project.status) >= _index(step) or step == S.APPROVED:
            continue
        kwargs = {}
        if step == S.APPRAISED:
            if when_year == 2026:
                appraised_on = dt.date(2025, 11, 20)
            else:
                appraised_on = dt.date(2020, 6, 15) if project.level == Level.NATIONAL else dt.date(2021, 2, 20)
            kwargs = {
                "appraisal_result": AppraisalResult.PASSED,
                "appraisal_remarks": "Hội đồng thẩm định thống nhất: đề án đạt yêu cầu.",
                "appraised_on": appraised_on,
            }
        elif step == S.CONTRACTED:
            parties = ", ".join(b.name for b in project.beneficiaries.all()) or "các đơn vị phối hợp"
            kwargs = {
                "contract_number": f"{project.pk:02d}/2021/HĐ-KC",
                "contract_date": dt.date(2021, 4, 15),
                "contract_parties": f"{CENTRE} và {parties}",
            }
        elif step == S.ACCEPTED:
            # The field app records the real biên bản nghiệm thu; the demo stands one in so the history reads right.
            kwargs = {"acceptance": SimpleNamespace(project_id=project.pk)}
        project = project_transition(actor=staff, project=project, to=step, comment=_COMMENTS.get(step, ""), **kwargs)
    return project


def _index(status: str) -> int:
    order = [S.DRAFT, S.REGISTERED, S.APPRAISED, S.APPROVED, *AFTER_APPROVAL]
    return order.index(status) if status in order else -1


_COMMENTS = {
    S.REGISTERED: "Đơn vị nộp hồ sơ đăng ký đề án.",
    S.CONTRACTED: "Ký hợp đồng thực hiện đề án.",
    S.IN_PROGRESS: "Bắt đầu triển khai.",
    S.AWAITING_ACCEPTANCE: "Cơ sở báo cáo hoàn thành, đề nghị nghiệm thu.",
    S.ACCEPTED: "Hội đồng nghiệm thu kết luận: đạt.",
    S.CONTRACT_CLOSED: "Đã thanh lý hợp đồng.",
    S.SETTLED: "Đã phê duyệt quyết toán.",
}


def _outputs(rows):
    return [{"description": d, "unit_of_measure": u, "planned_quantity": Decimal(q)} for d, u, q in rows]


def _contents(codes):
    return list(ActivityContent.objects.filter(code__in=codes))


def _beneficiaries(names):
    found = list(Beneficiary.objects.filter(name__in=names))
    return sorted(found, key=lambda b: names.index(b.name))


# What the contracts' party blocks print for the implementing units (demo values: names, codes and accounts are
# made up). The Sở is represented by the issuing body's signer, so it has no representative of its own here.
ORGANISATION_DETAILS = {
    CENTRE: {
        "address": "Số 16 Lạch Tray, phường Lạch Tray, quận Ngô Quyền, thành phố Hải Phòng",
        "representative": "Vũ Đức Thắng",
        "representative_title": "Giám đốc",
        "phone": "0225 3846 521",
        "tax_code": "0200999901",
        "bank_account": "3713.0.1058234",
        "bank_name": "Kho bạc Nhà nước Hải Phòng",
    },
    "Sở Công Thương thành phố Hải Phòng": {
        "address": "Số 14 Hoàng Diệu, phường Minh Khai, quận Hồng Bàng, thành phố Hải Phòng",
        "phone": "0225 3842 666",
        "tax_code": "0200999902",
        "bank_account": "9523.1.1056789",
        "bank_name": "Kho bạc Nhà nước Hải Phòng",
    },
}


def _organisation_details() -> None:
    """Fills in what is still blank (an admin's later edit is kept)."""
    for name, details in ORGANISATION_DETAILS.items():
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            continue
        blank = {field: value for field, value in details.items() if not getattr(organisation, field)}
        if blank:
            for field, value in blank.items():
                setattr(organisation, field, value)
            organisation.full_clean()
            organisation.save()


def load(out) -> None:
    staff = User.objects.get(username="chuyenvien")
    leader = User.objects.get(username="lanhdao")
    _organisation_details()
    centre = Organisation.objects.get(name=CENTRE)
    decree_45 = LegalBasis.objects.get(number="45/2012/NĐ-CP")
    decree_235 = LegalBasis.objects.get(number="235/2025/NĐ-CP")
    city = AdministrativeUnit.objects.get(path="/31/")
    created = 0

    # KCQG 2021: the fish-sauce stirring đề án, approved by the Ministry, accepted in 2021.
    if not Project.objects.filter(code="KCQG-2021-01").exists():
        fish = _beneficiaries(["Hợp tác xã Nước mắm Cát Hải"])
        project = project_create(
            actor=staff,
            data={
                "kind": ProjectKind.PROJECT,
                "code": "KCQG-2021-01",
                "title": "Ứng dụng máy móc thiết bị tiên tiến vào khâu đánh đảo chượp trong sản xuất nước mắm",
                "level": Level.NATIONAL,
                "plan_year": 2021,
                "implementing_unit": centre,
                "unit": fish[0].unit if fish else city,
                "start_date": dt.date(2021, 3, 1),
                "end_date": dt.date(2021, 11, 30),
                "objectives": "Cơ giới hóa khâu đánh đảo chượp, giảm lao động nặng nhọc, ổn định chất lượng nước mắm.",
                "expected_results": "Hệ thống đánh đảo chượp vận hành ổn định; năng suất tăng 30 %.",
                "expected_jobs": 10,
                "legal_basis": decree_45,
                "contents": _contents(["4.3"]),
                "beneficiaries": fish,
            },
            outputs=_outputs([("Hệ thống máy đánh đảo chượp", "hệ thống", 1)]),
        )
        project = _advance(project, S.APPRAISED, staff=staff, leader=leader)
        ministry = decision_create(
            actor=staff,
            data={
                "number": "3569/QĐ-BCT",
                "signed_on": dt.date(2020, 12, 30),
                "issuing_body": "Bộ Công Thương",
                "signer": "Lê Quang Huy",
                "signer_title": "KT. Bộ trưởng, Thứ trưởng",
                "kind": DecisionKind.PLAN_APPROVAL,
                "level": Level.NATIONAL,
                "summary": "Giao kế hoạch và kinh phí khuyến công quốc gia năm 2021 (số hiệu minh họa).",
            },
            projects=[project],
            approve=True,
        )
        AnnualPlan.objects.get_or_create(
            level=Level.NATIONAL,
            year=2021,
            defaults={"title": "Kế hoạch khuyến công quốc gia năm 2021 tại Hải Phòng", "decision": ministry},
        )
        _advance(Project.objects.get(pk=project.pk), S.ACCEPTED, staff=staff, leader=leader)
        created += 1

    # KCĐP 2021: 7 đề án and 1 dự toán in one city decision.
    new_local = []
    for code, kind, title, names, codes, outputs, _final in PLAN_2021_LOCAL:
        if Project.objects.filter(code=code).exists():
            continue
        beneficiaries = _beneficiaries(names)
        project = project_create(
            actor=staff,
            data={
                "kind": kind,
                "code": code,
                "title": title,
                "level": Level.LOCAL,
                "plan_year": 2021,
                "implementing_unit": centre,
                "unit": beneficiaries[0].unit if beneficiaries else city,
                "start_date": dt.date(2021, 4, 1),
                "end_date": dt.date(2021, 12, 15),
                "objectives": title + ".",
                "legal_basis": decree_45,
                "contents": _contents(codes),
                "beneficiaries": beneficiaries,
            },
            outputs=_outputs(outputs),
        )
        new_local.append(_advance(project, S.APPRAISED, staff=staff, leader=leader))
        created += 1
    if new_local:
        city_decision = decision_create(
            actor=staff,
            data={
                "number": "812/QĐ-UBND",
                "signed_on": dt.date(2021, 3, 25),
                "issuing_body": "UBND thành phố Hải Phòng",
                "signer": "Trần Văn Minh",
                "signer_title": "Chủ tịch",
                "kind": DecisionKind.PLAN_APPROVAL,
                "level": Level.LOCAL,
                "summary": "Phê duyệt kế hoạch và kinh phí khuyến công địa phương năm 2021 (số hiệu minh họa).",
            },
            projects=new_local,
            approve=True,
        )
        AnnualPlan.objects.get_or_create(
            level=Level.LOCAL,
            year=2021,
            defaults={"title": "Kế hoạch khuyến công địa phương năm 2021", "decision": city_decision},
        )
        finals = {row[0]: row[6] for row in PLAN_2021_LOCAL}
        for project in new_local:
            _advance(Project.objects.get(pk=project.pk), finals[project.code], staff=staff, leader=leader)
        # The pottery showroom ran late: an extension request waits for the city's decision.
        gom = Project.objects.get(code="KCĐP-2021-06")
        adjustment_request(
            actor=staff,
            project=gom,
            kind=AdjustmentKind.EXTENSION,
            reason="Mặt bằng phòng trưng bày bàn giao chậm; đề nghị gia hạn sang quý II năm 2022.",
            changes={"end_date": dt.date(2022, 6, 30)},
        )

    # 2026: a few đề án in the communes of the merged city, under Decree 235/2025.
    cat_hai = AdministrativeUnit.objects.get(path="/31/d317/")
    current_cat_hai = current_communes_from(cat_hai).order_by("path").first()
    for code, title, name, codes, final in PLAN_2026:
        if Project.objects.filter(code=code).exists():
            continue
        beneficiaries = _beneficiaries([name])
        unit = beneficiaries[0].unit if beneficiaries else city
        if unit.valid_to is not None:  # an address from before 7/2025: the đề án runs in today's commune
            unit = current_cat_hai or unit
        project = project_create(
            actor=staff,
            data={
                "kind": ProjectKind.PROJECT,
                "code": code,
                "title": title,
                "level": Level.LOCAL,
                "plan_year": 2026,
                "implementing_unit": centre,
                "unit": unit,
                "start_date": dt.date(2026, 3, 1),
                "end_date": dt.date(2026, 11, 30),
                "objectives": title + ".",
                "legal_basis": decree_235,
                "contents": _contents(codes),
                "beneficiaries": beneficiaries,
            },
            outputs=_outputs([("Thiết bị, phần mềm", "bộ", 1)]),
        )
        _advance(project, final, staff=staff, leader=leader, when_year=2026)
        created += 1
    AnnualPlan.objects.get_or_create(
        level=Level.LOCAL, year=2026, defaults={"title": "Kế hoạch khuyến công địa phương năm 2026"}
    )
    if created:
        _backdate_timelines()
    out.write(f"Đề án: thêm {created}, tổng {Project.objects.count()}; quyết định: {Decision.objects.count()}.")


def _backdate_timelines() -> None:
    """The demo walks every đề án through its states today; date each step when it would have happened, so a
    2021 đề án's timeline reads 2020–2022 and not the day the demo was loaded."""
    from django.utils import timezone

    from projects.models import ProjectTransition

    for transition in ProjectTransition.objects.select_related("project", "decision"):
        project = transition.project
        start = project.start_date or dt.date(project.plan_year, 1, 1)
        end = project.end_date or dt.date(project.plan_year, 12, 31)
        registered = dt.date(project.plan_year - 1, 6, 10) if project.plan_year <= 2025 else dt.date(2025, 10, 20)
        day = {
            S.DRAFT: registered - dt.timedelta(days=10),
            S.REGISTERED: registered,
            S.APPRAISED: project.appraised_on or registered + dt.timedelta(days=20),
            S.APPROVED: transition.decision.signed_on if transition.decision_id else start,
            S.CONTRACTED: project.contract_date or start,
            S.IN_PROGRESS: (project.contract_date or start) + dt.timedelta(days=5),
            S.AWAITING_ACCEPTANCE: end,
            S.ACCEPTED: end + dt.timedelta(days=10),
            S.CONTRACT_CLOSED: end + dt.timedelta(days=20),
            S.SETTLED: end + dt.timedelta(days=45),
        }.get(transition.to_status)
        if day is not None:
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
            ProjectTransition.objects.filter(pk=transition.pk).update(at=moment)
