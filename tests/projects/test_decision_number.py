import pytest
from django.core.exceptions import ValidationError

from projects.validators import normalise_decision_number, validate_decision_number

VALID = [
    "191/QĐ-UBND",
    "1881/QĐ-TTg",
    "2646/QĐ-BCT",
    "21/2019/QĐ-UBND",
    "05/QĐ-SCT",
    "3569/QĐ-BCT",
    "12/QĐ-UBND-KT",
]
INVALID = [
    "",
    "191",
    "QĐ-UBND",
    "191/UBND",
    "191/QĐ-",
    "191/QĐ UBND",
    "191/QD-UBND",  # without the stroke: the form normalises it, the model refuses it as typed
    "abc/QĐ-UBND",
    "0/QĐ-UBND",
    "21/19/QĐ-UBND",
    "21/1800/QĐ-UBND",
    "191/NQ-HĐND",
    "191/QĐ-ubnd",
    "191//QĐ-UBND",
]


@pytest.mark.parametrize("number", VALID)
def test_valid_decision_numbers_pass(number):
    validate_decision_number(number)


@pytest.mark.parametrize("number", INVALID)
def test_invalid_decision_numbers_are_refused_with_a_vietnamese_message(number):
    with pytest.raises(ValidationError, match="không đúng dạng"):
        validate_decision_number(number)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" 191 / QD-UBND ", "191/QĐ-UBND"), ("1881/qđ-TTg", "1881/QĐ-TTg"), ("21/2019/QĐ-UBND", "21/2019/QĐ-UBND")],
)
def test_what_people_type_is_normalised_before_validation(typed, stored):
    assert normalise_decision_number(typed) == stored
    validate_decision_number(normalise_decision_number(typed))
