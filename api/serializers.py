"""What the API shows of each record. Read-only; personal data (phones, e-mails, photos of people, who typed
what) stays out. Every field carries a Vietnamese description for the schema (the models' verbose names)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from areas.models import AdministrativeUnit
from areas.selectors import current_commune
from beneficiaries.models import Beneficiary
from budgets.models import Disbursement, FundingLine, Settlement
from contest.models import Certificate
from field.models import Acceptance, FieldReport
from projects.models import ActivityContent, Decision, DecisionItem, PlannedOutput, Project


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "path", "valid_from", "valid_to"]


@extend_schema_field(UnitSerializer(allow_null=True))
class CurrentCommuneField(serializers.Field):
    """The commune in force today that the record's unit belongs to (null: an old commune split between
    several successors and nobody has yet said which one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text", "Xã/phường hiện hành (sau 1/7/2025) của địa bàn; null nếu xã cũ bị chia và chưa chọn."
        )
        super().__init__(**kwargs)

    def to_representation(self, obj):
        unit = current_commune(obj.unit, chosen=getattr(obj, "successor_unit", None)) if obj.unit_id else None
        return unit_data(unit)


def unit_data(unit) -> dict | None:
    """UnitSerializer's output, written out: it runs for every row of every list."""
    if unit is None:
        return None
    return {
        "code": unit.code,
        "name": unit.name,
        "path": unit.path,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


class EstablishmentSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True, help_text="Địa bàn như khi nhập hồ sơ")
    current_commune = CurrentCommuneField()

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "name",
            "legal_form",
            "tax_code",
            "registration_number",
            "address",
            "unit",
            "current_commune",
            "sector",
            "vsic_code",
            "main_products",
            "employees",
            "founded_year",
            "women_owned",
            "ethnic_minority_owned",
            "status",
            "created_at",
            "updated_at",
        ]


class ContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityContent
        fields = ["code", "name"]


class ProjectBeneficiarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Beneficiary
        fields = ["id", "name", "tax_code"]


class OutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedOutput
        fields = ["description", "unit_of_measure", "planned_quantity"]


class ProjectFundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingLine
        fields = ["id", "source", "cost_item", "description", "approved_amount", "disbursed_total", "settled_amount"]


class ProjectListSerializer(serializers.ListSerializer):
    """A page of đề án with their nested rows read as plain values, four queries for the whole page: building
    model instances for ~10 related rows per đề án was most of the time of a 100-row page."""

    def to_representation(self, data):
        projects = list(data.all() if hasattr(data, "all") else data)
        ids = [p.pk for p in projects]
        nested = {pk: {"contents": [], "beneficiaries": [], "outputs": [], "funding_lines": []} for pk in ids}
        contents = Project.contents.through.objects.filter(project_id__in=ids).order_by("activitycontent__sort_order")
        for pk, code, name in contents.values_list("project_id", "activitycontent__code", "activitycontent__name"):
            nested[pk]["contents"].append({"code": code, "name": name})
        links = Project.beneficiaries.through.objects.filter(project_id__in=ids).order_by("beneficiary__sort_name")
        for pk, bid, name, tax in links.values_list(
            "project_id", "beneficiary_id", "beneficiary__name", "beneficiary__tax_code"
        ):
            nested[pk]["beneficiaries"].append({"id": bid, "name": name, "tax_code": tax})
        outputs = PlannedOutput.objects.filter(project_id__in=ids).order_by("sort_order", "id")
        for pk, description, uom, qty in outputs.values_list(
            "project_id", "description", "unit_of_measure", "planned_quantity"
        ):
            nested[pk]["outputs"].append(
                {"description": description, "unit_of_measure": uom, "planned_quantity": str(qty)}
            )
        lines = FundingLine.objects.filter(project_id__in=ids).order_by("source", "cost_item", "id")
        for row in lines.values(
            "project_id", "id", "source", "cost_item", "description", "approved_amount", "disbursed_total",
            "settled_amount",
        ):  # fmt: skip
            nested[row.pop("project_id")]["funding_lines"].append(row)
        return [self.child.to_representation(p, nested[p.pk]) for p in projects]


class ProjectSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True, allow_null=True)
    current_commune = CurrentCommuneField()
    implementing_unit = serializers.CharField(source="implementing_unit.name", help_text="Đơn vị thực hiện")
    contents = ContentSerializer(many=True, read_only=True, help_text="Nội dung hoạt động khuyến công")
    beneficiaries = ProjectBeneficiarySerializer(many=True, read_only=True, help_text="Cơ sở thụ hưởng")
    outputs = OutputSerializer(many=True, read_only=True, help_text="Sản phẩm, kết quả dự kiến")
    funding_lines = ProjectFundingSerializer(many=True, read_only=True, help_text="Kinh phí theo nguồn (đồng)")

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "kind",
            "title",
            "level",
            "plan_year",
            "status",
            "unit",
            "current_commune",
            "place_detail",
            "implementing_unit",
            "start_date",
            "end_date",
            "objectives",
            "expected_results",
            "expected_jobs",
            "expected_revenue",
            "contents",
            "beneficiaries",
            "outputs",
            "funding_lines",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = ProjectListSerializer

    def to_representation(self, p, nested: dict | None = None):
        # The fields above, built directly: DRF's generic path costs ~2 ms per đề án with four nested lists,
        # too slow for a 100-row page; the declared fields still describe the schema. Kept in step by
        # tests/api/test_read_api.py (the generic output must equal this one).
        return {
            "id": p.pk,
            "code": p.code,
            "kind": p.kind,
            "title": p.title,
            "level": p.level,
            "plan_year": p.plan_year,
            "status": p.status,
            "unit": unit_data(p.unit) if p.unit_id else None,
            "current_commune": unit_data(current_commune(p.unit)) if p.unit_id else None,
            "place_detail": p.place_detail,
            "implementing_unit": p.implementing_unit.name,
            "start_date": p.start_date.isoformat() if p.start_date else None,
            "end_date": p.end_date.isoformat() if p.end_date else None,
            "objectives": p.objectives,
            "expected_results": p.expected_results,
            "expected_jobs": p.expected_jobs,
            "expected_revenue": p.expected_revenue,
            **(nested or self._nested(p)),
            "created_at": serializers.DateTimeField().to_representation(p.created_at),
            "updated_at": serializers.DateTimeField().to_representation(p.updated_at),
        }

    @staticmethod
    def _nested(p) -> dict:
        return {
            "contents": [{"code": c.code, "name": c.name} for c in p.contents.all()],
            "beneficiaries": [{"id": b.pk, "name": b.name, "tax_code": b.tax_code} for b in p.beneficiaries.all()],
            "outputs": [
                {
                    "description": o.description,
                    "unit_of_measure": o.unit_of_measure,
                    "planned_quantity": str(o.planned_quantity),
                }
                for o in p.outputs.all()
            ],
            "funding_lines": [
                {
                    "id": f.pk,
                    "source": f.source,
                    "cost_item": f.cost_item,
                    "description": f.description,
                    "approved_amount": f.approved_amount,
                    "disbursed_total": f.disbursed_total,
                    "settled_amount": f.settled_amount,
                }
                for f in p.funding_lines.all()
            ],
        }

    def generic_representation(self, p):
        return super().to_representation(p)


class DecisionItemSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", help_text="Mã đề án")

    class Meta:
        model = DecisionItem
        fields = ["position", "project", "note"]


class DecisionSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField(help_text="Các đề án trong quyết định (trong phạm vi được xem)")

    class Meta:
        model = Decision
        fields = ["id", "number", "signed_on", "issuing_body", "kind", "level", "summary", "items", "updated_at"]

    @extend_schema_field(DecisionItemSerializer(many=True))
    def get_items(self, decision):
        visible = self.context.get("visible_project_ids")
        items = [i for i in decision.items.all() if visible is None or i.project_id in visible]
        return DecisionItemSerializer(items, many=True).data


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["kind", "paid_on", "amount", "document_number"]


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Settlement
        fields = ["amount", "settled_on", "document_number"]


class FundingLineSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", help_text="Mã đề án")
    disbursements = DisbursementSerializer(many=True, read_only=True, help_text="Các lần tạm ứng, thanh toán")
    settlement = serializers.SerializerMethodField(help_text="Quyết toán (null nếu chưa)")

    class Meta:
        model = FundingLine
        fields = [
            "id",
            "project",
            "source",
            "cost_item",
            "description",
            "estimated_cost",
            "approved_amount",
            "disbursed_total",
            "settled_amount",
            "disbursements",
            "settlement",
            "updated_at",
        ]

    @extend_schema_field(SettlementSerializer(allow_null=True))
    def get_settlement(self, line):
        settlement = getattr(line, "settlement", None)
        return SettlementSerializer(settlement).data if settlement is not None else None


class FieldReportSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", allow_null=True, help_text="Mã đề án")
    beneficiary = serializers.IntegerField(source="beneficiary_id", allow_null=True, help_text="Mã số cơ sở")
    unit = UnitSerializer(read_only=True)

    class Meta:
        model = FieldReport
        fields = [
            "id",
            "project",
            "beneficiary",
            "unit",
            "visit_date",
            "progress_percent",
            "observations",
            "has_problem",
            "problem",
            "recommendations",
            "submitted_at",
            "updated_at",
        ]


class AcceptanceSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", help_text="Mã đề án")

    class Meta:
        model = Acceptance
        fields = ["id", "project", "attempt", "held_on", "place", "result", "assessment", "requests", "updated_at"]


class CertifiedProductSerializer(serializers.ModelSerializer):
    contest = serializers.CharField(source="contest.name", help_text="Cuộc bình chọn")
    contest_year = serializers.IntegerField(source="contest.year", help_text="Năm bình chọn")
    contest_level = serializers.CharField(source="contest.level", help_text="Cấp bình chọn")
    beneficiary = serializers.IntegerField(source="entry.beneficiary_id", help_text="Mã số cơ sở")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "contest",
            "contest_year",
            "contest_level",
            "product_name",
            "group",
            "beneficiary",
            "beneficiary_name",
            "commune",
            "score",
            "issued_on",
            "valid_until",
            "decision_number",
            "decision_date",
            "updated_at",
        ]
