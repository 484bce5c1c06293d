"""core.text's fast fold / sort_key (translation tables) give exactly what their definitions give."""

import random
import re
import unicodedata

from core.text import _LETTER_RANK as LETTER_RANK
from core.text import _split_letter, fold, nfc, sort_key


def reference_nfc(value):
    return "" if value is None else re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()


def reference_fold(value):
    text = reference_nfc(value).lower().replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def reference_sort_key(value):
    letters, tones = [], []
    for ch in reference_nfc(value).lower():
        base, tone = _split_letter(ch)
        rank = LETTER_RANK.get(base)
        if rank is not None:
            letters.append(chr(ord("A") + rank))
            tones.append(tone)
        elif ch.isdigit():
            letters.append(ch)
        elif ch.isspace():
            letters.append(" ")
        else:
            letters.append(reference_fold(ch)[:1] or "~")
    return ("".join(letters) + "|" + "".join(tones))[:255]


def test_examples():
    assert fold("Nước mắm  Cát Hải ") == "nuoc mam cat hai"
    assert fold(unicodedata.normalize("NFD", "ĐẶC KHU Bạch Long Vĩ")) == "dac khu bach long vi"
    assert nfc(" a\u00a0\t b\n") == "a b"
    assert sort_key("Đà") > sort_key("Dz") and sort_key("à") > sort_key("a") and sort_key("ă") < sort_key("b")


def test_every_character_as_the_definition_says():
    for code in range(0x2FFFF):
        if 0xD800 <= code < 0xE000:
            continue
        for text in (chr(code), f"a{chr(code)}\u0301 b", f"Ư{chr(code)}"):
            assert fold(text) == reference_fold(text), hex(code)
            assert sort_key(text) == reference_sort_key(text), hex(code)
            assert nfc(text) == reference_nfc(text), hex(code)


def test_random_vietnamese_text_in_both_normal_forms():
    rng = random.Random(5)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ áàảãạéèẻẽẹ"
    alphabet += "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b 09,.-ﬁ\t"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        for form in ("NFC", "NFD"):
            value = unicodedata.normalize(form, text)
            assert fold(value) == reference_fold(value)
            assert sort_key(value) == reference_sort_key(value)
