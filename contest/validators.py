"""Uploaded photos and documents are checked by their content, not by the name the browser sent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = getattr(settings, "CONTEST_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
DOCUMENT_MAX_BYTES = getattr(settings, "CONTEST_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
MIN_PHOTOS = 3
# Pillow refuses decompression bombs above this many pixels; our photos never need more.
Image.MAX_IMAGE_PIXELS = 60_000_000


def _size_mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}".replace(".", ",")


def validate_photo(upload) -> None:
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Ảnh “%(name)s” lớn hơn %(mb)s MB.") % {"name": upload.name, "mb": _size_mb(PHOTO_MAX_BYTES)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("Tệp “%(name)s” không phải ảnh đọc được.") % {"name": upload.name})
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(_("Ảnh “%(name)s” phải là JPEG, PNG hoặc WebP.") % {"name": upload.name})


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return "zip"  # .docx / .xlsx are zip containers
    return None


DOCUMENT_TYPES = {"pdf": {"pdf"}, "jpg": {"jpg", "jpeg"}, "png": {"png"}, "zip": {"docx", "xlsx"}}


def validate_document(upload) -> None:
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(mb)s MB.") % {"name": upload.name, "mb": _size_mb(DOCUMENT_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = _sniff(head)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if kind is None or extension not in DOCUMENT_TYPES[kind]:
        raise ValidationError(
            _("Tệp “%(name)s”: chỉ nhận PDF, ảnh JPEG/PNG hoặc Word/Excel (.docx, .xlsx), đúng với nội dung tệp.")
            % {"name": upload.name}
        )
