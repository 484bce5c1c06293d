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
