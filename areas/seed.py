"""Seeds the demo province's administrative units (Hải Phòng, 31) — the data migration and the tests call it.

The units come from the `vietnamadminunits` package through `areas.loader`; a deployment for another province
runs `manage.py setup_province <code>` instead. Takes the model classes so a migration can run it with its
historical models (the first data migration has no successor table yet: pass none).
"""

from areas.loader import LAST_LEGACY_DAY, REFORM_DAY, load_province

__all__ = ["DEMO_PROVINCE", "LAST_LEGACY_DAY", "REFORM_DAY", "seed_units"]

DEMO_PROVINCE = "31"


def seed_units(Unit, Successor=None) -> int:
    """Loads Hải Phòng's units; returns how many were created."""
    return load_province(DEMO_PROVINCE, Unit=Unit, Successor=Successor).created
