"""Uploading the licensed outline of the communes (areas.BoundaryFile) that the map draws.

Here rather than in areas: it checks the uploader's role (accounts is above areas)."""

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.roles import Role, has_role
from areas.models import BoundaryFile

MAX_BOUNDARY_BYTES = 20 * 1024 * 1024


def check_geojson(raw: bytes) -> None:
    """A FeatureCollection (or geometry) with at least one Polygon/MultiPolygon in longitude, latitude."""
    if len(raw) > MAX_BOUNDARY_BYTES:
        raise ValidationError("Tệp ranh giới lớn hơn 20 MB.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError("Tệp không phải GeoJSON (JSON, UTF-8) hợp lệ.") from exc
    features = (
        data.get("features", []) if isinstance(data, dict) and data.get("type") == "FeatureCollection" else [data]
    )
    kinds = {(f.get("geometry") or f).get("type") for f in features if isinstance(f, dict)}
    if not kinds & {"Polygon", "MultiPolygon"}:
        raise ValidationError("Tệp GeoJSON không có vùng (Polygon hoặc MultiPolygon) nào.")


def boundary_upload(*, actor, file, licence: str) -> BoundaryFile:
    """Stores a licensed outline and makes it the one the map draws (the previous one is kept, inactive)."""
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống được tải lên tệp ranh giới.")
    if not licence.strip():
        raise ValidationError("Cần ghi nguồn và giấy phép sử dụng của tệp ranh giới.")
    raw = file.read()
    check_geojson(raw)
    file.seek(0)
    with transaction.atomic():
        BoundaryFile.objects.filter(active=True).update(active=False)
        boundary = BoundaryFile(file=file, licence=licence.strip(), sha256=hashlib.sha256(raw).hexdigest())
        boundary.save()
    return boundary
