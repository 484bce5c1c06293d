"""Photos from the field: checked by content, re-encoded without EXIF, with the camera's position and time kept.

A phone photo carries EXIF that may include the owner's phone model, serial numbers and the position of every
picture; we keep only the position and the time the picture was taken (as fields) and store pixels only.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats a phone camera or gallery produces and Pillow decodes without extra plugins.
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
MAX_PIXELS = 50_000_000  # a 50 MP picture; bigger is more likely a decompression bomb than a photo
STORED_MAX_SIDE = 1600
THUMB_MAX_SIDE = 320

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011


def max_photo_bytes() -> int:
    return getattr(settings, "FIELD_PHOTO_MAX_BYTES", 10 * 1024 * 1024)


@dataclass
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    sha256: str
    original_name: str
    original_size: int
    taken_at: datetime | None
    gps_latitude: Decimal | None
    gps_longitude: Decimal | None


def _refuse(name: str, message: str, code: str):
    raise ValidationError(message, code=code, params={"name": name})


def check_photo(uploaded) -> None:
    """Raises ValidationError unless `uploaded` is a real image of an accepted format and size."""
    name = uploaded.name
    if uploaded.size == 0:
        _refuse(name, _("Tệp '%(name)s' rỗng."), "photo_empty")
    if uploaded.size > max_photo_bytes():
        raise ValidationError(
            _("Ảnh '%(name)s' quá lớn (%(size)s); tối đa %(limit)s."),
            code="photo_size",
            params={"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(max_photo_bytes())},
        )
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as img:
            fmt = img.format
            width, height = img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse(name, _("Tệp '%(name)s' không phải là ảnh (chỉ nhận ảnh JPEG, PNG, WebP)."), "photo_not_image")
    finally:
        uploaded.seek(0)
    if fmt not in ACCEPTED_FORMATS:
        _refuse(name, _("Ảnh '%(name)s' không đúng định dạng: chỉ nhận JPEG, PNG, WebP."), "photo_format")
    if width * height > MAX_PIXELS:
        _refuse(name, _("Ảnh '%(name)s' có kích thước điểm ảnh quá lớn."), "photo_pixels")


def _rational(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        numerator, denominator = value
        return numerator / denominator


def _degrees(dms, ref) -> Decimal | None:
    try:
        d, m, s = (_rational(part) for part in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if str(ref).upper().startswith(("S", "W")):
        value = -value
    return Decimal(str(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def read_exif(img: Image.Image) -> tuple[datetime | None, Decimal | None, Decimal | None]:
    """(taken_at, latitude, longitude) from the EXIF, each None when missing or unreadable."""
    exif = img.getexif()
    taken_at = None
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
    if raw:
        try:
            naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            naive = None
        if naive is not None:
            # Cameras write local time without a zone unless OffsetTimeOriginal is there; ours is the project's.
            offset = exif.get_ifd(EXIF_IFD).get(OFFSET_TIME_ORIGINAL)
            if offset:
                try:
                    taken_at = datetime.strptime(f"{naive:%Y-%m-%d %H:%M:%S}{offset}", "%Y-%m-%d %H:%M:%S%z")
                except ValueError:
                    taken_at = None
            if taken_at is None:
                taken_at = timezone.make_aware(naive)
    lat = lng = None
    gps = exif.get_ifd(GPS_IFD)
    if gps and 2 in gps and 4 in gps:
        lat = _degrees(gps[2], gps.get(1, "N"))
        lng = _degrees(gps[4], gps.get(3, "E"))
        if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
            lat = lng = None
    return taken_at, lat, lng


def _encode(img: Image.Image, max_side: int) -> bytes:
    copy = img.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # No `exif=`: the stored file carries pixels only.
    copy.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def process_photo(uploaded) -> ProcessedPhoto:
    """Checks, reads EXIF position and time, orients, resizes and re-encodes one uploaded photo."""
    check_photo(uploaded)
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    with Image.open(uploaded) as img:
        taken_at, lat, lng = read_exif(img)
        oriented = ImageOps.exif_transpose(img)
        if oriented.mode not in ("RGB", "L"):
            background = Image.new("RGB", oriented.size, "white")
            rgba = oriented.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            oriented = background
        elif oriented.mode == "L":
            oriented = oriented.convert("RGB")
        full = _encode(oriented, STORED_MAX_SIDE)
        thumb = _encode(oriented, THUMB_MAX_SIDE)
    sha = digest.hexdigest()
    return ProcessedPhoto(
        image=ContentFile(full, name=f"{sha[:16]}.jpg"),
        thumbnail=ContentFile(thumb, name=f"{sha[:16]}-thumb.jpg"),
        sha256=sha,
        original_name=uploaded.name[:255],
        original_size=uploaded.size,
        taken_at=taken_at,
        gps_latitude=lat,
        gps_longitude=lng,
    )
