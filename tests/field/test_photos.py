import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from field.photos import check_photo, process_photo
from tests.field.helpers import fake_photo, jpeg_bytes, photo


def test_gps_south_and_west_are_negative():
    processed = process_photo(photo(gps=(-33.8568, -70.6483)))
    assert processed.gps_latitude == Decimal("-33.856800")
    assert processed.gps_longitude == Decimal("-70.648300")


def test_a_photo_without_exif_has_no_position_or_time():
    processed = process_photo(photo(gps=None, taken=None, extra=False))
    assert processed.taken_at is None and processed.gps_latitude is None and processed.gps_longitude is None


def test_every_other_exif_tag_is_stripped_from_the_stored_file():
    source = jpeg_bytes(gps=(20.86, 106.68))
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif()[0x0110] == "Test Phone X1"
    processed = process_photo(SimpleUploadedFile("a.jpg", source))
    for content in (processed.image, processed.thumbnail):
        with Image.open(io.BytesIO(content.read())) as stored:
            assert len(stored.getexif()) == 0
            assert "exif" not in stored.info


def test_a_transparent_png_is_flattened_to_jpeg():
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 40), (255, 0, 0, 0)).save(buffer, format="PNG")
    processed = process_photo(SimpleUploadedFile("trong-suot.png", buffer.getvalue()))
    with Image.open(io.BytesIO(processed.image.read())) as stored:
        assert stored.format == "JPEG" and stored.size == (50, 40)


def test_the_orientation_tag_is_applied_before_it_is_dropped():
    img = Image.new("RGB", (200, 100), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", exif=exif)
    processed = process_photo(SimpleUploadedFile("xoay.jpg", buffer.getvalue()))
    with Image.open(io.BytesIO(processed.image.read())) as stored:
        assert stored.size == (100, 200)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (fake_photo("giay-to.jpg"), "không phải là ảnh"),
        (SimpleUploadedFile("rong.jpg", b""), "rỗng"),
        (SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4\n" * 50), "không phải là ảnh"),
    ],
)
def test_what_is_not_a_photo_is_refused_with_its_name(upload, message):
    with pytest.raises(ValidationError) as exc:
        check_photo(upload)
    assert message in exc.value.messages[0] and upload.name in exc.value.messages[0]


def test_a_gif_is_a_real_image_but_not_an_accepted_format():
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        check_photo(SimpleUploadedFile("dong.gif", buffer.getvalue()))
