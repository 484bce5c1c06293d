import pytest

from core.numwords import amount_in_words, number_to_words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (111, "một trăm mười một"),
        (1_015, "một nghìn không trăm mười lăm"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (1_000_005, "một triệu không trăm linh năm"),
        (21_000_000, "hai mươi mốt triệu"),
        (3_108_129_000, "ba tỷ một trăm linh tám triệu một trăm hai mươi chín nghìn"),
        (3_000_029_000, "ba tỷ không trăm hai mươi chín nghìn"),
        (986_629_000, "chín trăm tám mươi sáu triệu sáu trăm hai mươi chín nghìn"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (1_000_000_000_005, "một nghìn tỷ không trăm linh năm"),
        (21_500_000_000_000, "hai mươi mốt nghìn năm trăm tỷ"),
    ],
)
def test_numbers_are_read_the_way_official_documents_write_them(value, words):
    assert number_to_words(value) == words


def test_an_amount_in_words_starts_with_a_capital_and_ends_with_dong():
    assert amount_in_words(3_108_129_000) == "Ba tỷ một trăm linh tám triệu một trăm hai mươi chín nghìn đồng"
    assert amount_in_words(1_000_005) == "Một triệu không trăm linh năm đồng"
    assert amount_in_words(0) == "Không đồng"


def test_negative_numbers_say_so():
    assert number_to_words(-21) == "âm hai mươi mốt"
