"""accounts.scope: the records an area officer sees, from the unit ids of their areas (one lookup per request)."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from accounts.scope import area_units, in_scope, unit_in_scope
from areas.models import AdministrativeUnit
from beneficiaries.models import Beneficiary
from tests.conftest import AREA_A
from tests.factories import BeneficiaryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _officer(*paths):
    return UserFactory(role=Role.AREA_OFFICER, areas=[AdministrativeUnit.objects.get(path=p) for p in paths])


def test_the_queryset_agrees_with_the_one_object_rule_on_every_kind_of_unit():
    """in_scope (ids, SQL) against unit_in_scope (paths, Python) for establishments on old communes taken over
    whole, split ones with a chosen successor, current communes and other districts."""
    rng = random.Random(7)
    units = list(AdministrativeUnit.objects.filter(depth__gte=1).select_related("successor"))
    current = [u for u in units if u.valid_to is None and u.depth == 1]
    for _ in range(120):
        old = rng.choice(units)
        chosen = rng.choice(current) if old.valid_to is not None and old.successor_id is None else None
        BeneficiaryFactory(unit=old, successor_unit=chosen)
    district = AdministrativeUnit.objects.get(path=AREA_A)
    taken_whole = AdministrativeUnit.objects.filter(path__startswith=AREA_A, depth=2, successor__isnull=False).first()
    commune = taken_whole.successor
    split = AdministrativeUnit.objects.filter(depth=2, valid_to__isnull=False, successor__isnull=True).first()
    BeneficiaryFactory(unit=taken_whole)  # an old commune's record, seen by its successor's officer
    BeneficiaryFactory(unit=split, successor_unit=commune)  # a split commune's record, where it was placed
    BeneficiaryFactory(unit=commune)
    for officer in (_officer(AREA_A), _officer(commune.path), _officer(AREA_A, commune.path)):
        seen = set(in_scope(Beneficiary.objects.all(), officer, "unit", "successor_unit").values_list("pk", flat=True))
        expected = {
            b.pk
            for b in Beneficiary.objects.select_related("unit__successor", "successor_unit")
            if unit_in_scope(officer, b.unit, b.successor_unit)
        }
        assert seen == expected and expected, (officer.areas.all(), district)


def test_the_units_are_read_once_and_the_query_does_not_join_them():
    officer = _officer(AREA_A)
    first = area_units(officer)
    with CaptureQueriesContext(connection) as ctx:
        again = area_units(officer)
    assert first == again and first[0]
    assert len(ctx) == 0  # once per request (the user object)
    sql = str(in_scope(Beneficiary.objects.all(), officer, "unit", "successor_unit").query)
    assert "areas_administrativeunit" not in sql


def test_no_area_sees_nothing_and_a_department_role_everything():
    BeneficiaryFactory(unit=AdministrativeUnit.objects.filter(depth=2).first())
    nobody = UserFactory(role=Role.AREA_OFFICER)
    assert area_units(nobody) == ([], [])
    assert not in_scope(Beneficiary.objects.all(), nobody, "unit").exists()
    staff = UserFactory(role=Role.STAFF)
    assert area_units(staff) is None
    assert in_scope(Beneficiary.objects.all(), staff, "unit").count() == 1
