"""Password rules beyond Django's: a list of common Vietnamese passwords, and nothing built from the user's own
name, user name or phone number (folded, so "Hồng" and "hong" are the same)."""

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.text import fold

LIST_PATH = Path(__file__).resolve().parent / "data" / "common-passwords-vi.txt"


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


@cache
def _common() -> frozenset[str]:
    lines = LIST_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class VietnameseCommonPasswordValidator:
    """Refuses a listed password, also with digits or symbols added ("anhyeuem123", "Mật khẩu!")."""

    def validate(self, password, user=None):
        squashed = _squash(password)
        stem = re.sub(r"[0-9]+$", "", squashed)
        if squashed in _common() or (stem and stem in _common()):
            raise ValidationError(_("Mật khẩu này quá phổ biến, dễ bị đoán."), code="password_too_common_vi")

    def get_help_text(self):
        return _("Mật khẩu không được là một mật khẩu phổ biến (như “anhyeuem”, “matkhau123”).")


class PersonalInfoPasswordValidator:
    """Refuses a password that contains the user's user name, a part of their name (3+ letters) or their phone
    number (its last 6 digits or more)."""

    def validate(self, password, user=None):
        if user is None:
            return
        squashed = _squash(password)
        words = [_squash(getattr(user, "username", "") or "")]
        for field in ("first_name", "last_name"):
            words += [_squash(part) for part in (getattr(user, field, "") or "").split()]
        if any(len(word) >= 3 and word in squashed for word in words):
            raise ValidationError(
                _("Mật khẩu không được chứa tên hoặc tên đăng nhập của bạn."), code="password_has_name"
            )
        phone = re.sub(r"\D", "", getattr(user, "phone", "") or "")
        digits = re.sub(r"\D", "", password)
        if len(phone) >= 6 and (phone[-6:] in digits or (len(digits) >= 6 and digits in phone)):
            raise ValidationError(_("Mật khẩu không được chứa số điện thoại của bạn."), code="password_has_phone")

    def get_help_text(self):
        return _("Mật khẩu không được chứa tên, tên đăng nhập hay số điện thoại của bạn.")
