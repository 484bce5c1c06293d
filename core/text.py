"""Vietnamese text: NFC normalisation, diacritic-insensitive search keys and a sort key.

PostgreSQL on this cluster runs C.UTF-8, where Đ and Ê sort after Z, and SQLite has no
Vietnamese collation at all; a stored sort key gives the same order on both.
"""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_LETTER_ORDER = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: i for i, letter in enumerate(_LETTER_ORDER)}
# Tones come after letters in importance: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def nfc(value: str | None) -> str:
    """Normalise to NFC, trim, and fold runs of white space (Excel and Word leave plenty)."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Lower-case, without diacritics, đ → d: "Nước mắm Cát Hải" → "nuoc mam cat hai"."""
    text = nfc(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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


def sort_key(value: str | None) -> str:
    """A plain ASCII key whose byte order is Vietnamese dictionary order (letters first, then tones)."""
    text = nfc(value).lower()
    letters, tones = [], []
    for ch in text:
        base, tone = _split_letter(ch)
        rank = _LETTER_RANK.get(base)
        if rank is not None:
            letters.append(chr(ord("A") + rank))
            tones.append(tone)
        elif ch.isdigit():
            letters.append(ch)
        elif ch.isspace():
            letters.append(" ")
        else:
            letters.append(fold(ch)[:1] or "~")
    return ("".join(letters) + "|" + "".join(tones))[:255]
