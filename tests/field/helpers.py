"""Test data for the field app: đề án in area A and B, photos made with Pillow (with or without EXIF)."""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

_counter = iter(range(1, 10_000))


def _rational(value: float, scale: int = 10000):
    return IFDRational(round(value * scale), scale)


def jpeg_bytes(*, size=(800, 600), color=(30, 120, 200), gps=None, taken="2021:09:15 10:20:30", extra=True) -> bytes:
    """A real JPEG; with EXIF DateTimeOriginal, GPS (lat, lng) and, when `extra`, a camera model and maker note."""
    img = Image.new("RGB", size, color)
    exif = Image.Exif()
    if extra:
        exif[0x0110] = "Test Phone X1"  # Model
        exif[0x010F] = "TestMaker"  # Make
        exif[0x0131] = "CameraApp 1.0"  # Software
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        lat, lng = gps
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N" if lat >= 0 else "S"
        gps_ifd[2] = tuple(_rational(x) for x in _dms(abs(lat)))
        gps_ifd[3] = "E" if lng >= 0 else "W"
        gps_ifd[4] = tuple(_rational(x) for x in _dms(abs(lng)))
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _dms(value: float):
    d = int(value)
    m = int((value - d) * 60)
    s = (value - d - m / 60) * 3600
    return d, m, s


def photo(name="anh.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def fake_photo(name="anh-gia.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Day khong phai la anh, chi la van ban.\n" * 20, content_type="image/jpeg")


def report_form(project=None, client_id=None, **over) -> dict:
    data = {
        "client_id": str(client_id or uuid.uuid4()),
        "visit_date": "15/09/2021",
        "progress_percent": "60",
        "observations": "Máy đã lắp đặt tại nhà xưởng, đang chạy thử.",
        "problem": "",
        "recommendations": "Đề nghị hướng dẫn vận hành cho công nhân.",
        "intent": "submit",
    }
    if project is not None:
        for output in project.outputs.all():
            data[f"out_{output.pk}_observed"] = "yes"
            data[f"out_{output.pk}_note"] = f"Số seri SN-{output.pk:04d}"
    data.update(over)
    return data
