"""Numbers read out in Vietnamese, as official documents write amounts ("Bằng chữ: …").

Northern official usage (domain.md §8): after the leading group a zero hundreds digit is read "không trăm"
and a zero tens digit before a non-zero unit "linh"; "mười" for ten, "mươi" for the other tens; a unit 1 after
a tens digit of 2 or more is "mốt", a unit 5 after any tens digit is "lăm"; 4 stays "bốn" (the "tư" form is
colloquial and not used consistently in official texts). Groups of three digits are named nghìn, triệu, tỷ,
and above a thousand billion the names repeat ("một nghìn tỷ"). num2words gets several of these wrong.
"""

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUP_NAMES = ["", "nghìn", "triệu"]
_BILLION = 10**9


def _tens_and_units(tens: int, units: int, *, full: bool) -> list[str]:
    words: list[str] = []
    if tens == 0:
        if units:
            if full:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
        return words
    words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _group(value: int, *, full: bool) -> list[str]:
    """Reads 0–999. `full` (not the leading group) reads the hundreds even when they are zero."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, full=bool(hundreds) or full)
    return words


def _below_billion(value: int, *, leading: bool) -> list[str]:
    groups = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    words: list[str] = []
    first = leading
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _group(group, full=not first)
        if _GROUP_NAMES[index]:
            words.append(_GROUP_NAMES[index])
        first = False
    return words


def _words(value: int, *, leading: bool) -> list[str]:
    billions, rest = divmod(value, _BILLION)
    words: list[str] = []
    if billions:
        words += _words(billions, leading=leading) + ["tỷ"]
        leading = False
    return words + _below_billion(rest, leading=leading)


def number_to_words(value: int) -> str:
    """1015 → "một nghìn không trăm mười lăm"; 0 → "không"."""
    value = int(value)
    if value < 0:
        return "âm " + number_to_words(-value)
    if value == 0:
        return _DIGITS[0]
    return " ".join(_words(value, leading=True))


def amount_in_words(value: int) -> str:
    """The "Bằng chữ" text of an amount in đồng: 21000000 → "Hai mươi mốt triệu đồng"."""
    text = number_to_words(value) + " đồng"
    return text[0].upper() + text[1:]
