import itertools

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from areas.models import AdministrativeUnit
from beneficiaries.models import Beneficiary, LegalForm
from core.text import fold, sort_key


def unit(path: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(path=path)


def first_commune(district_path: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.filter(path__startswith=district_path, depth=2).order_by("path").first()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn"
    last_name = factory.Sequence(lambda n: f"Nguyễn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "matkhau-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if extracted:
            self.areas.add(*extracted)


_tax = iter(range(100_000_000, 999_999_999))


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    name = factory.Sequence(lambda n: f"Cơ sở sản xuất số {n}")
    legal_form = LegalForm.ENTERPRISE
    tax_code = factory.LazyFunction(lambda: f"0{next(_tax)}")
    address = "Thôn 1"
    unit = factory.LazyFunction(lambda: first_commune("/31/d311/"))
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.name} {o.tax_code} {o.address}"))
    sort_name = factory.LazyAttribute(lambda o: sort_key(o.name))


# --- projects ---------------------------------------------------------------------------------------------


def implementing_centre():
    from projects.models import Organisation

    return Organisation.objects.get(kind=Organisation.Kind.EXTENSION_CENTRE)


def first_organisation():
    from projects.models import Organisation

    return Organisation.objects.order_by("id").first()


# Each trait numbers its đề án on its own, as the builders it replaced did (short codes fit the PDF tables).
_funded_codes = itertools.count()
_field_codes = itertools.count(1)


def planned_outputs(project, count: int | None, default: int) -> None:
    """`count` (or `default`) planned outputs of a đề án, numbered in order."""
    from decimal import Decimal

    from projects.models import PlannedOutput

    for i in range(default if count is None else count):
        PlannedOutput.objects.create(
            project=project,
            description=f"Máy đánh đảo chượp {i + 1}",
            unit_of_measure="máy",
            planned_quantity=Decimal("1"),
            sort_order=i,
        )


class ProjectFactory(factory.django.DjangoModelFactory):
    """The one builder of a đề án. Placed at the first commune of `area` (default Thủy Nguyên, area A) unless
    `unit` is given.

    Post-generation: `beneficiaries=[...]` (also folded into the search text), `contents=["4.1", ...]` (activity
    content codes), `outputs=n` (n planned outputs).
    Traits, one per way the apps' tests need a đề án:
      - `funded`: an approved đề án ready for money (budgets tests), codes KCĐP-T0001…;
      - `in_the_field`: in progress, with a contract and two planned outputs (field and document tests), codes
        KCĐP-2021-F001…;
      - `monitored`: in progress, titled after its code (monitoring tests, which always give the code).
    """

    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    class Params:
        area = "/31/d311/"
        funded = factory.Trait(
            code=factory.LazyFunction(lambda: f"KCĐP-T{next(_funded_codes):04d}"),
            title=factory.Sequence(lambda n: f"Đề án thử nghiệm {n}"),
            status="approved",
            implementing_unit=factory.LazyFunction(first_organisation),
        )
        in_the_field = factory.Trait(
            code=factory.LazyFunction(lambda: f"KCĐP-2021-F{next(_field_codes):03d}"),
            title=factory.Sequence(lambda n: f"Đề án ứng dụng máy đánh đảo chượp số {n}"),
            status="in_progress",
            contract_number=factory.Sequence(lambda n: f"{n}/2021/HĐ-KC"),
            contract_date=factory.LazyFunction(lambda: __import__("datetime").date(2021, 5, 10)),
            outputs=factory.PostGeneration(lambda obj, create, extracted, **kw: planned_outputs(obj, extracted, 2)),
        )
        monitored = factory.Trait(
            title=factory.LazyAttribute(lambda o: f"Đề án {o.code}"),
            status="in_progress",
            implementing_unit=factory.LazyFunction(first_organisation),
        )

    code = factory.Sequence(lambda n: f"KCĐP-2021-{n:03d}")
    title = factory.Sequence(lambda n: f"Đề án ứng dụng máy móc số {n}")
    level = "kcdp"
    plan_year = 2021
    implementing_unit = factory.LazyFunction(implementing_centre)
    unit = factory.LazyAttribute(lambda o: first_commune(o.area))
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.code} {o.title}"))

    @factory.post_generation
    def beneficiaries(self, create, extracted, **kwargs):
        if extracted:
            self.beneficiaries.set(extracted)
            names = " ".join(f"{b.name} {b.tax_code}" for b in extracted)
            self.search_text = fold(f"{self.code} {self.title} {names}")
            self.save(update_fields=["search_text"])

    @factory.post_generation
    def contents(self, create, extracted, **kwargs):
        if extracted:
            from projects.models import ActivityContent

            self.contents.set(ActivityContent.objects.filter(code__in=extracted))

    outputs = factory.PostGeneration(lambda obj, create, extracted, **kw: planned_outputs(obj, extracted, 0))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Decision"

    number = factory.Sequence(lambda n: f"{n + 100}/QĐ-UBND")
    signed_on = factory.LazyFunction(lambda: __import__("datetime").date(2021, 3, 25))
    issuing_body = "UBND thành phố Hải Phòng"
    kind = "plan_approval"


# Contest (issue 8) --------------------------------------------------------------------------------------------


def contest_photo(name: str = "anh.jpg", colour=(180, 90, 40), size=(64, 48)):
    """A real (tiny) JPEG, as an upload."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def contest_pdf(name: str = "phieu-dang-ky.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def tt26_criteria_set():
    from contest.models import CriteriaSet
    from contest.seed import TT26_CODE

    return CriteriaSet.objects.get(code=TT26_CODE)


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contest.Contest"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Bình chọn sản phẩm CNNT tiêu biểu cấp thành phố lần {n}")
    year = factory.Sequence(lambda n: 2026 + n)
    level = "city"
    criteria_set = factory.LazyFunction(tt26_criteria_set)
    decision_number = "15/QĐ-SCT"
    proposal_quota = 2

    @factory.post_generation
    def secretaries(self, create, extracted, **kwargs):
        if extracted:
            self.secretaries.add(*extracted)

    @factory.post_generation
    def jurors(self, create, extracted, **kwargs):
        if extracted:
            self.jurors.add(*extracted)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contest.Entry"

    contest = factory.SubFactory(ContestFactory)
    number = factory.Sequence(lambda n: n + 1)
    product_name = factory.Sequence(lambda n: f"Sản phẩm số {n}")
    group = "thu_cong_my_nghe"
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    description = "Sản phẩm làm thủ công."
