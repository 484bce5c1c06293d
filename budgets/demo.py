"""Demo money for the Hải Phòng 2021 plan that projects/demo.py creates (domain.md §9).

The article gives the totals: 3.108,129 triệu đồng of support budget, of which KCQG 600 triệu and KCĐP 986,629
triệu; the remaining 1.521,5 triệu is taken as the establishments' counterpart money. How the totals split over the
đề án, the envelopes, payments and document numbers are invented for the demo, and chosen so that every đề án
respects the ceilings in force when it was approved (Thông tư 28/2018/TT-BTC): the lines are written through
the same checks as the editor, so a figure that broke a ceiling would stop the load.

Demo loaders: the demo writes a year that is over, on đề án already settled or closed, where the services refuse
a payment or a settlement by state. The three `_load_*` functions below are the only way round those role and state
checks (never the money checks); they are private to this module and exist for `load_demo` alone.
"""

import datetime as dt

from accounts.models import User
from budgets import services
from budgets.models import BudgetAllocation, FundingLine, SupportCeiling
from budgets.services import LineInput
from projects.models import Decision, Level, Project, ProjectKind, ProjectStatus

S = ProjectStatus
MODEL = "Xây dựng mô hình trình diễn kỹ thuật"
MACHINERY = "Ứng dụng máy móc thiết bị tiên tiến"
LINE = "Ứng dụng dây chuyền công nghệ đồng bộ"
NONE = "none"  # staff record that the đề án is none of the capped cases of its contents

TOTAL_2021 = 3_108_129_000
NATIONAL_2021 = 600_000_000
LOCAL_2021 = 986_629_000
COUNTERPART_2021 = 1_521_500_000

# code: (ceiling, units, [(source, cost item, description, estimated = approved)])
PLAN_2021 = {
    # KCQG: a demonstration model of the stirring machinery, 30 % of 2.000.000.000 đ = 600.000.000 đ.
    "KCQG-2021-01": (
        MODEL,
        1,
        [
            ("kcqg", "thiet_bi", "Hệ thống máy đánh đảo chượp", 560_000_000),
            ("kcqg", "dao_tao", "Hướng dẫn vận hành, chuyển giao kỹ thuật", 25_000_000),
            ("kcqg", "to_chuc", "Hội nghị giới thiệu mô hình", 15_000_000),
            ("doi_ung", "thiet_bi", "Nhà xưởng, bể chượp, lắp đặt", 1_400_000_000),
        ],
    ),
    "KCĐP-2021-01": (
        MACHINERY,
        1,
        [("kcdp", "thiet_bi", "Máy đúc áp lực", 30_000_000), ("doi_ung", "thiet_bi", "Máy đúc áp lực", 30_000_000)],
    ),
    "KCĐP-2021-02": (
        None,
        1,
        [
            ("kcdp", "dao_tao", "Hai lớp đào tạo nghề, 60 học viên", 330_000_000),
            ("kcdp", "tai_lieu", "Giáo trình, tài liệu học nghề", 20_000_000),
        ],
    ),
    "KCĐP-2021-03": (
        MACHINERY,
        1,
        [
            ("kcdp", "thiet_bi", "Máy chạm khắc CNC", 25_000_000),
            ("doi_ung", "thiet_bi", "Máy chạm khắc CNC", 25_000_000),
        ],
    ),
    "KCĐP-2021-04": (
        LINE,
        1,
        [
            ("kcdp", "thiet_bi", "Dây chuyền tráng bánh đa", 20_000_000),
            ("doi_ung", "thiet_bi", "Dây chuyền tráng bánh đa", 20_000_000),
        ],
    ),
    # 30 % of 45.000.000 đ = 13.500.000 đ: exactly at the ceiling.
    "KCĐP-2021-05": (
        MODEL,
        1,
        [
            ("kcdp", "thiet_bi", "Mô hình trình diễn máy nông nghiệp", 13_500_000),
            ("doi_ung", "thiet_bi", "Mô hình trình diễn máy nông nghiệp", 31_500_000),
        ],
    ),
    "KCĐP-2021-06": (
        NONE,
        1,
        [
            ("kcdp", "thiet_bi", "Tủ, kệ, chiếu sáng phòng trưng bày", 263_129_000),
            ("kcdp", "to_chuc", "Khai trương, giới thiệu", 20_000_000),
        ],
    ),
    "KCĐP-2021-07": (
        MACHINERY,
        2,
        [
            ("kcdp", "thiet_bi", "Máy chiết rót, đóng chai (2 cơ sở)", 15_000_000),
            ("doi_ung", "thiet_bi", "Máy chiết rót, đóng chai (2 cơ sở)", 15_000_000),
        ],
    ),
    "KCĐP-2021-DT1": (
        NONE,
        1,
        [
            ("kcdp", "to_chuc", "Tổ chức bình chọn, hội đồng giám khảo", 230_000_000),
            ("kcdp", "tai_lieu", "Ấn phẩm, giấy chứng nhận", 20_000_000),
        ],
    ),
}

# Share of the state lines paid by the demo, by the đề án's state.
PAID_SHARE = {
    S.IN_PROGRESS: 50,
    S.AWAITING_ACCEPTANCE: 70,
    S.ACCEPTED: 100,
    S.CONTRACT_CLOSED: 100,
    S.SETTLED: 100,
}
SETTLED_STATES = {S.CONTRACT_CLOSED, S.SETTLED}


def _check_plan(projects: dict[str, Project]) -> None:
    """Fails loudly when projects/demo.py no longer creates the đề án these figures belong to."""
    missing = sorted(set(PLAN_2021) - set(projects))
    if missing:
        raise RuntimeError(f"budgets.demo: thiếu đề án năm 2021 {missing}; cần chạy projects.demo trước.")
    national = [p for p in projects.values() if p.level == Level.NATIONAL]
    local = [p for p in projects.values() if p.level == Level.LOCAL and p.kind == ProjectKind.PROJECT]
    tasks = [p for p in projects.values() if p.level == Level.LOCAL and p.kind == ProjectKind.TASK]
    if (len(national), len(local), len(tasks)) != (1, 7, 1):
        raise RuntimeError(
            f"budgets.demo: năm 2021 cần 1 đề án KCQG, 7 đề án KCĐP và 1 dự toán; có "
            f"{len(national)}, {len(local)}, {len(tasks)}."
        )
    figures = [row for _c, _u, rows in PLAN_2021.values() for row in rows]
    by_source = {src: sum(r[3] for r in figures if r[0] == src) for src in ("kcqg", "kcdp", "doi_ung")}
    assert by_source == {"kcqg": NATIONAL_2021, "kcdp": LOCAL_2021, "doi_ung": COUNTERPART_2021}, by_source
    assert sum(by_source.values()) == TOTAL_2021


def _load_lines(**kwargs):
    """Demo loader: the đề án's lines, as funding_lines_save writes them, without its role and state check."""
    return services._write_funding_lines(**kwargs)


def _load_disbursement(**kwargs):
    """Demo loader: a past payment, as disbursement_create writes it, without its role and state check."""
    return services._write_disbursement(**kwargs)


def _load_settlement(**kwargs):
    """Demo loader: a past settlement, as settlement_record writes it, without its role and state check."""
    return services._write_settlement(**kwargs)


def _pay(project: Project, staff) -> None:
    share = PAID_SHARE.get(project.status, 0)
    for line in FundingLine.objects.filter(project=project, source__in=("kcqg", "kcdp")).order_by("id"):
        total = line.approved_amount * share // 100
        advance = min(total, line.approved_amount // 2)
        payments = [("tam_ung", dt.date(2021, 5, 10), advance), ("thanh_toan", dt.date(2021, 11, 25), total - advance)]
        for index, (kind, day, amount) in enumerate(payments, start=1):
            if amount > 0:
                _load_disbursement(
                    line=line,
                    kind=kind,
                    paid_on=day,
                    amount=amount,
                    document_number=f"UNC-{project.pk:03d}-{line.pk:03d}-{index}",
                    note="Số liệu minh họa.",
                    actor=staff,
                )
    if project.status in SETTLED_STATES:
        for line in FundingLine.objects.filter(project=project).order_by("id"):
            _load_settlement(
                line=line,
                amount=line.approved_amount,
                settled_on=dt.date(2021, 12, 28),
                document_number=f"QT-{project.pk:03d}/2021",
                note="Số liệu minh họa.",
                actor=staff,
            )


def load(out) -> None:
    staff = User.objects.get(username="chuyenvien")
    projects = {p.code: p for p in Project.objects.filter(plan_year=2021)}
    _check_plan(projects)

    for level, amount, number, basis in [
        (Level.NATIONAL, NATIONAL_2021, "3569/QĐ-BCT", "Kế hoạch khuyến công quốc gia năm 2021 (minh họa)"),
        (Level.LOCAL, 1_000_000_000, "812/QĐ-UBND", "Dự toán khuyến công địa phương năm 2021 (minh họa)"),
    ]:
        BudgetAllocation.objects.get_or_create(
            level=level,
            year=2021,
            defaults={
                "amount": amount,
                "decision": Decision.objects.filter(number=number).first(),
                "legal_basis": basis,
                "notes": "Số liệu minh họa.",
            },
        )

    ceilings = {c.title: c for c in SupportCeiling.objects.filter(effective_to__isnull=True, level="")}
    written = 0
    for code, (ceiling, units, rows) in PLAN_2021.items():
        project = projects[code]
        if FundingLine.objects.filter(project=project).exists():
            continue
        _load_lines(
            project=project,
            lines=[
                LineInput(source=src, cost_item=item, description=text, estimated_cost=amount, approved_amount=amount)
                for src, item, text, amount in rows
            ],
            ceiling=ceilings[ceiling] if ceiling not in (None, NONE) else None,
            ceiling_not_applicable=ceiling == NONE,
            ceiling_units=units,
        )
        _pay(project, staff)
        written += 1
    out.write(f"Kinh phí: thêm {written} đề án; năm 2021 tổng {TOTAL_2021:,} đồng.".replace(",", "."))
