"""The support-ceiling rule: support ≤ min(percent × eligible cost, VND cap × units), for the rule in force on the
đề án's approval date (domain.md §5). Pure reads; the services decide what to do with a breach."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import BudgetException, CeilingBasis, ExceptionKind, ExceptionStatus, SupportCeiling
from budgets.sources import STATE_SOURCES
from core.money import format_dong
from projects.models import APPROVAL_KINDS, DecisionItem


def approval_date(project) -> date | None:
    """The signing date of the first decision that approved the đề án, or None while it has none."""
    item = (
        DecisionItem.objects.filter(project=project, decision__kind__in=APPROVAL_KINDS)
        .select_related("decision")
        .order_by("decision__signed_on")
        .first()
    )
    return item.decision.signed_on if item else None


def rule_date(project) -> date:
    # Before approval the rule that would apply today is the best guide.
    return approval_date(project) or timezone.localdate()


class AmbiguousCeiling(Exception):
    pass


def applicable_ceiling(project, funding, on: date) -> SupportCeiling | None:
    """The version in force on `on` of the rule chosen for the đề án; None when staff recorded that no capped case
    applies; otherwise the only rule of its contents, if there is exactly one. Raises AmbiguousCeiling when its
    contents carry several rules and no choice was made."""
    in_force = (
        SupportCeiling.objects.in_force_on(on)
        .filter(Q(level="") | Q(level=project.level))
        .select_related("activity_content")
        # A level-specific row wins over a row for both levels; the latest version wins.
        .order_by("-level", "-effective_from", "-id")
    )
    if funding is not None and funding.ceiling_id:
        chosen = funding.ceiling
        return in_force.filter(activity_content_id=chosen.activity_content_id, title=chosen.title).first()
    if funding is not None and funding.ceiling_not_applicable:
        return None
    candidates = list(in_force.filter(activity_content__in=project.contents.all()))
    families = {(c.activity_content_id, c.title) for c in candidates}
    if len(families) > 1:
        raise AmbiguousCeiling(
            _(
                "Nội dung của đề án có nhiều mức hỗ trợ (%(rules)s): chọn mức hỗ trợ áp dụng, hoặc xác nhận "
                "đề án không thuộc trường hợp nào."
            )
            % {"rules": "; ".join(sorted({c.title for c in candidates}))}
        )
    return candidates[0] if candidates else None


@dataclass
class CeilingCheck:
    rule: SupportCeiling | None
    on: date
    eligible: int
    support: int
    units: int
    limit: int | None
    exception: BudgetException | None = None

    @property
    def breached(self) -> bool:
        return self.limit is not None and self.support > self.limit

    @property
    def allowed(self) -> bool:
        return not self.breached or self.exception is not None

    @property
    def percent(self):
        return None if not self.eligible else self.support * 100 / self.eligible

    def message(self) -> str:
        rule = self.rule
        if rule is None:
            return _("Không có mức hỗ trợ tối đa áp dụng cho đề án này.")
        parts = []
        if rule.percent_cap is not None:
            parts.append(
                _("%(p)s%% × chi phí hợp lệ %(e)s đồng")
                % {"p": f"{rule.percent_cap.normalize():f}".replace(".", ","), "e": format_dong(self.eligible)}
            )
        if rule.amount_cap is not None:
            units = self.units if rule.basis != CeilingBasis.PER_PROJECT else 1
            parts.append(
                _("%(a)s đồng/%(b)s × %(n)s")
                % {"a": format_dong(rule.amount_cap), "b": rule.get_basis_display(), "n": units}
            )
        values = {
            "support": format_dong(self.support),
            "limit": format_dong(self.limit) if self.limit is not None else "—",
            "rule": rule.title,
            "code": rule.activity_content.code,
            "basis": rule.legal_basis,
            "date": self.on.strftime("%d/%m/%Y"),
            "formula": (
                _("số nhỏ hơn giữa %(a)s và %(b)s") % {"a": parts[0], "b": parts[1]} if len(parts) == 2 else parts[0]
            ),
        }
        if self.breached:
            return (
                _(
                    "Kinh phí hỗ trợ %(support)s đồng vượt mức tối đa %(limit)s đồng của “%(rule)s” "
                    "(nội dung %(code)s, %(basis)s, áp dụng ngày %(date)s): mức tối đa là %(formula)s."
                )
                % values
            )
        return (
            _(
                "Kinh phí hỗ trợ %(support)s đồng trong mức tối đa %(limit)s đồng của “%(rule)s” "
                "(%(basis)s, áp dụng ngày %(date)s)."
            )
            % values
        )


def ceiling_limit(rule: SupportCeiling, eligible: int, units: int) -> int | None:
    limits = []
    if rule.percent_cap is not None:
        # Rounded down: a limit of 300.000.000,3 đồng allows 300.000.000 đồng.
        limits.append(int(rule.percent_cap * eligible // 100))
    if rule.amount_cap is not None:
        limits.append(rule.amount_cap * (units if rule.basis != CeilingBasis.PER_PROJECT else 1))
    return min(limits) if limits else None


def state_support(lines) -> int:
    return sum(line.approved_amount for line in lines if line.source in STATE_SOURCES)


def eligible_cost(lines) -> int:
    return sum(line.estimated_cost for line in lines)


def approved_exception(project, kind: str, amount: int) -> BudgetException | None:
    """The newest approved exception of this kind that covers `amount` of state support."""
    return (
        BudgetException.objects.filter(project=project, kind=kind, status=ExceptionStatus.APPROVED, amount__gte=amount)
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )


def check_ceiling(project, funding, lines) -> CeilingCheck:
    """Checks `lines` (saved or not) against the rule in force. Raises AmbiguousCeiling (see above)."""
    on = rule_date(project)
    rule = applicable_ceiling(project, funding, on)
    units = funding.ceiling_units if funding is not None else 1
    eligible, support = eligible_cost(lines), state_support(lines)
    check = CeilingCheck(
        rule=rule,
        on=on,
        eligible=eligible,
        support=support,
        units=units,
        limit=ceiling_limit(rule, eligible, units) if rule else None,
    )
    if check.breached:
        check.exception = approved_exception(project, ExceptionKind.CEILING, support)
    return check


def level_approved_total(level: str, year: int, *, exclude_project=None) -> int:
    """State money of the level's own source approved for the level's đề án of that year."""
    from budgets.models import FundingLine
    from projects.models import ProjectStatus

    qs = FundingLine.objects.filter(project__level=level, project__plan_year=year, source=level).exclude(
        project__status=ProjectStatus.NOT_APPROVED
    )
    if exclude_project is not None:
        qs = qs.exclude(project=exclude_project)
    return qs.aggregate(total=Sum("approved_amount"))["total"] or 0
