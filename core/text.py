"""Vietnamese text: NFC normalisation, diacritic-insensitive search keys and a sort key.

PostgreSQL on this cluster runs C.UTF-8, where Đ and Ê sort after Z, and SQLite has no
Vietnamese collation at all; a stored sort key gives the same order on both.
"""

import functools
import unicodedata

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_LETTER_ORDER = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: i for i, letter in enumerate(_LETTER_ORDER)}
# Tones come after letters in importance: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def nfc(value: str | None) -> str:
    """Normalise to NFC, trim, and fold runs of white space (Excel and Word leave plenty)."""
    if value is None:
        return ""
    # str.split() splits on exactly the characters re's \s matches (both use Py_UNICODE_ISSPACE), faster.
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _fold_slow(text: str) -> str:
    """The definition of fold, on NFC lower-case text: NFD, then drop the combining marks."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _CharTable(dict):
    """A str.translate table filled on first sight of each character, from a per-character function.

    NFD decomposes character by character (canonical reordering only moves combining marks, which folding
    drops), so translating each character of NFC text gives exactly what the whole-string definition gives,
    at C speed: an import folds tens of thousands of strings.
    """

    def __init__(self, per_char):
        super().__init__()
        self._per_char = per_char

    def __missing__(self, code: int) -> str:
        result = self._per_char(chr(code))
        if len(self) < 20_000:  # bounded: a hostile file may hold every code point once
            self[code] = result
        return result


_FOLD_TABLE = _CharTable(_fold_slow)


def fold(value: str | None) -> str:
    """Lower-case, without diacritics, đ → d: "Nước mắm Cát Hải" → "nuoc mam cat hai"."""
    return nfc(value).lower().translate(_FOLD_TABLE)


# A search box may receive a pasted page: each word is one more condition in the query, and SQLite refuses an
# expression tree past 1,000 nodes. The first words of a search are the ones that narrow it anyway.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_LENGTH = SEARCH_MAX_CHARS  # the name the filters use
SEARCH_MAX_WORDS = 8


def search_words(value: str | None) -> list[str]:
    """The distinct folded words of a search, at most SEARCH_MAX_WORDS of the first SEARCH_MAX_CHARS characters."""
    words = []
    for word in fold((value or "")[: SEARCH_MAX_CHARS * 2])[:SEARCH_MAX_CHARS].split():
        if word not in words:
            words.append(word)
        if len(words) == SEARCH_MAX_WORDS:
            break
    return words


@functools.lru_cache(maxsize=2048)  # a few hundred distinct characters; the import sorts 10,000 names
def _split_letter(ch: str) -> tuple[str, str]:
    """Return (base letter with its vowel marks, tone digit) for one lower-case character."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = "0"
    kept = []
    for part in decomposed:
        if part in _TONE_MARKS:
            tone = _TONE_MARKS[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _sort_letter(ch: str) -> str:
    base, _tone = _split_letter(ch)
    rank = _LETTER_RANK.get(base)
    if rank is not None:
        return chr(ord("A") + rank)
    if ch.isdigit():
        return ch
    if ch.isspace():
        return " "
    return fold(ch)[:1] or "~"


def _sort_tone(ch: str) -> str:
    base, tone = _split_letter(ch)
    return tone if base in _LETTER_RANK else ""


_SORT_LETTERS = _CharTable(_sort_letter)
_SORT_TONES = _CharTable(_sort_tone)


def sort_key(value: str | None) -> str:
    """A plain ASCII key whose byte order is Vietnamese dictionary order (letters first, then tones)."""
    text = nfc(value).lower()
    return (text.translate(_SORT_LETTERS) + "|" + text.translate(_SORT_TONES))[:255]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value):
    """Text that Excel or LibreOffice would run as a formula gets a leading apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
