"""Reference data that migrations seed (administrative units, …).

A transactional test (live server, real worker) ends with a flush that empties every table, so the
next one re-seeds what it needs here. Apps that seed reference data in a migration add their seeder.
"""


def ensure_reference_data() -> None:
    from areas.models import AdministrativeUnit, UnitSuccessor
    from areas.seed import seed_units

    if not AdministrativeUnit.objects.exists():
        seed_units(AdministrativeUnit, UnitSuccessor)
    ensure_project_reference_data()
    ensure_contest_criteria()
    ensure_document_settings()
    ensure_budget_reference_data()


def ensure_project_reference_data() -> None:
    from projects.models import ActivityContent, LegalBasis, Organisation
    from projects.seed import seed_reference

    if not ActivityContent.objects.exists():
        seed_reference(LegalBasis, ActivityContent, Organisation)


def ensure_contest_criteria() -> None:
    from contest.models import CriteriaSet, Criterion
    from contest.seed import seed_criteria

    seed_criteria(CriteriaSet, Criterion)


def ensure_document_settings() -> None:
    from documents.models import IssuingBody
    from documents.seed import seed_issuing_body

    seed_issuing_body(IssuingBody)


def ensure_budget_reference_data() -> None:
    from budgets.models import SupportCeiling
    from budgets.seed import seed_ceilings
    from projects.models import ActivityContent

    if not SupportCeiling.objects.exists():
        seed_ceilings(SupportCeiling, ActivityContent)
