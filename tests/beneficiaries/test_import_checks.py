"""The preview's quick field checks never vouch for a value that the model field's clean() would refuse or change,
and the memo gives every row its own error even when the same bad cell repeats."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from beneficiaries.importing import engine
from beneficiaries.models import Beneficiary, LegalForm

SAMPLES = [
    "",
    " ",
    "a",
    "Nước mắm",
    "x" * 10,
    "x" * 11,
    "x" * 14,
    "x" * 120,
    "x" * 121,
    "x" * 255,
    "x" * 256,
    "a\x00b",
    "0201234567",
    "0201234567-001",
    "12-34",
    "ai@example.com",
    "not an e-mail",
    *LegalForm.values,
    "doanh nghiep",
    "active",
    "archived",
    0,
    1,
    -1,
    1900,
    32767,
    32768,
    2**31 - 1,
    2**31,
    True,
    False,
    None,
    1.5,
    datetime.date(2020, 1, 1),
]


@pytest.mark.parametrize("name", sorted(engine._FIELD_CHECKS))
def test_quick_check_agrees_with_clean(name):
    quick, _clean = engine._FIELD_CHECKS[name]
    if quick is None:
        return
    model_field = Beneficiary._meta.get_field(name)
    for value in SAMPLES:
        if not quick(value):
            continue
        try:
            cleaned = model_field.clean(value, None)
        except ValidationError:
            pytest.fail(f"{name}: the quick check passed {value!r}, clean() refuses it")
        assert cleaned == value and type(cleaned) is type(value), (name, value)


def test_fields_with_richer_rules_always_go_through_clean():
    for name in ("email", "tax_code"):
        assert engine._FIELD_CHECKS[name][0] is None


def test_memo_gives_each_row_its_own_error():
    memo = engine._Memo()
    messages = []
    for _ in range(3):
        with pytest.raises(engine.cleaning.CellError) as caught:
            memo(engine.cleaning.whole_number, "mười")
        messages.append(str(caught.value))
    assert len(set(messages)) == 1 and "mười" in messages[0]
    # 1, 1.0 and True are different cells.
    assert memo(engine.cleaning.text, 1.0) == "1"
    assert memo(engine.cleaning.text, True) == "x"
    assert memo(engine.cleaning.text, 1) == "1"
