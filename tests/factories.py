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


class ProjectFactory(factory.django.DjangoModelFactory):
    """A đề án placed at the first commune of Thủy Nguyên (area A) unless told otherwise."""

    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"KCĐP-2021-{n:03d}")
    title = factory.Sequence(lambda n: f"Đề án ứng dụng máy móc số {n}")
    level = "kcdp"
    plan_year = 2021
    implementing_unit = factory.LazyFunction(implementing_centre)
    unit = factory.LazyFunction(lambda: first_commune("/31/d311/"))
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.code} {o.title}"))

    @factory.post_generation
    def beneficiaries(self, create, extracted, **kwargs):
        if extracted:
            self.beneficiaries.set(extracted)
            names = " ".join(f"{b.name} {b.tax_code}" for b in extracted)
            self.search_text = fold(f"{self.code} {self.title} {names}")
            self.save(update_fields=["search_text"])


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Decision"

    number = factory.Sequence(lambda n: f"{n + 100}/QĐ-UBND")
    signed_on = factory.LazyFunction(lambda: __import__("datetime").date(2021, 3, 25))
    issuing_body = "UBND thành phố Hải Phòng"
    kind = "plan_approval"
