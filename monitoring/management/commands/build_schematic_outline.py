"""Regenerates static/monitoring/hai-phong-schematic.geojson from the schematic centres (monitoring.geodata).

Run after changing geodata.py; the output is committed (vendored) so that the map needs no network and no
computation at request time.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from areas.models import AdministrativeUnit
from monitoring.geodata import INSET_PATHS, assign_centres
from monitoring.outline import outline_geojson

OUTPUT = Path(settings.BASE_DIR) / "static" / "monitoring" / "hai-phong-schematic.geojson"


class Command(BaseCommand):
    help = "Tạo lại sơ đồ minh họa các xã, phường (GeoJSON) từ tâm gần đúng của các đơn vị hành chính."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(OUTPUT))

    def handle(self, *args, output, **options):
        assign_centres(AdministrativeUnit)
        units = [
            {"path": u.path, "name": u.name, "lat": u.latitude, "lng": u.longitude}
            for u in AdministrativeUnit.objects.filter(valid_to__isnull=True, depth=1, latitude__isnull=False)
            .exclude(path__in=INSET_PATHS)
            .order_by("path")
        ]
        data = outline_geojson(units)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        self.stdout.write(f"{len(data['features'])} đối tượng → {path}")
