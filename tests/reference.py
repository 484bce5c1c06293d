"""Reference data that migrations seed (administrative units, …).

A transactional test (live server, real worker) ends with a flush that empties every table, so the
next one re-seeds what it needs here. Apps that seed reference data in a migration add their seeder.
"""


def ensure_reference_data() -> None:
    from areas.models import AdministrativeUnit
    from areas.seed import seed_units

    if not AdministrativeUnit.objects.exists():
        seed_units(AdministrativeUnit)

    from documents.models import IssuingBody
    from documents.seed import seed_issuing_body

    seed_issuing_body(IssuingBody)
